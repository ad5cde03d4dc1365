package dev.spindle.observe;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.loop.internal.LoopDirectory;
import dev.spindle.observe.internal.LagProbes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where metrics systems find Spindle's figures: every open loop as a {@link LoopMetrics}, and the connection pools that
 * registered a {@link PoolMetrics}. No dependency: {@code spindle-micrometer} binds these to Micrometer; anything else
 * can poll them. Thread-safe.
 *
 * {@snippet :
 * AutoCloseable probes = Metrics.probeLag(Duration.ofSeconds(1));
 * AutoCloseable watch = Metrics.watch(new Metrics.Listener() {
 *     public void loopOpened(LoopMetrics loop) { register gauges tagged loop.name() }
 *     public void loopClosed(LoopMetrics loop) { remove them }
 * });
 * }
 */
public final class Metrics {
    private static final List<PoolMetrics> POOLS = new CopyOnWriteArrayList<>();
    private static final List<Listener> LISTENERS = new CopyOnWriteArrayList<>();

    private Metrics() {}

    /**
     * Told when loops open and close and pools register and leave. Called on the thread that opens or closes the loop
     * (or registers the pool): must be quick and must not throw (what it throws is logged).
     */
    public interface Listener {
        default void loopOpened(LoopMetrics loop) {}

        default void loopClosed(LoopMetrics loop) {}

        default void poolRegistered(PoolMetrics pool) {}

        default void poolUnregistered(PoolMetrics pool) {}
    }

    /** Every loop of this JVM not closed, oldest first. */
    public static List<LoopMetrics> loops() {
        List<LoopMetrics> out = new ArrayList<>();
        for (EventLoop l : LoopDirectory.all()) {
            out.add(LagProbes.of(l));
        }
        return out;
    }

    /** The pools registered now. */
    public static List<PoolMetrics> pools() {
        return List.copyOf(POOLS);
    }

    /**
     * Tells {@code listener} of every loop open and pool registered now, then of changes, until the returned handle
     * is closed.
     */
    public static AutoCloseable watch(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        LoopDirectory.Listener loops = new LoopDirectory.Listener() {
            @Override
            public void added(EventLoop loop) {
                safely(() -> listener.loopOpened(LagProbes.of(loop)));
            }

            @Override
            public void removed(EventLoop loop) {
                safely(() -> listener.loopClosed(LagProbes.of(loop)));
            }
        };
        LISTENERS.add(listener);
        for (PoolMetrics p : POOLS) {
            safely(() -> listener.poolRegistered(p));
        }
        LoopDirectory.addListener(loops);
        return () -> {
            LoopDirectory.removeListener(loops);
            LISTENERS.remove(listener);
        };
    }

    /**
     * Registers a pool until the returned handle is closed (close it when the pool closes).
     *
     * @throws IllegalArgumentException if a pool of the same kind and name is registered already
     */
    public static AutoCloseable register(PoolMetrics pool) {
        Objects.requireNonNull(pool, "pool");
        synchronized (POOLS) {
            for (PoolMetrics p : POOLS) {
                if (p.kind().equals(pool.kind()) && p.name().equals(pool.name())) {
                    throw new IllegalArgumentException(
                            "a " + pool.kind() + " pool named '" + pool.name() + "' is registered already");
                }
            }
            POOLS.add(pool);
        }
        for (Listener l : LISTENERS) {
            safely(() -> l.poolRegistered(pool));
        }
        return () -> {
            if (POOLS.remove(pool)) {
                for (Listener l : LISTENERS) {
                    safely(() -> l.poolUnregistered(pool));
                }
            }
        };
    }

    /**
     * Measures every running loop's lag each {@code interval} (see {@link LoopMetrics#lag()}) until the returned handle
     * is closed. Each probe is one entry in the loop's inbox.
     *
     * @throws IllegalArgumentException if {@code interval} is under 1 ms
     */
    public static AutoCloseable probeLag(Duration interval) {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("the lag probe interval must be at least 1 ms, not " + interval);
        }
        return LagProbes.start(interval);
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            System.getLogger("dev.spindle").log(System.Logger.Level.ERROR, "a Spindle metrics listener failed", e);
        }
    }
}
