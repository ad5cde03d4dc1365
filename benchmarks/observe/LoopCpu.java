import static dev.spindle.Spindle.*;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Loop-thread CPU per operation of the switch and spawn workloads (the loop runs on the thread calling Spindle.run,
 * so ThreadMXBean's current-thread CPU time is the loop's own): robust to other processes where wall time is not.
 *
 *   java --add-opens java.base/java.lang=ALL-UNNAMED -cp spindle-core.jar:. LoopCpu switch|spawn BATCHES
 *
 * Prints the median and the minimum over BATCHES batches of 10 x 10,000 operations, after BATCHES/3 for warm-up.
 * Compiled against whichever spindle-core jar is measured: see loop-cpu.sh.
 */
public class LoopCpu {
    static final class Slot {
        LoopFuture<Integer> future = new LoopFuture<>();
        void put(int v) { future.setResult(v); }
        int take() { int v = future.await(); future = new LoopFuture<>(); return v; }
    }
    static void pingPong(int handoffs) {
        int rounds = handoffs / 2;
        Slot toB = new Slot(), toA = new Slot();
        Task<Integer> b = spawn(() -> { int last = 0; for (int i = 0; i < rounds; i++) { last = toB.take(); toA.put(last + 1); } return last; });
        int got = 0;
        for (int i = 0; i < rounds; i++) { toB.put(i); got = toA.take(); }
        if (got != rounds || b.await() != rounds - 1) throw new AssertionError();
    }
    static void spawnAndAwait(int n) {
        @SuppressWarnings("unchecked") Task<Integer>[] t = new Task[n];
        for (int i = 0; i < n; i++) { int v = i; t[i] = spawn(() -> v); }
        long s = 0; for (int i = 0; i < n; i++) s += t[i].await();
        if (s != (long) n * (n - 1) / 2) throw new AssertionError();
    }
    public static void main(String[] a) {
        String what = a[0]; int runs = Integer.parseInt(a[1]); int n = 10_000;
        var mx = ManagementFactory.getThreadMXBean();
        long[] cpu = new long[runs];
        for (int w = 0; w < runs / 3; w++) run(() -> { if (what.equals("switch")) pingPong(n); else spawnAndAwait(n); });
        for (int r = 0; r < runs; r++) {
            long c0 = mx.getCurrentThreadCpuTime();
            run(() -> { for (int k = 0; k < 10; k++) { if (what.equals("switch")) pingPong(n); else spawnAndAwait(n); } });
            cpu[r] = mx.getCurrentThreadCpuTime() - c0;
        }
        Arrays.sort(cpu);
        System.out.printf("%s median %.1f ns/op  min %.1f%n", what, cpu[runs / 2] / (10.0 * n), cpu[0] / (10.0 * n));
    }
}
