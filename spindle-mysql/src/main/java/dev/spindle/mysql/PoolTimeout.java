package dev.spindle.mysql;

/**
 * {@link MySqlPool#acquire()} found no free connection within the pool's acquire timeout: every connection was in use
 * the whole time. The message gives the pool's counters.
 *
 * {@snippet :
 * try (MySqlConnection c = pool.acquire()) {
 *     ...
 * } catch (PoolTimeout e) {
 *     return Response.status(503);
 * }
 * }
 */
public final class PoolTimeout extends MySqlException {
    public PoolTimeout(String message) {
        super(message);
    }
}
