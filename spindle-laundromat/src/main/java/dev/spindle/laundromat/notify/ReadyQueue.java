package dev.spindle.laundromat.notify;

import dev.spindle.laundromat.store.Wash;
import dev.spindle.redis.RedisClient;
import dev.spindle.redis.XAddArgs;
import java.util.Map;

/**
 * The producer side of the ready-notification queue: a Redis stream ({@value #STREAM}) that gets one entry per
 * finished wash, read by {@link ReadyWorkers}.
 *
 * {@snippet :
 * String id = readyQueue.publish(wash);   // "1700000000000-0"
 * }
 *
 * <p>Entries carry {@code wash}, {@code customer}, {@code machine} and {@code program}. Delivery is at least once:
 * the service re-publishes a finished wash whose entry it cannot be sure of (a crash between the database write and
 * XADD), and the consumers record each wash once. The stream is capped near {@value #MAX_LENGTH} entries.
 */
public final class ReadyQueue {
    /** The stream's key. */
    public static final String STREAM = "laundromat:ready";
    /** The consumer group's name. */
    public static final String GROUP = "notifiers";
    /** About how many entries the stream keeps (XADD MAXLEN ~). */
    public static final long MAX_LENGTH = 100_000;

    private final RedisClient redis;

    public ReadyQueue(RedisClient redis) {
        this.redis = redis;
    }

    /** Creates the stream and its consumer group if missing (idempotent). */
    public void declare() {
        try {
            redis.xgroupCreate(STREAM, GROUP, "0", true);
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("BUSYGROUP")) {
                throw e;
            }
        }
    }

    /** XADDs the wash's ready notification; returns the entry's id. */
    public String publish(Wash wash) {
        return redis.xadd(
                STREAM,
                XAddArgs.NONE.maxlen(MAX_LENGTH),
                Map.of(
                        "wash", String.valueOf(wash.id()),
                        "customer", String.valueOf(wash.customerId()),
                        "machine", String.valueOf(wash.machineId()),
                        "program", wash.program()));
    }
}
