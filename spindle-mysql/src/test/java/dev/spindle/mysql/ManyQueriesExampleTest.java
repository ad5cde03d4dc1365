package dev.spindle.mysql;

import static dev.spindle.Spindle.gather;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's §4.2 idea (aiomysql): one thread keeps many queries in flight. A hundred lookups are spawned at once;
 * each waits for the server in its own coroutine, the pool bounds them to ten connections, and the loop's one thread
 * drives them all. The README shows this program beside its aiomysql twin.
 */
@SpindleTest(time = TimeMode.REAL)
class ManyQueriesExampleTest {
    record Order(long id, String customer, java.math.BigDecimal total) {}

    @Test
    void aHundredQueriesInFlightFromOneThread() {
        try (MySqlPool pool = MySqlPool.create(
                Db.options().build(), PoolOptions.builder().maxSize(10).build())) {
            pool.execute("CREATE TABLE IF NOT EXISTS orders (id BIGINT PRIMARY KEY, customer VARCHAR(40),"
                    + " total DECIMAL(10,2))");
            pool.execute("DELETE FROM orders");
            pool.execute("INSERT INTO orders SELECT seq, CONCAT('customer-', seq), seq * 1.5 FROM seq_1_to_100");

            Thread loop = Thread.currentThread();
            List<Task<Order>> lookups = new ArrayList<>();
            for (long id = 1; id <= 100; id++) {
                long orderId = id;
                lookups.add(spawn(() -> {
                    try (MySqlConnection c = pool.acquire()) {
                        return c.fetch(Order.class, "SELECT id, customer, total FROM orders WHERE id = ?", orderId)
                                .get(0);
                    }
                }));
            }
            List<Order> orders = gather(lookups); // all 100 in flight, 10 at a time on the wire
            for (int i = 0; i < 100; i++) {
                assertEquals(i + 1, orders.get(i).id());
                assertEquals("customer-" + (i + 1), orders.get(i).customer());
            }
            PoolStats s = pool.statistics();
            assertTrue(s.created() <= 10, s.toString());
            assertTrue(s.acquired() >= 100, s.toString());
            assertEquals(loop, Thread.currentThread());
        }
    }
}
