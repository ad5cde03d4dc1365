package dev.spindle.testservers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A master, one replica and one sentinel watching them (quorum 1, a master is "down" after 1 s), on free ports of
 * 127.0.0.1, so that killing the master makes the sentinel promote the replica within seconds.
 *
 * {@snippet :
 * try (RedisSentinel s = RedisSentinel.start("mymaster")) {
 *     RedisClient client = RedisClient.create(s.url());   // redis-sentinel://127.0.0.1:<port>/mymaster
 *     s.master().kill();
 * }
 * }
 */
public final class RedisSentinel implements AutoCloseable {
    private final String masterName;
    private final RedisServer master;
    private final RedisServer replica;
    private final ServerProcess sentinel;

    private RedisSentinel(String masterName, RedisServer master, RedisServer replica, ServerProcess sentinel) {
        this.masterName = masterName;
        this.master = master;
        this.replica = replica;
        this.sentinel = sentinel;
    }

    public static RedisSentinel start(String masterName) {
        Path binary = Binaries.require("redis-server", "redis-server");
        RedisServer master = RedisServer.start();
        RedisServer replica = null;
        try {
            replica = RedisServer.start("--replicaof", "127.0.0.1", String.valueOf(master.port()));
            ServerProcess sentinel = ServerProcess.builder("redis-sentinel")
                    .setup((port, dir) -> Files.writeString(
                            dir.resolve("sentinel.conf"),
                            String.join(
                                    "\n",
                                    "port " + port,
                                    "bind 127.0.0.1",
                                    "dir " + dir,
                                    "sentinel monitor " + masterName + " 127.0.0.1 " + master.port() + " 1",
                                    "sentinel down-after-milliseconds " + masterName + " 1000",
                                    "sentinel failover-timeout " + masterName + " 5000",
                                    ""),
                            StandardCharsets.UTF_8))
                    .command((port, dir) -> List.of(
                            binary.toString(), dir.resolve("sentinel.conf").toString(), "--sentinel"))
                    .start();
            RedisSentinel s = new RedisSentinel(masterName, master, replica, sentinel);
            s.awaitInfo("slaves=1", 30_000);
            return s;
        } catch (RuntimeException e) {
            master.close();
            if (replica != null) {
                replica.close();
            }
            throw e;
        }
    }

    /** Waits until the sentinel's {@code INFO sentinel} contains {@code text}. */
    public void awaitInfo(String text, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!sentinelInfo().contains(text)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the sentinel never said " + text + ": " + sentinelInfo());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The sentinel's {@code INFO sentinel} text. */
    public String sentinelInfo() {
        try (var probe = new java.net.Socket("127.0.0.1", sentinel.port())) {
            probe.setSoTimeout(5000);
            probe.getOutputStream().write("*2\r\n$4\r\nINFO\r\n$8\r\nsentinel\r\n".getBytes(StandardCharsets.US_ASCII));
            var in = probe.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n' && c != -1) {
                head.append((char) c);
            }
            int n = Integer.parseInt(head.toString().trim().substring(1));
            return new String(in.readNBytes(n), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(no answer: " + e.getMessage() + ")";
        }
    }

    /** {@code redis-sentinel://127.0.0.1:<sentinel port>/<master name>}. */
    public String url() {
        return "redis-sentinel://127.0.0.1:" + sentinel.port() + "/" + masterName;
    }

    public RedisServer master() {
        return master;
    }

    public RedisServer replica() {
        return replica;
    }

    public ServerProcess sentinel() {
        return sentinel;
    }

    @Override
    public void close() {
        sentinel.close();
        replica.close();
        master.close();
    }
}
