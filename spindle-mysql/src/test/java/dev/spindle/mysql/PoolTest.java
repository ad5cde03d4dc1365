package dev.spindle.mysql;

import static dev.spindle.Spindle.gather;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@SpindleTest(time = TimeMode.REAL)
class PoolTest {
    @Test
    void boundsConnectionsAndTimesOutAcquires() {
        try (MySqlPool pool = MySqlPool.create(
                Db.options().build(),
                PoolOptions.builder()
                        .maxSize(3)
                        .acquireTimeout(Duration.ofMillis(200))
                        .build())) {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                tasks.add(spawn(() -> pool.fetchValue(Integer.class, "SELECT ? + SLEEP(0.02) * 0", n)));
            }
            List<Integer> got = gather(tasks);
            for (int i = 0; i < 12; i++) {
                assertEquals(i, got.get(i));
            }
            PoolStats s = pool.statistics();
            assertTrue(s.created() <= 3, s.toString());
            assertEquals(12, s.acquired());
            assertEquals(0, s.inUse());

            MySqlConnection a = pool.acquire();
            MySqlConnection b = pool.acquire();
            MySqlConnection c = pool.acquire();
            PoolTimeout timeout = assertThrows(PoolTimeout.class, pool::acquire);
            assertTrue(timeout.getMessage().contains("inUse=3"), timeout.getMessage());
            assertEquals(1, pool.statistics().timedOut());
            a.close();
            try (MySqlConnection d = pool.acquire()) {
                assertEquals(1, d.fetchValue(Integer.class, "SELECT 1"));
            }
            b.close();
            c.close();
            IllegalStateException stale = assertThrows(IllegalStateException.class, () -> a.fetch("SELECT 1"));
            assertTrue(stale.getMessage().contains("returned"), stale.getMessage());
        }
    }

    @Test
    void aConnectionReturnedInATransactionIsRolledBack() {
        try (MySqlPool pool = MySqlPool.create(
                        Db.options().build(), PoolOptions.builder().maxSize(1).build());
                MySqlConnection other = Db.connect()) {
            other.execute("CREATE TABLE IF NOT EXISTS pooltx (id INT PRIMARY KEY) ENGINE=InnoDB");
            other.execute("DELETE FROM pooltx");
            long thread;
            try (MySqlConnection c = pool.acquire()) {
                thread = c.threadId();
                c.begin();
                c.execute("INSERT INTO pooltx VALUES (1)");
            } // returned without commit
            try (MySqlConnection c = pool.acquire()) {
                assertEquals(thread, c.threadId(), "the same connection, reused");
                assertFalse(c.inTransaction());
                assertEquals(0, c.fetchValue(Integer.class, "SELECT COUNT(*) FROM pooltx"));
            }
        }
    }

    @Test
    void fullResetClearsSessionState() {
        try (MySqlPool pool = MySqlPool.create(
                Db.options().build(),
                PoolOptions.builder().maxSize(1).reset(PoolOptions.Reset.FULL).build())) {
            try (MySqlConnection c = pool.acquire()) {
                c.execute("SET @leftover = 42");
                c.fetch("SELECT ?", 1);
            }
            try (MySqlConnection c = pool.acquire()) {
                assertEquals(null, c.fetchValue(Integer.class, "SELECT @leftover"));
                assertEquals("+00:00", c.fetchValue(String.class, "SELECT @@session.time_zone"), "set-up ran again");
                assertEquals(0, c.cachedStatements(), "the previous borrower's statement went with the reset");
            }
        }
    }

    @Test
    void aConnectionKilledOnTheServerIsReplaced() {
        try (MySqlPool pool = MySqlPool.create(
                        Db.options().build(),
                        PoolOptions.builder()
                                .maxSize(2)
                                .validateAfterIdle(Duration.ZERO)
                                .build());
                MySqlConnection admin = Db.connect()) {
            long victim;
            try (MySqlConnection c = pool.acquire()) {
                victim = c.threadId();
            }
            admin.execute("KILL CONNECTION " + victim);
            sleep(Duration.ofMillis(50));
            try (MySqlConnection c = pool.acquire()) { // validation finds it dead and opens another
                assertNotEquals(victim, c.threadId());
                assertEquals(1, c.fetchValue(Integer.class, "SELECT 1"));
            }
            assertEquals(1, pool.statistics().closed());
        }
    }

    @Test
    void minSizeIsKeptAndMaxLifetimeRetires() {
        try (MySqlPool pool = MySqlPool.create(
                Db.options().build(),
                PoolOptions.builder()
                        .minSize(2)
                        .maxSize(4)
                        .maxLifetime(Duration.ofMillis(300))
                        .build())) {
            long first;
            try (MySqlConnection c = pool.acquire()) {
                first = c.threadId();
            }
            for (int i = 0; i < 50 && pool.statistics().size() < 2; i++) {
                sleep(Duration.ofMillis(20));
            }
            assertTrue(pool.statistics().size() >= 2, pool.statistics().toString());
            sleep(Duration.ofMillis(400));
            try (MySqlConnection c = pool.acquire()) {
                assertNotEquals(first, c.threadId(), "too old: replaced");
            }
            assertInstanceOf(PoolStats.class, pool.statistics());
        }
    }
}
