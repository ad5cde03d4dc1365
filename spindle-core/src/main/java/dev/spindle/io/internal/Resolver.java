package dev.spindle.io.internal;

import dev.spindle.task.Tasks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Not API: host-name resolution that never holds the loop. A literal IP address is parsed on the spot; a name is
 * looked up by {@link InetAddress#getAllByName} on the loop's default executor ({@link Tasks#toThread}), because
 * that call blocks its thread (the system resolver may ask a DNS server) and would otherwise stall every coroutine
 * of the loop. The JDK's own address cache still applies.
 *
 * <p>Cancellation: a coroutine cancelled while a lookup runs gets {@link dev.spindle.task.Cancelled} at once; the
 * lookup finishes on its thread, unobserved.
 */
public final class Resolver {
    private Resolver() {}

    /**
     * The addresses of {@code host} with {@code port}, without duplicates, with IPv6 and IPv4 interleaved (the first
     * address's family first) as happy-eyeballs connecting wants them (RFC 8305 section 4). Must be called from a
     * coroutine when {@code host} is a name.
     *
     * @throws UncheckedIOException wrapping an {@link UnknownHostException} when the name does not resolve
     */
    public static List<InetSocketAddress> resolve(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        InetAddress literal = literal(host);
        if (literal != null) {
            return List.of(new InetSocketAddress(literal, port));
        }
        InetAddress[] all;
        try {
            all = Tasks.toThread(() -> InetAddress.getAllByName(host));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) { // toThread rethrows the lookup's checked exception unchanged
            IOException io = e instanceof IOException x ? x : new IOException(e);
            throw new UncheckedIOException("could not resolve " + host + ": " + e.getMessage(), io);
        }
        List<InetSocketAddress> out = new ArrayList<>(all.length);
        for (InetAddress a : interleave(all)) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    /** {@code host} parsed as an IPv4 or IPv6 literal (brackets allowed), or {@code null} if it is a name. */
    public static InetAddress literal(String host) {
        String h = host.length() > 1 && host.charAt(0) == '[' && host.charAt(host.length() - 1) == ']'
                ? host.substring(1, host.length() - 1)
                : host;
        if (h.isEmpty()) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(h);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Removes duplicates and alternates families, starting with the first address's. */
    static List<InetAddress> interleave(InetAddress[] addresses) {
        Set<InetAddress> unique = new LinkedHashSet<>(List.of(addresses));
        if (unique.isEmpty()) {
            return List.of();
        }
        boolean firstIs6 = unique.iterator().next() instanceof Inet6Address;
        List<InetAddress> first = new ArrayList<>();
        List<InetAddress> second = new ArrayList<>();
        for (InetAddress a : unique) {
            ((a instanceof Inet6Address) == firstIs6 ? first : second).add(a);
        }
        List<InetAddress> out = new ArrayList<>(unique.size());
        for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
            if (i < first.size()) {
                out.add(first.get(i));
            }
            if (i < second.size()) {
                out.add(second.get(i));
            }
        }
        return out;
    }
}
