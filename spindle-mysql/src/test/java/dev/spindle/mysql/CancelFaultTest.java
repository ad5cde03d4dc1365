package dev.spindle.mysql;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fault test: many coroutines share a small pool and run queries of every shape, while timeouts and cancels hit
 * them at random points (before the command is written, while the server works, in the middle of the rows, between
 * the replies of a pipeline). Every result that does arrive is checked against its own query, so a reply read by the
 * wrong caller fails the test, and no caller may ever see a KILL meant for someone else. Bounded in operations and in time, against 127.0.0.1 only.
 */
@SpindleTest(time = TimeMode.REAL, timeoutMillis = 120_000)
class CancelFaultTest {
    private static final int WORKERS = 24;
    private static final int OPS_PER_WORKER = 40;

    @Test
    void randomCancellationsNeverMixReplies() {
        long seed = new Random().nextLong();
        int[] outcomes = new int[3]; // ok, timed out, cancelled
        try (MySqlPool pool = MySqlPool.create(
                Db.options().build(), PoolOptions.builder().maxSize(6).build())) {
            List<Task<Void>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                SplittableRandom r = new SplittableRandom(seed + w);
                int worker = w;
                workers.add(spawn("worker-" + w, () -> {
                    for (int i = 0; i < OPS_PER_WORKER; i++) {
                        String token = worker + ":" + i + ":" + r.nextInt(1_000_000);
                        int shape = r.nextInt(6);
                        int rows = 1 + r.nextInt(3000);
                        Duration limit = Duration.ofNanos(50_000 + r.nextLong(150_000_000));
                        try {
                            if (r.nextInt(4) == 0) {
                                // cancelled by a sibling instead of a timeout
                                Task<Void> op = spawn(() -> runOne(pool, shape, token, rows));
                                sleep(limit);
                                op.cancel();
                                try {
                                    op.await();
                                    outcomes[0]++;
                                } catch (Cancelled c) {
                                    outcomes[2]++;
                                }
                            } else {
                                withTimeout(limit, () -> runOne(pool, shape, token, rows));
                                outcomes[0]++;
                            }
                        } catch (TimedOut e) {
                            outcomes[1]++;
                        }
                    }
                }));
            }
            for (Task<Void> t : workers) {
                t.await();
            }
            // afterwards, every connection of the pool answers its own queries
            for (int i = 0; i < 12; i++) {
                assertEquals("after-" + i, pool.fetchValue(String.class, "SELECT ?", "after-" + i));
            }
            PoolStats s = pool.statistics();
            assertEquals(0, s.inUse(), s.toString());
            assertTrue(s.size() <= 6, s.toString());
        }
        System.out.println("fault test (seed " + seed + "): ok " + outcomes[0] + ", timed out " + outcomes[1]
                + ", cancelled " + outcomes[2]);
        assertEquals(WORKERS * OPS_PER_WORKER, outcomes[0] + outcomes[1] + outcomes[2]);
        assertTrue(
                outcomes[0] > 0 && outcomes[1] + outcomes[2] > 0,
                "both successes and interruptions happened (seed " + seed + "): ok " + outcomes[0] + ", timed out "
                        + outcomes[1] + ", cancelled " + outcomes[2]);
    }

    private static void runOne(MySqlPool pool, int shape, String token, int rows) {
        try (MySqlConnection c = pool.acquire()) {
            switch (shape) {
                case 0 -> check(token, c.fetchValue(String.class, "SELECT ?", token));
                case 1 ->
                    check(token, c.fetchValue(String.class, "SELECT CONCAT(?, IF(SLEEP(0.01) = 0, '', '!'))", token));
                case 2 -> {
                    List<Row> got = c.fetch("SELECT ? AS t, seq FROM seq_1_to_" + rows, token);
                    if (got.size() != rows) {
                        fail("expected " + rows + " rows for " + token + ", got " + got.size());
                    }
                    check(token, got.get(rows - 1).getString("t"));
                    check(String.valueOf(rows), got.get(rows - 1).get("seq").toString());
                }
                case 3 -> {
                    int n = 0;
                    try (RowStream s =
                            c.stream("SELECT '" + token.replace("'", "") + "' AS t, seq FROM seq_1_to_" + rows)) {
                        for (Row r : s) {
                            check(token, r.getString("t"));
                            n++;
                            if (n != ((Number) r.get("seq")).intValue()) {
                                fail("row " + n + " of " + token + " has seq " + r.get("seq"));
                            }
                        }
                    }
                    if (n != rows) {
                        fail("streamed " + n + " rows of " + rows + " for " + token);
                    }
                }
                case 4 -> { // a pipeline: a token per statement, some of them with many rows, one of them slow
                    Pipeline p = c.pipeline();
                    int n = 1 + rows % 40;
                    List<Pipeline.Pending<List<Row>>> got = new ArrayList<>(n);
                    for (int k = 0; k < n; k++) {
                        got.add(
                                k == n / 2
                                        ? p.fetch(
                                                "SELECT CONCAT(?, IF(SLEEP(0.01) = 0, '', '!')) AS t", token + "/" + k)
                                        : p.fetch("SELECT ? AS t, seq FROM seq_1_to_" + (1 + k * 37), token + "/" + k));
                    }
                    p.execute();
                    for (int k = 0; k < n; k++) {
                        List<Row> rs = got.get(k).get();
                        for (Row row : rs) {
                            check(token + "/" + k, row.getString("t"));
                        }
                        if (k != n / 2 && rs.size() != 1 + k * 37) {
                            fail("expected " + (1 + k * 37) + " rows for " + token + "/" + k + ", got " + rs.size());
                        }
                    }
                }
                default -> {
                    String got = c.transaction(tx -> {
                        tx.execute("SET @t = ?", token);
                        return tx.fetchValue(String.class, "SELECT @t");
                    });
                    check(token, got);
                }
            }
        } catch (ServerError e) {
            fail("a server error reached a caller (a stray KILL or a mixed-up reply?): " + e, e);
        }
    }

    private static void check(String expected, String got) {
        if (!expected.equals(got)) {
            fail("a reply for another query: expected " + expected + ", got " + got);
        }
    }
}
