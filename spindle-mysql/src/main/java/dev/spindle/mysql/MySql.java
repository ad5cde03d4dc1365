package dev.spindle.mysql;

import dev.spindle.mysql.internal.protocol.Session;
import dev.spindle.task.Coroutine;
import java.time.Duration;
import java.util.Objects;

/**
 * Entry points: {@link #connect} for one connection, {@link MySqlPool#create} for a pool, {@link #retrying} for
 * transactions that may meet deadlocks.
 *
 * {@snippet :
 * run(() -> {
 *     try (MySqlConnection conn = MySql.connect("mysql://app:secret@127.0.0.1:3306/shop?sslMode=DISABLED")) {
 *         System.out.println(conn.fetchValue(String.class, "SELECT VERSION()"));
 *     }
 * });
 * }
 */
public final class MySql {
    private MySql() {}

    /** {@link #connect(MySqlOptions)} with options parsed from a {@code mysql://} URL. */
    public static MySqlConnection connect(String url) {
        return connect(MySqlOptions.parse(url));
    }

    /**
     * Opens a connection from a coroutine: TCP or unix socket, TLS as {@link MySqlOptions#sslMode()} says,
     * authentication, then the session set-up (collation, time zone, init SQL), all within the connect timeout.
     *
     * @throws ConnectionLostError if the server cannot be reached
     * @throws ServerError.AccessDenied for wrong credentials
     * @throws dev.spindle.time.TimedOut past {@link MySqlOptions#connectTimeout()}
     */
    public static MySqlConnection connect(MySqlOptions options) {
        Objects.requireNonNull(options, "options");
        return new MySqlConnection(Session.connect(options));
    }

    /**
     * Runs {@code body} and runs it again (up to {@code attempts} times in all) when it fails with a
     * {@linkplain ServerError#isTransient() transient} server error (a deadlock or a lock wait timeout), after a short
     * randomized pause that grows each time. Other failures, and the last transient one, go to the caller.
     *
     * {@snippet :
     * MySql.retrying(3, () -> pool.transaction(c -> transfer(c, from, to, amount)));
     * }
     */
    public static <T> T retrying(int attempts, Coroutine<T> body) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        for (int i = 1; ; i++) {
            try {
                return body.call();
            } catch (ServerError e) {
                if (!e.isTransient() || i >= attempts) {
                    throw e;
                }
                long ms = (long) ((5L << Math.min(i, 8)) * (0.5 + Math.random()));
                dev.spindle.Spindle.sleep(Duration.ofMillis(ms));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw MySql.<RuntimeException>sneaky(e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
