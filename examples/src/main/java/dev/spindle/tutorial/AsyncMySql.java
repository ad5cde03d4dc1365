package dev.spindle.tutorial;

// tutorial:begin
import static dev.spindle.Spindle.*;

import dev.spindle.mysql.MySqlPool;
import dev.spindle.mysql.PoolOptions;
import dev.spindle.task.Task;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

public class AsyncMySql {
    static final String URL =
            System.getProperty("mysql.url", "mysql://app:secret@127.0.0.1:3306/test?sslMode=DISABLED");

    record Order(long id, String customer, BigDecimal total) {}

    static void func() {
        try (MySqlPool pool =
                MySqlPool.create(URL, PoolOptions.builder().maxSize(3).build())) {
            pool.execute("DROP TABLE IF EXISTS orders");
            pool.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(40), total DECIMAL(8,2))");
            pool.execute("INSERT INTO orders VALUES (1, 'Ada', 12.50), (2, 'Grace', 7.00), (3, 'Linus', 30.25)");

            List<Task<Order>> lookups = new ArrayList<>();
            for (long id = 1; id <= 3; id++) {
                long orderId = id; // three queries in flight at once, on three pooled connections
                lookups.add(spawn(() -> pool.fetchOne("SELECT id, customer, total FROM orders WHERE id = ?", orderId)
                        .as(Order.class)));
            }
            for (Order order : gather(lookups)) {
                System.out.println(order);
            }
        }
    }

    public static void main(String[] args) {
        run(AsyncMySql::func);
    }
}
// tutorial:end
