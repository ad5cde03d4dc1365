package dev.spindle.loop.internal;

import dev.spindle.loop.ExceptionContext;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Failures nobody has looked at yet. A future that fails registers here; retrieving its exception (awaiting it,
 * {@code result()}, {@code exception()}) withdraws it. One not withdrawn is reported to the loop's exception
 * handler when its future is garbage-collected or when the loop closes, whichever comes first, so no failure is
 * silently dropped.
 *
 * <p>Thread-safe: a failure may be retrieved on any thread that awaits the future, and the {@link Cleaner} reports
 * on its own thread (the report then goes through the loop).
 */
public final class UnretrievedFailures {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "spindle-unretrieved-failures");
        t.setDaemon(true);
        return t;
    });

    private final EventLoop loop;
    private final Set<Report> pending = new LinkedHashSet<>();

    UnretrievedFailures(EventLoop loop) {
        this.loop = loop;
    }

    /** Starts watching {@code future}, which just failed with {@code exception}. */
    public Report track(Object future, Throwable exception) {
        Report r = new Report(future.toString(), exception);
        synchronized (pending) {
            pending.add(r);
        }
        CLEANER.register(future, r);
        return r;
    }

    /** Reports every failure still unretrieved; called when the loop closes. */
    void reportAll() {
        List<Report> all;
        synchronized (pending) {
            all = new ArrayList<>(pending);
            pending.clear();
        }
        for (Report r : all) {
            r.report();
        }
    }

    int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** One failure; must not refer to its future, or the future could never be collected. */
    public final class Report implements Runnable {
        private final String what;
        private final Throwable exception;
        private boolean done;

        Report(String what, Throwable exception) {
            this.what = what;
            this.exception = exception;
        }

        /** Its exception was retrieved: nothing to report. */
        public void retrieved() {
            synchronized (pending) {
                done = true;
                pending.remove(this);
            }
        }

        /** The future was collected. */
        @Override
        public void run() {
            synchronized (pending) {
                if (done) {
                    return;
                }
                pending.remove(this);
            }
            report();
        }

        private void report() {
            synchronized (pending) {
                done = true;
            }
            ExceptionContext ctx = new ExceptionContext(
                    what.replaceFirst("\\[.*", "") + ": exception was never retrieved", exception, null);
            loop.reportFromAnyThread(ctx);
        }
    }
}
