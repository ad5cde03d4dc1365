package dev.spindle.mysql;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A cancelled or timed-out query is killed on the server and its connection comes back clean. */
@SpindleTest(time = TimeMode.REAL)
class CancelTest {
    private static long kills(MySqlConnection c) {
        return Long.parseLong(c.fetchOne("SHOW GLOBAL STATUS LIKE 'Com_kill'").getString(1));
    }

    @Test
    void aTimedOutQueryIsKilledAndTheConnectionIsClean() {
        try (MySqlConnection c = Db.connect();
                MySqlConnection observer = Db.connect()) {
            long before = kills(observer);
            assertThrows(
                    TimedOut.class, () -> withTimeout(Duration.ofMillis(200), () -> c.fetch("SELECT SLEEP(30) AS s")));
            // the next statement waits for the clean-up, then gets its own reply
            assertEquals(7, c.fetchValue(Integer.class, "SELECT ?", 7));
            assertEquals("x", c.fetchValue(String.class, "SELECT 'x'"));
            assertTrue(kills(observer) >= before + 1, "KILL QUERY was sent");
            String state = observer.fetchValue(
                    String.class, "SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = ?", c.threadId());
            assertEquals("Sleep", state, "the server is no longer running the query");
        }
    }

    @Test
    void aCancelledLockWaitIsKilled() {
        try (MySqlConnection holder = Db.connect();
                MySqlConnection waiter = Db.connect()) {
            holder.execute("CREATE TABLE IF NOT EXISTS locked (id INT PRIMARY KEY, n INT) ENGINE=InnoDB");
            holder.execute("REPLACE INTO locked VALUES (1, 0)");
            holder.begin();
            holder.execute("UPDATE locked SET n = n + 1 WHERE id = 1");
            Task<Result> blocked = spawn(() -> waiter.execute("UPDATE locked SET n = n + 10 WHERE id = ?", 1));
            sleep(Duration.ofMillis(200));
            blocked.cancel();
            assertThrows(Cancelled.class, blocked::await);
            assertEquals(3, waiter.fetchValue(Integer.class, "SELECT ? + 1", 2));
            holder.commit();
            assertEquals(
                    1,
                    waiter.fetchValue(Integer.class, "SELECT n FROM locked WHERE id = 1"),
                    "the killed update did not run");
        }
    }

    @Test
    void aCancelledStreamLeavesNoRowsBehind() {
        try (MySqlConnection c = Db.connect()) {
            Task<Integer> reader = spawn(() -> {
                int n = 0;
                try (RowStream rows = c.stream("SELECT seq, REPEAT('x', 100) FROM seq_1_to_2000000")) {
                    for (Row r : rows) {
                        if (++n % 1000 == 0) {
                            sleep(Duration.ofMillis(1));
                        }
                    }
                }
                return n;
            });
            sleep(Duration.ofMillis(100));
            reader.cancel();
            assertThrows(Cancelled.class, reader::await);
            for (int i = 0; i < 3; i++) {
                assertEquals(i, c.fetchValue(Integer.class, "SELECT ?", i));
            }
        }
    }

    @Test
    void aTransactionCancelledMidwayRollsBack() {
        try (MySqlConnection c = Db.connect();
                MySqlConnection other = Db.connect()) {
            c.execute("CREATE TABLE IF NOT EXISTS txc (id INT PRIMARY KEY) ENGINE=InnoDB");
            c.execute("DELETE FROM txc");
            Task<Object> t = spawn(() -> c.transaction(tx -> {
                tx.execute("INSERT INTO txc VALUES (?)", 1);
                tx.execute("SELECT SLEEP(30)");
                return null;
            }));
            sleep(Duration.ofMillis(300));
            t.cancel();
            assertThrows(Cancelled.class, t::await);
            assertEquals(0, other.fetchValue(Integer.class, "SELECT COUNT(*) FROM txc"));
            assertTrue(!c.isOpen() || c.fetchValue(Integer.class, "SELECT COUNT(*) FROM txc") == 0);
        }
    }

    @Test
    void aSecondUserWaitsForTheCleanUp() {
        try (MySqlPool pool = MySqlPool.create(
                Db.options().build(), PoolOptions.builder().maxSize(1).build())) {
            assertThrows(
                    TimedOut.class, () -> withTimeout(Duration.ofMillis(100), () -> pool.fetch("SELECT SLEEP(30)")));
            // the only connection is still being cleaned up: this waits for it, then gets its own answer
            assertEquals(5, pool.fetchValue(Integer.class, "SELECT ?", 5));
            PoolStats s = pool.statistics();
            assertEquals(1, s.size());
            assertEquals(1, s.created(), "the connection was reused, not replaced");
        }
    }
}
