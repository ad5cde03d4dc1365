package dev.spindle.testservers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster for tests: {@code masters} masters with {@code replicasPerMaster} replicas each, every node a
 * {@link RedisServer} on a free port of 127.0.0.1 with {@code cluster-enabled yes} and a short node timeout (1 s), so
 * that killing a master makes a replica take over within seconds. Slots are assigned by {@code redis-cli --cluster
 * create} (Debian package redis-tools).
 *
 * {@snippet :
 * try (RedisCluster cluster = RedisCluster.start(3, 1)) {
 *     RedisClusterClient client = RedisClusterClient.create(cluster.seedUrls());
 *     cluster.node(0).kill();   // a master dies; its replica is promoted
 * }
 * }
 */
public final class RedisCluster implements AutoCloseable {
    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    public static RedisCluster start(int masters, int replicasPerMaster) {
        Binaries.require("redis-cli", "redis-tools");
        List<RedisServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
                nodes.add(RedisServer.start(
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                        "--cluster-node-timeout",
                        "1000",
                        "--cluster-replica-validity-factor",
                        "0"));
            }
            List<String> cmd = new ArrayList<>(
                    List.of(Binaries.require("redis-cli", "redis-tools").toString(), "--cluster", "create"));
            for (RedisServer n : nodes) {
                cmd.add("127.0.0.1:" + n.port());
            }
            cmd.addAll(List.of("--cluster-replicas", String.valueOf(replicasPerMaster), "--cluster-yes"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
            }
            RedisCluster cluster = new RedisCluster(nodes);
            cluster.awaitState("cluster_state:ok", 30_000);
            if (replicasPerMaster > 0) {
                // CLUSTER SLOTS lists a replica only once it is linked to its master, and each node only once
                // gossip told it about every replica
                cluster.awaitReplication("master_link_status:up", 30_000);
                cluster.awaitEveryNodeSees(masters * replicasPerMaster, 30_000);
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.forEach(RedisServer::close);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException("cluster start failed", e);
        }
    }

    /** Waits until every running node's CLUSTER INFO contains {@code line}. */
    public void awaitState(String line, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            boolean all = true;
            for (RedisServer n : nodes) {
                if (n.process().isRunning() && !n.commandText("CLUSTER", "INFO").contains(line)) {
                    all = false;
                }
            }
            if (all) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the cluster did not reach " + line + " in " + timeoutMillis + " ms");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void awaitReplication(String replicaLine, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (RedisServer n : nodes) {
            while (true) {
                String info = n.commandText("INFO", "replication");
                if (info.contains("role:master") || info.contains(replicaLine)) {
                    break;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("replica on port " + n.port() + " did not link to its master");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        for (RedisServer n : nodes) {
            while (n.commandText("CLUSTER", "SLOTS").isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
        }
    }

    private void awaitEveryNodeSees(int replicas, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        for (RedisServer n : nodes) {
            while (true) {
                String view = n.commandText("CLUSTER", "NODES");
                long seen = view.lines()
                        .filter(l -> l.contains("slave") && !l.contains("fail") && !l.contains("handshake"))
                        .count();
                if (seen >= replicas) {
                    break;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("node " + n.port() + " sees " + seen + " replicas:\n" + view);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    public List<RedisServer> nodes() {
        return nodes;
    }

    public RedisServer node(int i) {
        return nodes.get(i);
    }

    /** {@code redis://127.0.0.1:<port>} of every node. */
    public List<String> seedUrls() {
        return nodes.stream().map(RedisServer::url).toList();
    }

    /** The node whose CLUSTER NODES line says {@code myself,master} and that serves {@code slot}, if running. */
    public RedisServer masterOf(int slot) {
        for (RedisServer n : nodes) {
            if (!n.process().isRunning()) {
                continue;
            }
            for (String line : n.commandText("CLUSTER", "NODES").split("\n")) {
                if (line.contains("myself") && line.contains("master")) {
                    String[] f = line.trim().split(" ");
                    for (int i = 8; i < f.length; i++) {
                        String[] range = f[i].split("-");
                        if (range[0].startsWith("[")) {
                            continue;
                        }
                        int lo = Integer.parseInt(range[0]);
                        int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
                        if (slot >= lo && slot <= hi) {
                            return n;
                        }
                    }
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        nodes.forEach(RedisServer::close);
    }
}
