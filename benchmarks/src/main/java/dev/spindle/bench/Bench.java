package dev.spindle.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the side-by-side benchmark mains share: the command line, the measurements that are not specific to one
 * runtime (RSS, heap after GC, CPU time) and the one machine-readable result line.
 *
 * <p>Every main takes {@code <workload> [--count N] [--warmup K] [--seed S] [--max-delay-ms D]} and prints, after
 * whatever else, exactly one line {@code BENCH {json}} with the fields {@code runtime}, {@code workload},
 * {@code count}, {@code value}, {@code unit} and {@code extra} (an object of secondary figures). The peers in
 * {@code benchmarks/peers} print the same line; {@code benchmarks/summarize.py} reads it.
 */
final class Bench {
    /** The workloads, with their default counts. */
    static final String SWITCH = "switch";

    static final String SPAWN = "spawn";
    static final String MEMORY = "memory";
    static final String TIMERS = "timers";
    static final String QUEUE = "queue";
    static final String GENERATOR = "generator";
    static final String AGEN = "agen";
    static final String LOCK = "lock";
    private static final java.util.Set<String> ALL =
            java.util.Set.of(SWITCH, SPAWN, MEMORY, TIMERS, QUEUE, GENERATOR, AGEN, LOCK);

    final String workload;
    final int count;
    final int warmup;
    final long seed;
    final long maxDelayNanos;
    /** generator: consume on a plain thread instead of a coroutine. */
    final boolean onThread;

    private Bench(String workload, int count, int warmup, long seed, long maxDelayNanos, boolean onThread) {
        this.workload = workload;
        this.onThread = onThread;
        this.count = count;
        this.warmup = warmup;
        this.seed = seed;
        this.maxDelayNanos = maxDelayNanos;
    }

    static Bench parse(String mainName, String[] args) {
        if (args.length == 0) {
            usage(mainName);
        }
        String workload = args[0];
        if (!ALL.contains(workload)) {
            usage(mainName);
        }
        boolean onThread = false;
        int count = 1_000_000;
        int warmup = 2;
        long seed = 42;
        long maxDelayMs = 1000;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--on-thread")) {
                onThread = true;
                continue;
            }
            if (i + 1 >= args.length) {
                usage(mainName);
            }
            String v = args[++i].replace("_", "");
            switch (a) {
                case "--count" -> count = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--max-delay-ms" -> maxDelayMs = Long.parseLong(v);
                default -> usage(mainName);
            }
        }
        return new Bench(workload, count, warmup, seed, maxDelayMs * 1_000_000L, onThread);
    }

    private static void usage(String mainName) {
        System.err.println("usage: " + mainName + " switch|spawn|memory|timers|queue|generator|agen|lock [--count N]"
                + " [--warmup K] [--seed S] [--max-delay-ms D] [--on-thread]");
        System.exit(2);
    }

    /** The count a warm-up round uses: a tenth of the measured one, at least 1,000. */
    int warmupCount() {
        return Math.max(1_000, count / 10);
    }

    // ---- measurements ---------------------------------------------------------------------------------------

    /** The process's resident set size in bytes, from {@code /proc/self/status} (VmRSS), or -1 off Linux. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no RSS figure
        }
        return -1;
    }

    /** Heap in use after full collections, in bytes. */
    static long heapUsedAfterGc() {
        var mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) { // a full collection each; with a million stack chunks each takes a while
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Non-heap memory in use (metaspace, code cache), in bytes: to show it is not what grows. */
    static long nonHeapUsed() {
        return ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed();
    }

    /** CPU time of the whole process so far, in nanoseconds (all threads, JIT and GC included). */
    static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU time of one thread, in nanoseconds, or -1. */
    static long threadCpuNanos(Thread t) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(t.threadId()) : -1;
    }

    // ---- output ---------------------------------------------------------------------------------------------

    /** Builds the one result line. */
    static final class Result {
        private final String runtime;
        private final String workload;
        private final int count;
        private double value;
        private String unit;
        private final Map<String, Object> extra = new LinkedHashMap<>();

        Result(String runtime, Bench bench) {
            this.runtime = runtime;
            this.workload = bench.workload;
            this.count = bench.count;
        }

        Result value(double value, String unit) {
            this.value = value;
            this.unit = unit;
            return this;
        }

        Result extra(String key, Object value) {
            extra.put(key, value);
            return this;
        }

        void print() {
            StringBuilder sb = new StringBuilder("BENCH {");
            sb.append("\"runtime\": ").append(quote(runtime));
            sb.append(", \"workload\": ").append(quote(workload));
            sb.append(", \"count\": ").append(count);
            sb.append(", \"value\": ").append(number(value));
            sb.append(", \"unit\": ").append(quote(unit));
            sb.append(", \"extra\": {");
            boolean first = true;
            for (Map.Entry<String, Object> e : extra.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(quote(e.getKey())).append(": ");
                Object v = e.getValue();
                if (v instanceof Double d) {
                    sb.append(number(d));
                } else if (v instanceof Number n) {
                    sb.append(n);
                } else {
                    sb.append(quote(String.valueOf(v)));
                }
            }
            sb.append("}}");
            System.out.println(sb);
            System.out.flush();
        }

        private static String number(double d) {
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return "null";
            }
            return String.format(Locale.ROOT, "%.6g", d);
        }

        private static String quote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    /** Seconds from nanoseconds, for the extra fields. */
    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
