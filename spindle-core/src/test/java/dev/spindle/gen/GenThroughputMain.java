package dev.spindle.gen;

import dev.spindle.Spindle;
import java.util.function.LongSupplier;

/**
 * A rough throughput check of generators and greenlets, not a benchmark (no JMH, no forks): run it by hand with
 * {@code java --add-opens java.base/java.lang=ALL-UNNAMED -cp spindle-core/target/classes:spindle-core/target/test-classes
 * dev.spindle.gen.GenThroughputMain [items]}.
 */
public final class GenThroughputMain {
    private GenThroughputMain() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        for (int round = 0; round < 5; round++) {
            System.out.printf("round %d%n", round);
            report("generator, platform thread", n, () -> sum(n));
            report("generator, coroutine", n, () -> Spindle.run(() -> sum(n)));
            report("generator pipeline (2 stages), platform thread", n, () -> pipeline(n));
            report("generator pipeline (2 stages), coroutine", n, () -> Spindle.run(() -> pipeline(n)));
            report("greenlet round trips, platform thread", n, () -> roundTrips(n));
            report("greenlet round trips, coroutine", n, () -> Spindle.run(() -> roundTrips(n)));
        }
    }

    private static void report(String what, int n, LongSupplier work) {
        long t0 = System.nanoTime();
        long check = work.getAsLong();
        long t1 = System.nanoTime();
        System.out.printf("  %-50s %,12.0f /s  (check %d)%n", what, n / ((t1 - t0) / 1e9), check);
    }

    private static Generator<Integer> numbers(int n) {
        return Generator.of(out -> {
            for (int i = 0; i < n; i++) {
                out.yield(i);
            }
        });
    }

    private static long sum(int n) {
        long s = 0;
        try (Generator<Integer> g = numbers(n)) {
            for (int v : g) {
                s += v;
            }
        }
        return s;
    }

    private static long pipeline(int n) {
        long s = 0;
        try (Generator<Integer> src = numbers(n);
                Generator<Integer> doubled = Generator.of(out -> {
                    for (int v : src) {
                        out.yield(2 * v);
                    }
                })) {
            for (int v : doubled) {
                s += v;
            }
        }
        return s;
    }

    private static long roundTrips(int n) {
        Greenlet echo = new Greenlet(a -> {
            Greenlet root = Greenlet.current().parent();
            long v = (Long) a[0];
            while (true) {
                v = root.<Long>switchTo(v + 1);
            }
        });
        long v = echo.<Long>switchTo(0L);
        for (int i = 1; i < n; i++) {
            v = echo.<Long>switchTo(v);
        }
        echo.throwIn();
        return v;
    }
}
