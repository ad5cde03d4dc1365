package dev.spindle.mysql;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import dev.spindle.testservers.MariaDbServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replica that the test starts and links with MariaDB replication to the shared server (the primary, which keeps a
 * binary log); reads go to the replica.
 */
@SpindleTest(time = TimeMode.REAL, timeoutMillis = 120_000, slowStepMillis = 0)
class ReplicationTest {
    private static MariaDbServer replica;

    @BeforeAll
    static void start() {
        replica = MariaDbServer.builder()
                .user(Db.USER, Db.PASSWORD, "mysql_native_password")
                .option("--server-id=2")
                .option("--read-only=ON")
                .start();
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void writesGoToThePrimaryAndReadsToTheReplica() {
        MariaDbServer primary = Db.server();
        String position;
        try (MySqlConnection p = Db.connect()) {
            position = p.fetchValue(String.class, "SELECT @@GLOBAL.gtid_binlog_pos"); // replicate from here on
        }
        try (MySqlConnection admin = MySql.connect(Db.optionsFor(replica).build())) {
            admin.execute("SET GLOBAL gtid_slave_pos = ?", position);
            admin.execute("CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = " + primary.port()
                    + ", MASTER_USER = '" + Db.USER + "', MASTER_PASSWORD = '" + Db.PASSWORD
                    + "', MASTER_USE_GTID = slave_pos");
            admin.execute("START SLAVE");
        }
        try (ReadWritePool db = ReadWritePool.create(
                Db.optionsFor(primary).build(), List.of(Db.optionsFor(replica).build()), PoolOptions.defaults())) {
            assertEquals(1, db.execute("SELECT @@server_id").rows().get(0).get(0, Integer.class));
            assertEquals(2, db.fetchValue(Integer.class, "SELECT @@server_id"));
            db.execute("CREATE OR REPLACE TABLE test.rw (id INT PRIMARY KEY, v VARCHAR(20))");
            db.transaction(c -> c.execute("INSERT INTO test.rw VALUES (?, ?)", 1, "replicated"));
            String seen = null;
            for (int i = 0; i < 200 && seen == null; i++) {
                try {
                    seen = db.fetchValue(String.class, "SELECT v FROM test.rw WHERE id = ?", 1);
                } catch (ServerError e) {
                    // the table has not reached the replica yet
                }
                if (seen == null) {
                    sleep(Duration.ofMillis(50));
                }
            }
            assertEquals("replicated", seen, "the row reached the replica, and the read went there");
            toThread(() -> {
                replica.kill();
                return null;
            });
            assertEquals(
                    1, db.fetchValue(Integer.class, "SELECT @@server_id"), "with the replica gone, the primary reads");
        }
    }
}
