package dev.spindle.mysql;

/**
 * A snapshot of a {@link MySqlPool}'s counters.
 *
 * {@snippet :
 * PoolStats s = pool.statistics();
 * System.out.println(s.inUse() + "/" + s.size() + " busy, " + s.waiting() + " waiting");
 * }
 *
 * @param size connections open (idle, in use, or being cleaned up)
 * @param idle connections ready in the pool
 * @param inUse connections handed out and not yet returned
 * @param waiting coroutines waiting in {@link MySqlPool#acquire()}
 * @param created connections opened since the pool started
 * @param closed connections closed since (broken, too old, idle too long, failed validation or clean-up)
 * @param acquired successful acquires
 * @param timedOut acquires that gave up after the acquire timeout
 */
public record PoolStats(
        int size, int idle, int inUse, int waiting, long created, long closed, long acquired, long timedOut) {}
