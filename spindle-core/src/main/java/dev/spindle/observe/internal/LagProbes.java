package dev.spindle.observe.internal;

import dev.spindle.loop.internal.EventLoop;
import dev.spindle.loop.internal.LoopDirectory;
import dev.spindle.loop.internal.Watchdog;
import dev.spindle.observe.LoopMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not API: each loop's {@link LoopMetrics}, which is also its lag probe. A probe is posted to a running loop through
 * its inbox ({@link EventLoop#enqueue}) by the {@link Watchdog} thread (while {@code Metrics.probeLag} runs) or by
 * JFR's periodic thread (while a recording takes {@code dev.spindle.LoopLag}); the loop runs it after the work ahead of
 * it, and the wait is the lag. At most one probe per loop is in flight.
 */
public final class LagProbes {
    /** Views asked for; a view holds its loop, so it leaves the map when the loop closes (or the map would hold it). */
    private static final Map<EventLoop, View> VIEWS = new WeakHashMap<>();

    static {
        LoopDirectory.addListener(new LoopDirectory.Listener() {
            @Override
            public void added(EventLoop loop) {}

            @Override
            public void removed(EventLoop loop) {
                synchronized (VIEWS) {
                    VIEWS.remove(loop);
                }
            }
        });
    }

    private LagProbes() {}

    /** The one view of {@code loop} (a closed loop gets a fresh view each time: nobody probes it any more). */
    public static View of(EventLoop loop) {
        synchronized (VIEWS) {
            return loop.isClosed() ? new View(loop) : VIEWS.computeIfAbsent(loop, View::new);
        }
    }

    /** Probes every running loop each {@code interval} until closed. */
    public static AutoCloseable start(Duration interval) {
        long every = interval.toNanos();
        Watchdog.Job job = new Watchdog.Job() {
            private long next;

            @Override
            public long sample(long now) {
                if (now - next >= 0) {
                    next = now + every;
                    for (EventLoop l : LoopDirectory.all()) {
                        of(l).post(null);
                    }
                }
                return Math.max(1, next - now);
            }

            @Override
            public String toString() {
                return "lag probes every " + interval;
            }
        };
        Watchdog.add(job);
        return () -> Watchdog.remove(job);
    }

    /** JFR's periodic hook for {@code dev.spindle.LoopLag}. */
    static void jfrTick() {
        for (EventLoop l : LoopDirectory.all()) {
            LoopLagEvent e = new LoopLagEvent();
            if (!e.isEnabled()) {
                return;
            }
            e.begin();
            of(l).post(e);
        }
    }

    /** One loop's figures and its probe. */
    public static final class View implements LoopMetrics, Runnable {
        private final EventLoop loop;
        /** When the probe in flight was posted (System.nanoTime), or 0. */
        private volatile long postedAt;

        private volatile LoopLagEvent event;
        private volatile long lastLag;
        private final AtomicLong maxLag = new AtomicLong();
        private volatile double stepsPerSecond;
        // Loop thread only (the probe's run).
        private long lastSteps = -1;
        private long lastStepsAt;

        View(EventLoop loop) {
            this.loop = loop;
        }

        /** Posts the probe if none is in flight and the loop runs; {@code e} is a begun JFR event, or null. */
        void post(LoopLagEvent e) {
            if (postedAt != 0 || loop.runningThread() == null || loop.isClosed()) {
                return;
            }
            event = e;
            postedAt = System.nanoTime();
            loop.enqueue(this);
        }

        /** The probe, on the loop's thread. */
        @Override
        public void run() {
            long now = System.nanoTime();
            long lag = now - postedAt;
            lastLag = lag;
            maxLag.accumulateAndGet(lag, Math::max);
            long steps = loop.stepCount();
            if (lastSteps >= 0 && now > lastStepsAt) {
                stepsPerSecond = (steps - lastSteps) * 1e9 / (now - lastStepsAt);
            }
            lastSteps = steps;
            lastStepsAt = now;
            LoopLagEvent e = event;
            event = null;
            postedAt = 0;
            if (e != null) {
                e.end();
                if (e.shouldCommit()) {
                    e.loop = loop.name();
                    e.readyDepth = loop.readyDepth();
                    e.tasksAlive = loop.tasks().size();
                    e.stepsPerSecond = stepsPerSecond;
                    e.commit();
                }
            }
        }

        @Override
        public String name() {
            return loop.name();
        }

        @Override
        public boolean isRunning() {
            return loop.isRunning();
        }

        @Override
        public int readyDepth() {
            return loop.readyDepth();
        }

        @Override
        public int tasksAlive() {
            return loop.tasks().size();
        }

        @Override
        public long tasksSpawned() {
            return loop.tasks().added();
        }

        @Override
        public long steps() {
            return loop.stepCount();
        }

        @Override
        public double stepsPerSecond() {
            return stepsPerSecond;
        }

        @Override
        public Duration lag() {
            long posted = postedAt;
            long waiting = posted == 0 ? 0 : System.nanoTime() - posted;
            return Duration.ofNanos(Math.max(lastLag, waiting));
        }

        @Override
        public Duration takeMaxLag() {
            long posted = postedAt;
            long waiting = posted == 0 ? 0 : System.nanoTime() - posted;
            return Duration.ofNanos(Math.max(maxLag.getAndSet(0), waiting));
        }

        @Override
        public String toString() {
            return "LoopMetrics[" + loop.name() + "]";
        }
    }
}
