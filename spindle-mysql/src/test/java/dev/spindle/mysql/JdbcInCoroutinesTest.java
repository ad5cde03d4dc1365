package dev.spindle.mysql;

import static dev.spindle.Spindle.gather;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MariaDB Connector/J, a blocking JDBC driver, inside coroutines: each coroutine is a virtual thread whose scheduler is
 * the loop, so the driver's blocking socket reads park only their coroutine. Several JDBC queries run on the server at
 * once, driven from the loop's one thread, while other coroutines keep running.
 */
@SpindleTest(time = TimeMode.REAL, slowStepMillis = 3000)
class JdbcInCoroutinesTest {
    private static final int QUERIES = 6;

    @Test
    void blockingJdbcParksOnlyItsCoroutine() throws Exception {
        var server = Db.server();
        String url = "jdbc:mariadb://127.0.0.1:" + server.port() + "/test?user=" + Db.USER + "&password=" + Db.PASSWORD;
        toThread(() -> Class.forName("org.mariadb.jdbc.Driver")); // load the driver off the loop
        Thread loopThread = Thread.currentThread();
        int[] ticks = {0};
        Task<Void> ticker = spawn(() -> {
            while (true) {
                sleep(Duration.ofMillis(10));
                ticks[0]++;
            }
        });
        List<Task<String>> queries = new ArrayList<>();
        for (int i = 0; i < QUERIES; i++) {
            String token = "jdbc-" + i;
            queries.add(spawn(() -> {
                try (Connection c = DriverManager.getConnection(url);
                        PreparedStatement st = c.prepareStatement("SELECT ?, SLEEP(1)")) {
                    st.setString(1, token);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        return rs.getString(1) + "@" + (Thread.currentThread().isVirtual() ? "virtual" : "platform");
                    }
                }
            }));
        }
        int most = 0;
        try (MySqlConnection observer = Db.connect()) {
            while (queries.stream().anyMatch(t -> !t.isDone())) {
                int running = observer.fetchValue(
                        Integer.class,
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                                + " WHERE INFO LIKE 'SELECT %, SLEEP(1)'");
                most = Math.max(most, running);
                sleep(Duration.ofMillis(50));
            }
        }
        List<String> results = gather(queries);
        for (int i = 0; i < QUERIES; i++) {
            assertEquals("jdbc-" + i + "@virtual", results.get(i));
        }
        assertEquals(QUERIES, most, "all JDBC queries were on the server at the same time");
        assertTrue(ticks[0] >= 20, "the loop ran other coroutines meanwhile: " + ticks[0] + " ticks");
        assertEquals(loopThread, Thread.currentThread());
        ticker.cancel();
    }
}
