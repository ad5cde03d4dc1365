package dev.spindle.redis.internal.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which node serves each of the 16384 slots: the master, and its replicas, as {@code host:port} strings. Built from a
 * CLUSTER SLOTS reply; a MOVED redirect patches one slot until the next full refresh. Loop-confined.
 */
public final class Topology {
    private final String[] masters = new String[SlotHash.SLOTS];
    private final String[][] replicas = new String[SlotHash.SLOTS][];

    /** Parses CLUSTER SLOTS: {@code [[start, end, [host, port, id...], [replica...]...], ...]}. */
    public static Topology fromClusterSlots(Object reply, String fallbackHost) {
        Topology t = new Topology();
        for (Object o : (List<?>) reply) {
            List<?> range = (List<?>) o;
            int start = ((Long) range.get(0)).intValue();
            int end = ((Long) range.get(1)).intValue();
            String master = address((List<?>) range.get(2), fallbackHost);
            List<String> reps = new ArrayList<>();
            for (int i = 3; i < range.size(); i++) {
                reps.add(address((List<?>) range.get(i), fallbackHost));
            }
            String[] r = reps.toArray(new String[0]);
            for (int s = start; s <= end; s++) {
                t.masters[s] = master;
                t.replicas[s] = r;
            }
        }
        return t;
    }

    private static String address(List<?> node, String fallbackHost) {
        Object h = node.get(0);
        String host = h instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(h);
        if (host.isEmpty() || host.equals("?")) {
            host = fallbackHost; // a node that does not know its own address answers with an empty host
        }
        return host + ":" + node.get(1);
    }

    /** The master of {@code slot}, or null when no node serves it. */
    public String master(int slot) {
        return masters[slot];
    }

    public String[] replicas(int slot) {
        String[] r = replicas[slot];
        return r == null ? new String[0] : r;
    }

    /** After MOVED: {@code slot} is now served by {@code address}. */
    public void moved(int slot, String address) {
        masters[slot] = address;
        replicas[slot] = new String[0];
    }

    /** Every master, in slot order. */
    public Set<String> masters() {
        Set<String> out = new LinkedHashSet<>();
        for (String m : masters) {
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** Every node, masters and replicas. */
    public Set<String> nodes() {
        Set<String> out = masters();
        for (String[] r : replicas) {
            if (r != null) {
                out.addAll(Arrays.asList(r));
            }
        }
        return out;
    }

    /** Whether every slot has a master. */
    public boolean complete() {
        for (String m : masters) {
            if (m == null) {
                return false;
            }
        }
        return true;
    }
}
