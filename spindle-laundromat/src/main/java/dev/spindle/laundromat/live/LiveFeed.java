package dev.spindle.laundromat.live;

import dev.spindle.Spindle;
import dev.spindle.queue.LoopQueue;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Live events (JSON text) fanned out to every subscriber: each WebSocket and server-sent-event connection holds a
 * {@link Subscription} and sends what it takes from it.
 *
 * {@snippet :
 * try (LiveFeed.Subscription sub = feed.subscribe()) {
 *     while (true) {
 *         ws.send(sub.next());     // waits for the next event
 *     }
 * }
 * }
 *
 * <h2>Contract</h2>
 * Confined to the service's loop: {@link #publish} and {@link #subscribe} from its coroutines only. Publishing never
 * waits: each subscriber has a queue of {@value #BACKLOG} events; a subscriber that falls that far behind is dropped
 * (its {@link Subscription#next()} throws {@link Dropped}), so one slow client cannot hold the others or grow memory.
 */
public final class LiveFeed {
    /** How many events a subscriber may have waiting before it is dropped. */
    public static final int BACKLOG = 1024;

    /** The end marker a dropped subscriber's queue gets (compared by identity). */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end");

    private final Set<Subscription> subscribers = new LinkedHashSet<>();
    private long published;

    /** Thrown by {@link Subscription#next()} once the subscriber was dropped for falling behind, or the feed closed. */
    public static final class Dropped extends RuntimeException {
        Dropped(String message) {
            super(message);
        }
    }

    /** One subscriber's queue; close it when the connection ends. */
    public final class Subscription implements AutoCloseable {
        private final LoopQueue<String> queue = LoopQueue.fifo(BACKLOG);
        private boolean dropped;

        private Subscription() {}

        /** The next event, waiting for it. */
        public String next() {
            if (dropped && queue.isEmpty()) {
                throw new Dropped("this subscriber fell " + BACKLOG + " events behind, or the feed closed");
            }
            String s = queue.get();
            if (s == END) {
                throw new Dropped("this subscriber fell " + BACKLOG + " events behind, or the feed closed");
            }
            return s;
        }

        /** The next event, or {@code null} if none comes within {@code wait} (time for a heartbeat). */
        public String poll(Duration wait) {
            try {
                return Spindle.waitFor(wait, this::next);
            } catch (TimedOut quiet) {
                return null;
            }
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }

        private void offer(String event) {
            if (queue.isFull()) {
                drop();
                return;
            }
            queue.putNowait(event);
        }

        private void drop() {
            dropped = true;
            subscribers.remove(this);
            if (queue.isFull()) {
                queue.getNowait(); // room for the end marker
            }
            queue.putNowait(END);
        }
    }

    /** A new subscriber that receives every event published from now on. */
    public Subscription subscribe() {
        Subscription s = new Subscription();
        subscribers.add(s);
        return s;
    }

    /** Sends {@code json} to every subscriber, without waiting. */
    public void publish(String json) {
        published++;
        for (Subscription s : new ArrayList<>(subscribers)) {
            s.offer(json);
        }
    }

    /** How many subscribers there are now. */
    public int subscribers() {
        return subscribers.size();
    }

    /** How many events were published. */
    public long published() {
        return published;
    }

    /** Ends every subscription (a shutdown): their {@code next()} throws {@link Dropped}. */
    public void close() {
        List<Subscription> all = new ArrayList<>(subscribers);
        for (Subscription s : all) {
            s.drop();
        }
    }
}
