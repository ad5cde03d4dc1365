package dev.spindle.redis.internal;

import dev.spindle.Spindle;
import dev.spindle.loop.Loop;
import dev.spindle.redis.RedisCommand;
import dev.spindle.redis.RedisConfig;
import dev.spindle.redis.RedisConnectionError;
import dev.spindle.time.TimedOut;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens connections with a shared reconnect backoff: after a failed connect, the next attempt waits a jittered,
 * doubling delay ({@link Backoff}); a success resets it. Loop-confined.
 */
public final class Connector {
    private final RedisConfig config;
    private final Backoff backoff;
    private final boolean readOnly;
    private int failures;
    private long nextAttemptNanos;

    public Connector(RedisConfig config) {
        this(config, false);
    }

    /** A connector whose connections send READONLY after the handshake when {@code readOnly} (cluster replicas). */
    public Connector(RedisConfig config, boolean readOnly) {
        this.config = config;
        this.backoff = new Backoff(config.backoffBase(), config.backoffMax());
        this.readOnly = readOnly;
    }

    public RedisConfig config() {
        return config;
    }

    public Backoff backoff() {
        return backoff;
    }

    /** Waits out the backoff if the last attempt failed, then connects and runs the handshake. */
    public RedisConnection open() {
        Loop loop = Loop.current();
        long wait = nextAttemptNanos - loop.nanoTime();
        if (failures > 0 && wait > 0) {
            Spindle.sleep(Duration.ofNanos(wait));
        }
        try {
            RedisConnection c = config.sentinels().isEmpty() ? RedisConnection.open(config, readOnly) : viaSentinels();
            failures = 0;
            return c;
        } catch (RedisConnectionError e) {
            nextAttemptNanos = loop.nanoTime() + backoff.delay(failures).toNanos();
            failures++;
            throw e;
        }
    }

    /**
     * Asks the sentinels, in order, for the master's address, connects to it and checks with ROLE that it is a
     * master (right after a failover a sentinel may still name the old one).
     */
    private RedisConnection viaSentinels() {
        String name = config.masterName().orElseThrow();
        List<String> errors = new ArrayList<>();
        for (String sentinel : config.sentinels()) {
            String host = sentinel.substring(0, sentinel.lastIndexOf(':'));
            int port = Integer.parseInt(sentinel.substring(sentinel.lastIndexOf(':') + 1));
            RedisConfig sc = RedisConfig.builder()
                    .host(host)
                    .port(port)
                    .connectTimeout(config.connectTimeout())
                    .build();
            Object reply;
            try {
                RedisConnection s = RedisConnection.open(sc);
                try {
                    reply = s.call(
                            RedisCommand.of("SENTINEL", "GET-MASTER-ADDR-BY-NAME", name), config.connectTimeout());
                } finally {
                    s.close();
                }
            } catch (RedisConnectionError | TimedOut e) {
                errors.add(sentinel + ": " + e.getMessage());
                continue;
            }
            if (!(reply instanceof List<?> addr) || addr.size() < 2) {
                errors.add(sentinel + ": does not know master '" + name + "'");
                continue;
            }
            RedisConfig master = config.toBuilder()
                    .host(text(addr.get(0)))
                    .port(Integer.parseInt(text(addr.get(1))))
                    .build();
            RedisConnection c = RedisConnection.open(master, readOnly);
            Object role = c.call(RedisCommand.of("ROLE"), config.connectTimeout());
            if (role instanceof List<?> r && !r.isEmpty() && "master".equals(text(r.get(0)))) {
                return c;
            }
            c.close();
            errors.add(sentinel + ": named " + master.address() + ", which is not a master (a failover under way?)");
        }
        throw new RedisConnectionError("no sentinel gave a master for '" + name + "': " + errors);
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    /** Connect attempts that failed in a row. */
    public int failures() {
        return failures;
    }
}
