package dev.spindle.laundromat.notify;

import static dev.spindle.Spindle.spawn;

import dev.spindle.laundromat.live.LiveFeed;
import dev.spindle.laundromat.store.Store;
import dev.spindle.redis.AutoClaim;
import dev.spindle.redis.RedisClient;
import dev.spindle.redis.StreamEntry;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer side of the ready queue: a group of coroutines, consumers {@code worker-1..n} of group
 * {@value ReadyQueue#GROUP}, each reading the stream with XREADGROUP, recording the notification in MariaDB (once
 * per wash), pushing a {@code ready} event to the live feed, then XACKing.
 *
 * {@snippet :
 * ReadyWorkers workers = ReadyWorkers.start(redis, store, feed, 4);
 * ...
 * workers.stop();   // cancels them; entries read but not acknowledged stay pending
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Nothing lost.</b> An entry is acknowledged only after its notification is committed. A worker that dies
 *       (a crash, a kill) leaves its entries pending; the same-named worker of the next start reads its pending ones
 *       first (XREADGROUP from {@code 0}), and every {@value #CLAIM_EVERY_SECONDS} s worker 1 claims entries idle
 *       longer than {@value #CLAIM_IDLE_SECONDS} s from any consumer (XAUTOCLAIM), so another process's leftovers
 *       are taken too.
 *   <li><b>Once.</b> A redelivered entry finds its notification recorded and is only acknowledged.
 *   <li><b>Errors.</b> A failing entry (Redis or MariaDB away) is logged and retried after a second; the worker
 *       goes on.
 * </ul>
 */
public final class ReadyWorkers {
    static final long CLAIM_EVERY_SECONDS = 30;
    static final long CLAIM_IDLE_SECONDS = 60;
    private static final System.Logger LOG = System.getLogger(ReadyWorkers.class.getName());

    private final RedisClient redis;
    private final Store store;
    private final LiveFeed feed;
    private final List<Task<Void>> tasks = new ArrayList<>();
    private final AtomicLong handled = new AtomicLong();

    private ReadyWorkers(RedisClient redis, Store store, LiveFeed feed) {
        this.redis = redis;
        this.store = store;
        this.feed = feed;
    }

    /** Starts {@code n} worker coroutines on the current loop. */
    public static ReadyWorkers start(RedisClient redis, Store store, LiveFeed feed, int n) {
        ReadyWorkers w = new ReadyWorkers(redis, store, feed);
        for (int i = 1; i <= n; i++) {
            String consumer = "worker-" + i;
            boolean claimer = i == 1;
            w.tasks.add(spawn("ready-" + consumer, () -> w.run(consumer, claimer)));
        }
        return w;
    }

    /** How many entries were handled (recorded or found recorded, and acknowledged). */
    public long handled() {
        return handled.get();
    }

    /** Cancels the workers and waits for them. */
    public void stop() {
        for (Task<Void> t : tasks) {
            t.cancel("shutdown");
        }
        for (Task<Void> t : tasks) {
            try {
                t.await();
            } catch (Cancelled expected) {
                // the way a worker ends
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a ready worker failed", e);
            }
        }
    }

    private void run(String consumer, boolean claimer) {
        long nextClaim = System.nanoTime();
        // 1. what this consumer read before a restart and did not acknowledge
        while (true) {
            List<StreamEntry<String, String>> mine = read(consumer, "0", null);
            if (mine == null) {
                continue;
            }
            if (mine.isEmpty()) {
                break;
            }
            mine.forEach(this::handle);
        }
        // 2. new entries, and now and then what other consumers left behind
        while (true) {
            if (claimer && System.nanoTime() - nextClaim >= 0) {
                claimIdle(consumer);
                nextClaim = System.nanoTime()
                        + Duration.ofSeconds(CLAIM_EVERY_SECONDS).toNanos();
            }
            List<StreamEntry<String, String>> fresh = read(consumer, ">", Duration.ofSeconds(2));
            if (fresh != null) {
                fresh.forEach(this::handle);
            }
        }
    }

    /** One XREADGROUP; null after a failure (logged, after a pause). */
    private List<StreamEntry<String, String>> read(String consumer, String from, Duration block) {
        try {
            Map<String, List<StreamEntry<String, String>>> got =
                    redis.xreadgroup(ReadyQueue.GROUP, consumer, Map.of(ReadyQueue.STREAM, from), 50, block);
            List<StreamEntry<String, String>> entries = got == null ? null : got.get(ReadyQueue.STREAM);
            return entries == null ? List.of() : entries;
        } catch (Cancelled c) {
            throw c;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "reading " + ReadyQueue.STREAM + " failed; again in 1 s", e);
            dev.spindle.Spindle.sleep(Duration.ofSeconds(1));
            return null;
        }
    }

    private void claimIdle(String consumer) {
        try {
            String cursor = "0-0";
            do {
                AutoClaim<String, String> c = redis.xautoclaim(
                        ReadyQueue.STREAM,
                        ReadyQueue.GROUP,
                        consumer,
                        Duration.ofSeconds(CLAIM_IDLE_SECONDS),
                        cursor,
                        50);
                c.claimed().forEach(this::handle);
                cursor = c.nextId();
            } while (!cursor.equals("0-0"));
        } catch (Cancelled c) {
            throw c;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "claiming idle entries failed", e);
        }
    }

    private void handle(StreamEntry<String, String> e) {
        while (true) {
            try {
                Map<String, String> f = e.fields();
                if (f == null || f.get("wash") == null) {
                    redis.xack(ReadyQueue.STREAM, ReadyQueue.GROUP, e.id()); // deleted or foreign: nothing to do
                    return;
                }
                long wash = Long.parseLong(f.get("wash"));
                long customer = Long.parseLong(f.get("customer"));
                String message = "Your " + f.get("program") + " wash on machine " + f.get("machine") + " is ready";
                if (store.addNotification(wash, customer, message, e.id())) {
                    feed.publish("{\"type\":\"ready\",\"wash\":" + wash + ",\"machine\":"
                            + Long.parseLong(f.get("machine")) + "}");
                }
                redis.xack(ReadyQueue.STREAM, ReadyQueue.GROUP, e.id());
                handled.incrementAndGet();
                return;
            } catch (Cancelled c) {
                throw c;
            } catch (NumberFormatException bad) {
                LOG.log(System.Logger.Level.WARNING, "dropping malformed entry " + e.id() + ": " + e.fields());
                redis.xack(ReadyQueue.STREAM, ReadyQueue.GROUP, e.id());
                return;
            } catch (RuntimeException failure) {
                LOG.log(System.Logger.Level.WARNING, "entry " + e.id() + " failed; again in 1 s", failure);
                dev.spindle.Spindle.sleep(Duration.ofSeconds(1));
            }
        }
    }
}
