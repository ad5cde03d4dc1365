package dev.spindle.micrometer;

import dev.spindle.observe.LoopMetrics;
import dev.spindle.observe.Metrics;
import dev.spindle.observe.PoolMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Binds Spindle's loops and connection pools to Micrometer: a {@link MeterBinder} that follows loops as they open and
 * close and pools as they register and leave, adding and removing their meters.
 *
 * {@snippet :
 * MeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * SpindleMetrics spindle = new SpindleMetrics(); // lag probed every second
 * spindle.bindTo(registry);
 * // ... GET /metrics answers registry.scrape()
 * spindle.close(); // at shutdown: stops the probes, removes the meters
 * }
 *
 * <h2>Meters</h2>
 * Per loop, tagged {@code loop=<name>} (names in Micrometer's dotted style; Prometheus shows {@code spindle_loop_lag_seconds}):
 * <ul>
 *   <li>{@code spindle.loop.ready} (gauge): entries waiting in the ready queue.
 *   <li>{@code spindle.loop.tasks.alive} (gauge) and {@code spindle.loop.tasks.spawned} (counter).
 *   <li>{@code spindle.loop.steps} (counter): coroutine resumptions and callbacks run; its rate is the loop's
 *       throughput. {@code spindle.loop.steps.rate} (gauge): steps per second over the last probe interval.
 *   <li>{@code spindle.loop.lag} (time gauge): the last probe's wait in the loop's inbox, growing while a probe waits;
 *       {@code spindle.loop.lag.max} (time gauge): the largest since the previous read of it.
 * </ul>
 * Per pool, tagged {@code pool=<name>} and {@code kind=<http|redis|mysql...>}: {@code spindle.pool.size},
 * {@code spindle.pool.in.use}, {@code spindle.pool.max}, {@code spindle.pool.waiters} (gauges) and
 * {@code spindle.pool.acquire} (function timer: acquisitions and the total time spent waiting for a connection).
 *
 * <h2>Threads and cost</h2>
 * Thread-safe. Reading a meter reads a few fields of the loop racily: a scrape never touches the loop's thread. The lag
 * probe is one entry in each running loop's inbox per interval. A {@code spindle.loop.lag.max} read starts a new
 * window, so bind one registry per {@code SpindleMetrics} (or expect each to see part of the maximum).
 */
public final class SpindleMetrics implements MeterBinder, AutoCloseable {
    private final Duration lagInterval;
    private final Tags tags;
    private final List<Binding> bindings = new CopyOnWriteArrayList<>();
    private AutoCloseable probes;

    /** Binds with the lag probed every second and no extra tags. */
    public SpindleMetrics() {
        this(Duration.ofSeconds(1), Tags.empty());
    }

    /**
     * Binds with the lag probed every {@code lagInterval}, adding {@code tags} to every meter.
     *
     * @throws IllegalArgumentException if {@code lagInterval} is under 1 ms
     */
    public SpindleMetrics(Duration lagInterval, Iterable<Tag> tags) {
        this.lagInterval = Objects.requireNonNull(lagInterval, "lagInterval");
        if (lagInterval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("the lag probe interval must be at least 1 ms, not " + lagInterval);
        }
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (probes == null) {
            probes = Metrics.probeLag(lagInterval);
        }
        Binding b = new Binding(registry);
        bindings.add(b);
        b.watch = Metrics.watch(b);
    }

    /** Stops the lag probes and removes every meter this binder added, from every registry. Idempotent. */
    @Override
    public synchronized void close() {
        for (Binding b : bindings) {
            b.close();
        }
        bindings.clear();
        if (probes != null) {
            closeQuietly(probes);
            probes = null;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One registry's meters, by loop or pool. */
    private final class Binding implements Metrics.Listener {
        private final MeterRegistry registry;
        private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();
        AutoCloseable watch;

        Binding(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void loopOpened(LoopMetrics loop) {
            Tags t = tags.and("loop", loop.name());
            List<Meter> m = new ArrayList<>();
            m.add(Gauge.builder("spindle.loop.ready", loop, LoopMetrics::readyDepth)
                    .description("Entries (coroutines to resume, callbacks) waiting in the loop's ready queue")
                    .tags(t)
                    .strongReference(true)
                    .register(registry));
            m.add(Gauge.builder("spindle.loop.tasks.alive", loop, LoopMetrics::tasksAlive)
                    .description("Tasks spawned and not finished")
                    .tags(t)
                    .strongReference(true)
                    .register(registry));
            m.add(FunctionCounter.builder("spindle.loop.tasks.spawned", loop, LoopMetrics::tasksSpawned)
                    .description("Tasks ever spawned on the loop")
                    .tags(t)
                    .register(registry));
            m.add(FunctionCounter.builder("spindle.loop.steps", loop, LoopMetrics::steps)
                    .description("Steps run: coroutine resumptions and callbacks")
                    .tags(t)
                    .register(registry));
            m.add(Gauge.builder("spindle.loop.steps.rate", loop, LoopMetrics::stepsPerSecond)
                    .description("Steps per second over the last lag probe interval")
                    .tags(t)
                    .strongReference(true)
                    .register(registry));
            m.add(TimeGauge.builder("spindle.loop.lag", loop, TimeUnit.NANOSECONDS, l -> l.lag()
                            .toNanos())
                    .description("How long the loop's last lag probe waited before it ran")
                    .tags(t)
                    .strongReference(true)
                    .register(registry));
            m.add(TimeGauge.builder("spindle.loop.lag.max", loop, TimeUnit.NANOSECONDS, l -> l.takeMaxLag()
                            .toNanos())
                    .description("The largest lag since this gauge was last read")
                    .tags(t)
                    .strongReference(true)
                    .register(registry));
            meters.put("loop:" + loop.name(), m);
        }

        @Override
        public void loopClosed(LoopMetrics loop) {
            remove("loop:" + loop.name());
        }

        @Override
        public void poolRegistered(PoolMetrics pool) {
            Tags t = tags.and("pool", pool.name(), "kind", pool.kind());
            List<Meter> m = new ArrayList<>();
            m.add(Gauge.builder("spindle.pool.size", pool, PoolMetrics::size)
                    .description("Connections open (in use and idle)")
                    .tags(t)
                    .strongReference(true)
                    .register(registry));
            m.add(Gauge.builder("spindle.pool.in.use", pool, PoolMetrics::inUse)
                    .description("Connections lent out")
                    .tags(t)
                    .strongReference(true)
                    .register(registry));
            m.add(Gauge.builder("spindle.pool.max", pool, PoolMetrics::maxSize)
                    .description("The most connections the pool may open")
                    .tags(t)
                    .strongReference(true)
                    .register(registry));
            m.add(Gauge.builder("spindle.pool.waiters", pool, PoolMetrics::waiters)
                    .description("Coroutines waiting for a connection")
                    .tags(t)
                    .strongReference(true)
                    .register(registry));
            m.add(FunctionTimer.builder(
                            "spindle.pool.acquire",
                            pool,
                            PoolMetrics::acquisitions,
                            PoolMetrics::totalWaitNanos,
                            TimeUnit.NANOSECONDS)
                    .description("Connections handed out, and the time spent waiting for them")
                    .tags(t)
                    .register(registry));
            meters.put("pool:" + pool.kind() + ":" + pool.name(), m);
        }

        @Override
        public void poolUnregistered(PoolMetrics pool) {
            remove("pool:" + pool.kind() + ":" + pool.name());
        }

        private void remove(String key) {
            List<Meter> m = meters.remove(key);
            if (m != null) {
                for (Meter meter : m) {
                    registry.remove(meter);
                }
            }
        }

        void close() {
            if (watch != null) {
                closeQuietly(watch);
            }
            for (String key : List.copyOf(meters.keySet())) {
                remove(key);
            }
        }
    }
}
