import static dev.spindle.Spindle.gather;
import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.spawn;

import dev.spindle.redis.Pipeline;
import dev.spindle.redis.RedisConfig;
import dev.spindle.task.Task;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;

/**
 * One cell of the Redis benchmark: a client, an operation (get or set of 100-byte values), a concurrency, a pipeline
 * depth (1: none), a number of operations. Prints one JSON line: ops/s, p50/p99 latency of a request (a command, or
 * a batch of `depth` commands), process CPU microseconds per operation.
 *
 * java RedisBench <spindle|spindle-pooled|lettuce|jedis> <get|set> <concurrency> <depth> <ops> <port>
 *
 * With REDIS_BENCH_THREADS set, also prints on stderr the measured run's CPU per operation by kind of thread (user and
 * sys of the loop's thread "java", the JIT's "C# CompilerThre", the GC's...): at 600,000 operations a good part of a
 * JVM client's CPU per operation is still JIT compilation.
 */
public final class RedisBench {
    static final String VALUE = "x".repeat(100);
    static final int KEYS = 1000;

    public static void main(String[] a) throws Exception {
        String client = a[0];
        boolean get = a[1].equals("get");
        int c = Integer.parseInt(a[2]);
        int depth = Integer.parseInt(a[3]);
        long ops = Long.parseLong(a[4]);
        int port = Integer.parseInt(a[5]);
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            for (int i = 0; i < KEYS; i++) {
                j.set("key:" + i, VALUE);
            }
        }
        // warm-up run (JIT), then the measured one: at least 200,000 operations, since fewer leave the JVM clients
        // still compiling (Spindle pipelined read 141 k ops/s after 12,000 warm-up operations, 234 k after 120,000)
        measure(client, get, c, depth, Math.max(ops / 5, 200_000), port);
        java.util.Map<String, Long> before = threadTicks();
        Result r = measure(client, get, c, depth, ops, port);
        if (System.getenv("REDIS_BENCH_THREADS") != null) {
            printThreadCpu(before, threadTicks(), ops);
        }
        System.out.printf(
                "{\"client\":\"%s\",\"op\":\"%s\",\"c\":%d,\"P\":%d,\"ops_s\":%.0f,\"p50_us\":%.1f,\"p99_us\":%.1f,"
                        + "\"cpu_us_per_op\":%.2f}%n",
                client, a[1], c, depth, r.opsPerSec, r.p50 / 1e3, r.p99 / 1e3, r.cpuNanosPerOp / 1e3);
    }

    /**
     * CPU clock ticks of this process's threads by kind (name with digits dropped), from /proc/self/task: where the
     * process CPU of a run goes (the caller's loop, the JIT compilers, the GC...). Linux only; empty elsewhere.
     */
    static java.util.Map<String, Long> threadTicks() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return m;
        }
        for (java.io.File t : tasks) {
            try {
                String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9#]+", "#");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                m.merge(name + " user", Long.parseLong(f[11]), Long::sum);
                m.merge(name + " sys", Long.parseLong(f[12]), Long::sum);
            } catch (java.io.IOException | RuntimeException e) {
                // the thread ended meanwhile
            }
        }
        return m;
    }

    static void printThreadCpu(java.util.Map<String, Long> before, java.util.Map<String, Long> after, long ops) {
        StringBuilder sb = new StringBuilder("threads (CPU µs/op):");
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0) {
                sb.append(String.format(" [%s] %.2f", k, d * 10_000.0 / ops)); // a tick is 10 ms
            }
        });
        System.err.println(sb);
    }

    record Result(double opsPerSec, double p50, double p99, double cpuNanosPerOp) {}

    static Result measure(String client, boolean get, int c, int depth, long ops, int port) throws Exception {
        long requests = ops / depth;
        long[] lat = new long[(int) requests + c];
        AtomicLong next = new AtomicLong();
        AtomicLong recorded = new AtomicLong();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        switch (client) {
            case "spindle", "spindle-pooled" -> run(() -> {
                RedisConfig cfg = RedisConfig.fromUrl("redis://127.0.0.1:" + port)
                        .toBuilder()
                        .sharing(client.equals("spindle") ? RedisConfig.Sharing.MULTIPLEXED : RedisConfig.Sharing.POOLED)
                        .poolSize(Math.min(c, 64))
                        .poolTimeout(java.time.Duration.ofSeconds(60))
                        .build();
                try (dev.spindle.redis.RedisClient redis = dev.spindle.redis.RedisClient.create(cfg)) {
                    redis.ping();
                    List<Task<Void>> workers = new ArrayList<>();
                    for (int w = 0; w < c; w++) {
                        workers.add(spawn(() -> {
                            long n;
                            while ((n = next.getAndIncrement()) < requests) {
                                long s = System.nanoTime();
                                if (depth == 1) {
                                    String k = "key:" + (n % KEYS);
                                    if (get) {
                                        redis.get(k);
                                    } else {
                                        redis.set(k, VALUE);
                                    }
                                } else {
                                    Pipeline<String, String> p = redis.pipeline();
                                    for (int i = 0; i < depth; i++) {
                                        String k = "key:" + ((n * depth + i) % KEYS);
                                        if (get) {
                                            p.get(k);
                                        } else {
                                            p.set(k, VALUE);
                                        }
                                    }
                                    p.execute();
                                }
                                lat[(int) recorded.getAndIncrement()] = System.nanoTime() - s;
                            }
                        }));
                    }
                    gather(workers);
                }
            });
            case "lettuce" -> {
                io.lettuce.core.RedisClient lc = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + port);
                try (StatefulRedisConnection<String, String> conn = lc.connect()) {
                    RedisAsyncCommands<String, String> async = conn.async();
                    CountDownLatch done = new CountDownLatch(c);
                    if (depth > 1) {
                        conn.setAutoFlushCommands(false);
                    }
                    // c logical clients, each keeping one request in flight: the next starts when the last completes
                    Object flushLock = new Object();
                    for (int w = 0; w < c; w++) {
                        lettuceNext(async, conn, get, depth, requests, next, recorded, lat, done, flushLock);
                    }
                    done.await();
                } finally {
                    lc.shutdown();
                }
            }
            case "jedis" -> {
                List<Thread> threads = new ArrayList<>();
                for (int w = 0; w < c; w++) {
                    threads.add(Thread.ofVirtual().start(() -> {
                        try (Jedis j = new Jedis("127.0.0.1", port)) {
                            long n;
                            while ((n = next.getAndIncrement()) < requests) {
                                long s = System.nanoTime();
                                if (depth == 1) {
                                    String k = "key:" + (n % KEYS);
                                    if (get) {
                                        j.get(k);
                                    } else {
                                        j.set(k, VALUE);
                                    }
                                } else {
                                    var p = j.pipelined();
                                    for (int i = 0; i < depth; i++) {
                                        String k = "key:" + ((n * depth + i) % KEYS);
                                        if (get) {
                                            p.get(k);
                                        } else {
                                            p.set(k, VALUE);
                                        }
                                    }
                                    p.sync();
                                }
                                lat[(int) recorded.getAndIncrement()] = System.nanoTime() - s;
                            }
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join();
                }
            }
            default -> throw new IllegalArgumentException("unknown client " + client);
        }
        long elapsed = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        int n = (int) Math.min(recorded.get(), lat.length);
        long[] l = Arrays.copyOf(lat, n);
        Arrays.sort(l);
        double done = (double) n * depth;
        return new Result(done / (elapsed / 1e9), l[n / 2], l[(int) (n * 0.99)], cpu / done);
    }

    private static void lettuceNext(
            RedisAsyncCommands<String, String> async,
            StatefulRedisConnection<String, String> conn,
            boolean get,
            int depth,
            long requests,
            AtomicLong next,
            AtomicLong recorded,
            long[] lat,
            CountDownLatch done,
            Object flushLock) {
        long n = next.getAndIncrement();
        if (n >= requests) {
            done.countDown();
            return;
        }
        long s = System.nanoTime();
        RedisFuture<?> last = null;
        if (depth == 1) {
            String k = "key:" + (n % KEYS);
            last = get ? async.get(k) : async.set(k, VALUE);
        } else {
            synchronized (flushLock) {
                for (int i = 0; i < depth; i++) {
                    String k = "key:" + ((n * depth + i) % KEYS);
                    last = get ? async.get(k) : async.set(k, VALUE);
                }
                conn.flushCommands();
            }
        }
        last.whenComplete((v, e) -> {
            lat[(int) recorded.getAndIncrement()] = System.nanoTime() - s;
            lettuceNext(async, conn, get, depth, requests, next, recorded, lat, done, flushLock);
        });
    }
}
