package dev.spindle.bench.jmh;

import dev.spindle.bench.SpindleWorkloads;
import dev.spindle.loop.Loop;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH micro-benchmarks of Spindle's two hottest paths: a coroutine switch through a future, and spawning plus
 * awaiting a trivial task. One loop per benchmark thread, reused across invocations; each invocation runs the
 * loop until a batch of {@value #BATCH} operations is done (a million for {@link #spawnAndAwaitMillion}), so the
 * cost of entering and leaving the loop is spread over the batch.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar 'dev.spindle.bench.jmh.*'
 * </pre>
 */
@State(Scope.Thread)
@Fork(
        value = 1,
        jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpindleMicro {
    static final int BATCH = 10_000;
    static final int LARGE_BATCH = 1_000_000;

    private Loop loop;

    @Setup(Level.Trial)
    public void openLoop() {
        loop = Loop.create();
    }

    @TearDown(Level.Trial)
    public void closeLoop() {
        loop.close();
    }

    /** Nanoseconds per handoff between two coroutines through a {@code LoopFuture}. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(BATCH)
    public long switchHandoff() {
        return loop.runUntilComplete(() -> SpindleWorkloads.pingPong(BATCH));
    }

    /** Tasks per second, spawned and then each awaited, in batches. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long spawnAndAwait() {
        return loop.runUntilComplete(() -> SpindleWorkloads.spawnAndAwait(BATCH));
    }

    /** Children per second spawned into a task group that then waits for them all, in batches. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long spawnInTaskGroup() {
        return loop.runUntilComplete(() -> SpindleWorkloads.spawnInTaskGroup(BATCH));
    }

    /**
     * The same with a million tasks alive at once, as in the side-by-side spawn workload: the heap grows, the GC
     * copies live tasks, and the JDK's registry of all threads resizes, so this is slower per task.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(LARGE_BATCH)
    public long spawnAndAwaitMillion() {
        return loop.runUntilComplete(() -> SpindleWorkloads.spawnAndAwait(LARGE_BATCH));
    }
}
