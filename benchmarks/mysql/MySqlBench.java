// Spindle's MySQL client beside Connector/J + HikariCP on virtual threads and vertx-mysql-client 5, against the same
// server and tables (sysbench's sbtest1). Run by benchmarks/mysql/run.sh, which builds the class path, starts the
// server and prepares the tables; one runtime, workload and concurrency per process:
//
//   java -cp <cp> MySqlBench.java <runtime> <workload> <concurrency> <seconds> <port> <user> <password>
//
// runtime: spindle | jdbc | vertx     workload: point | insert | scan
// Each run warms up for a third of <seconds>, then measures; it prints one line:
//   RESULT <runtime> <workload> <concurrency> <ops per s> <process CPU µs per op>
// Every worker takes a connection from its pool per operation, as an application would.
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spindle.Spindle;
import dev.spindle.mysql.MySqlOptions;
import dev.spindle.mysql.MySqlPool;
import dev.spindle.mysql.PoolOptions;
import dev.spindle.mysql.SslMode;
import dev.spindle.task.Task;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

public class MySqlBench {
    static final String POINT = "SELECT c FROM sbtest1 WHERE id = ?";
    static final String INSERT = "INSERT INTO bench_insert (k, c) VALUES (?, ?)";
    static final String SCAN = "SELECT id, k, c, pad FROM sbtest1 WHERE id BETWEEN ? AND ?";
    static final int TABLE_SIZE = 100_000;
    static final int SCAN_ROWS = 10_000;

    static volatile boolean stop;
    static final AtomicLong ops = new AtomicLong();

    public static void main(String[] a) throws Exception {
        String runtime = a[0];
        String workload = a[1];
        int conc = Integer.parseInt(a[2]);
        double seconds = Double.parseDouble(a[3]);
        int port = Integer.parseInt(a[4]);
        String user = a[5];
        String password = a[6];
        long[] result = switch (runtime) {
            case "spindle" -> spindle(workload, conc, seconds, port, user, password);
            case "jdbc" -> jdbc(workload, conc, seconds, port, user, password);
            case "vertx" -> vertx(workload, conc, seconds, port, user, password);
            default -> throw new IllegalArgumentException("runtime " + runtime);
        };
        long n = result[0];
        long cpuNanos = result[1];
        double measured = seconds * 2 / 3;
        System.out.printf("RESULT %s %s %d %.0f %.1f%n", runtime, workload, conc, n / measured, cpuNanos / 1000.0 / n);
    }

    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static int randomId() {
        return 1 + ThreadLocalRandom.current().nextInt(TABLE_SIZE);
    }

    static int scanStart() {
        return 1 + ThreadLocalRandom.current().nextInt(TABLE_SIZE - SCAN_ROWS);
    }

    /** Warm up for a third, then count operations and CPU for the rest. Returns {ops, cpu nanos}. */
    static long[] measure(double seconds) {
        long warm = (long) (seconds * 1000 / 3);
        long timed = (long) (seconds * 1000) - warm;
        sleepFor.accept(warm); // the caller's way to sleep: a coroutine sleep, or Thread.sleep
        long o0 = ops.get();
        long c0 = cpu();
        long[] t0 = userSys();
        long a0 = allocated();
        long g0 = gcMillis();
        sleepFor.accept(timed);
        long o1 = ops.get();
        long c1 = cpu();
        long[] t1 = userSys();
        long a1 = allocated();
        long g1 = gcMillis();
        stop = true;
        if (t0 != null && t1 != null && o1 > o0) { // to stderr: how the CPU splits between user and kernel (Linux)
            System.err.printf("DETAIL user %.1f sys %.1f µs/op, %d bytes allocated/op, GC pauses %.1f µs/op%n",
                    (t1[0] - t0[0]) * 1e4 / (o1 - o0), (t1[1] - t0[1]) * 1e4 / (o1 - o0), (a1 - a0) / (o1 - o0),
                    (g1 - g0) * 1e3 / (o1 - o0));
        }
        return new long[] {o1 - o0, c1 - c0};
    }

    /** Milliseconds the collectors ran (pauses), summed over collectors. */
    static long gcMillis() {
        long t = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    /** Bytes allocated by all threads so far (a coroutine's count as its carrier's). */
    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    /** The process's user and system CPU in clock ticks (1/100 s), from /proc/self/stat; null elsewhere. */
    static long[] userSys() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])}; // fields 14 and 15 of proc(5)
        } catch (Exception e) {
            return null;
        }
    }

    /** How the measuring thread sleeps: set by each runtime before {@link #measure}. */
    static java.util.function.LongConsumer sleepFor;

    // ---- Spindle ----------------------------------------------------------------------------------------------

    static long[] spindle(String workload, int conc, double seconds, int port, String user, String password) {
        MySqlOptions o = MySqlOptions.builder()
                .host("127.0.0.1").port(port).user(user).password(password).database("bench")
                .sslMode(SslMode.DISABLED).build();
        return Spindle.run(() -> {
            try (MySqlPool pool = MySqlPool.create(o, PoolOptions.builder().maxSize(conc).build())) {
                pool.fetchValue(Integer.class, "SELECT 1"); // connect before the clock starts, as the others do
                List<Task<Void>> workers = new ArrayList<>();
                for (int i = 0; i < conc; i++) {
                    workers.add(Spindle.spawn(() -> {
                        // the loop stays small: its frame lives as long as the coroutine (entered once, compiled only
                        // on stack replacement), so the work is a method of its own, compiled as usual
                        while (!stop) {
                            spindleOp(pool, workload);
                            ops.incrementAndGet();
                        }
                    }));
                }
                sleepFor = ms -> Spindle.sleep(Duration.ofMillis(ms));
                long[] r = measure(seconds);
                for (Task<Void> t : workers) {
                    t.await();
                }
                return r;
            }
        });
    }

    static void spindleOp(MySqlPool pool, String workload) {
        switch (workload) {
            case "point" -> pool.fetchOne(POINT, randomId()).getString(0);
            case "insert" -> pool.execute(INSERT, randomId(), "spindle");
            default -> {
                int s = scanStart();
                int n = pool.fetch(SCAN, s, s + SCAN_ROWS - 1).size();
                if (n != SCAN_ROWS) {
                    throw new IllegalStateException("scan got " + n);
                }
            }
        }
    }

    // ---- Connector/J + HikariCP on virtual threads --------------------------------------------------------------

    static long[] jdbc(String workload, int conc, double seconds, int port, String user, String password)
            throws Exception {
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:mariadb://127.0.0.1:" + port + "/bench");
        cfg.setUsername(user);
        cfg.setPassword(password);
        cfg.setMaximumPoolSize(conc);
        cfg.setMinimumIdle(conc);
        try (HikariDataSource ds = new HikariDataSource(cfg);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch done = new CountDownLatch(conc);
            for (int i = 0; i < conc; i++) {
                threads.submit(() -> {
                    try {
                        while (!stop) { // small, as the Spindle loop (see there)
                            jdbcOp(ds, workload);
                            ops.incrementAndGet();
                        }
                    } catch (Exception e) {
                        e.printStackTrace();
                    } finally {
                        done.countDown();
                    }
                    return null;
                });
            }
            sleepFor = MySqlBench::sleep;
            long[] r = measure(seconds);
            done.await();
            return r;
        }
    }

    static void jdbcOp(HikariDataSource ds, String workload) throws java.sql.SQLException {
        try (Connection c = ds.getConnection()) {
            switch (workload) {
                case "point" -> {
                    try (PreparedStatement st = c.prepareStatement(POINT)) {
                        st.setInt(1, randomId());
                        try (ResultSet rs = st.executeQuery()) {
                            rs.next();
                            rs.getString(1);
                        }
                    }
                }
                case "insert" -> {
                    try (PreparedStatement st = c.prepareStatement(INSERT)) {
                        st.setInt(1, randomId());
                        st.setString(2, "jdbc");
                        st.executeUpdate();
                    }
                }
                default -> {
                    try (PreparedStatement st = c.prepareStatement(SCAN)) {
                        int s = scanStart();
                        st.setInt(1, s);
                        st.setInt(2, s + SCAN_ROWS - 1);
                        int n = 0;
                        try (ResultSet rs = st.executeQuery()) {
                            while (rs.next()) {
                                rs.getInt(1);
                                rs.getInt(2);
                                rs.getString(3);
                                rs.getString(4);
                                n++;
                            }
                        }
                        if (n != SCAN_ROWS) {
                            throw new IllegalStateException("scan got " + n);
                        }
                    }
                }
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }

    // ---- vertx-mysql-client 5 ------------------------------------------------------------------------------------

    static long[] vertx(String workload, int conc, double seconds, int port, String user, String password)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        MySQLConnectOptions co = new MySQLConnectOptions()
                .setHost("127.0.0.1").setPort(port).setDatabase("bench").setUser(user).setPassword(password)
                .setCachePreparedStatements(true);
        Pool pool = MySQLBuilder.pool()
                .with(new io.vertx.sqlclient.PoolOptions().setMaxSize(conc))
                .connectingTo(co)
                .using(vertx)
                .build();
        // connect before the clock starts (HikariCP's constructor does the same for the JDBC row)
        pool.query("SELECT 1").execute().toCompletionStage().toCompletableFuture().get();
        CountDownLatch done = new CountDownLatch(conc);
        for (int i = 0; i < conc; i++) {
            vertxLoop(pool, workload, done);
        }
        sleepFor = MySqlBench::sleep;
        long[] r = measure(seconds);
        done.await();
        pool.close().await();
        vertx.close().await();
        return r;
    }

    static void vertxLoop(Pool pool, String workload, CountDownLatch done) {
        if (stop) {
            done.countDown();
            return;
        }
        io.vertx.core.Future<?> f = switch (workload) {
            case "point" -> pool.preparedQuery(POINT).execute(Tuple.of(randomId())).map(rs -> {
                rs.iterator().next().getString(0);
                return null;
            });
            case "insert" -> pool.preparedQuery(INSERT).execute(Tuple.of(randomId(), "vertx"));
            default -> {
                int s = scanStart();
                yield pool.preparedQuery(SCAN).execute(Tuple.of(s, s + SCAN_ROWS - 1)).map(rs -> {
                    int n = 0;
                    for (io.vertx.sqlclient.Row row : rs) {
                        row.getInteger(0);
                        row.getInteger(1);
                        row.getString(2);
                        row.getString(3);
                        n++;
                    }
                    if (n != SCAN_ROWS) {
                        throw new IllegalStateException("scan got " + n);
                    }
                    return null;
                });
            }
        };
        f.onComplete(ar -> {
            if (ar.failed()) {
                ar.cause().printStackTrace();
            } else {
                ops.incrementAndGet();
            }
            vertxLoop(pool, workload, done);
        });
    }
}
