package dev.spindle.mysql;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import dev.spindle.testservers.MariaDbServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test's own server is killed and restarted under the client's feet. */
@SpindleTest(time = TimeMode.REAL, timeoutMillis = 120_000, slowStepMillis = 0)
class ServerRestartTest {
    private static MariaDbServer server;

    @BeforeAll
    static void start() {
        server = MariaDbServer.builder()
                .user(Db.USER, Db.PASSWORD, "mysql_native_password")
                .start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void inFlightQueriesFailClearlyAndThePoolRecovers() {
        MySqlOptions options = Db.optionsFor(server).build();
        try (MySqlPool pool = MySqlPool.create(
                options,
                PoolOptions.builder()
                        .maxSize(4)
                        .validateAfterIdle(Duration.ZERO)
                        .build())) {
            for (int i = 0; i < 4; i++) {
                assertEquals(i, pool.fetchValue(Integer.class, "SELECT ?", i));
            }
            Task<Object> inFlight = spawn(() -> pool.fetch("SELECT SLEEP(30)"));
            sleep(Duration.ofMillis(200));
            toThread(() -> {
                server.kill();
                return null;
            });
            ConnectionLostError lost = assertThrows(ConnectionLostError.class, inFlight::await);
            assertTrue(
                    lost.getMessage().contains("closed the connection")
                            || lost.getMessage().contains("failed"),
                    lost.getMessage());

            // while the server is down, the pool fails fast with the connect error
            ConnectionLostError down = assertThrows(ConnectionLostError.class, () -> pool.fetch("SELECT 1"));
            assertTrue(down.getMessage().contains("could not connect"), down.getMessage());

            toThread(() -> {
                server.restart();
                return null;
            });
            for (int i = 0; i < 8; i++) {
                assertEquals(100 + i, pool.fetchValue(Integer.class, "SELECT ?", 100 + i));
            }
            PoolStats s = pool.statistics();
            assertTrue(s.closed() >= 1, s.toString());
            assertEquals(0, s.inUse());
        }
    }

    @Test
    void aPlainConnectionSaysItIsGone() {
        MySqlConnection c = MySql.connect(Db.optionsFor(server).build());
        try {
            toThread(() -> {
                server.restart();
                return null;
            });
            ConnectionLostError e = assertThrows(ConnectionLostError.class, () -> c.fetch("SELECT 1"));
            assertTrue(e.getMessage().contains(String.valueOf(server.port())), e.getMessage());
            assertThrows(ConnectionLostError.class, () -> c.fetch("SELECT 1"), "and stays closed");
        } finally {
            c.close();
        }
    }

    @Test
    void theDefaultSslModeRefusesAServerWithoutTls() {
        MySqlOptions o = Db.optionsFor(server).sslMode(SslMode.VERIFY_IDENTITY).build();
        MySqlException e = assertThrows(MySqlException.class, () -> MySql.connect(o));
        assertTrue(e.getMessage().contains("does not offer TLS"), e.getMessage());
        try (MySqlConnection c =
                MySql.connect(Db.optionsFor(server).sslMode(SslMode.PREFERRED).build())) {
            assertEquals(false, c.isTls(), "PREFERRED falls back to plain");
        }
    }
}
