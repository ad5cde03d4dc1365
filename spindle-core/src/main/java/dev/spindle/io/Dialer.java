package dev.spindle.io;

import dev.spindle.io.internal.NetBackend;
import dev.spindle.io.internal.Resolver;
import dev.spindle.io.internal.Transport;
import dev.spindle.loop.internal.EventLoop;
import dev.spindle.task.ReturnWhen;
import dev.spindle.task.Task;
import dev.spindle.task.Tasks;
import dev.spindle.task.WaitResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Connecting to a host name: resolve without holding the loop, then try the addresses (IPv6 and IPv4 interleaved).
 * With a delay, a happy-eyeballs race (RFC 8305, as asyncio's {@code happy_eyeballs_delay}): each attempt runs alone
 * for the delay, or until it fails, before the next address is tried beside it; the first to connect wins and the
 * others are cancelled, or closed if they connected too. Without a delay, one address after the other.
 */
final class Dialer {
    private Dialer() {}

    static Transport dial(EventLoop loop, NetBackend backend, String host, int port, Duration delay) {
        String target = host + ":" + port;
        List<InetSocketAddress> addresses = resolve(host, port, "could not connect to " + target);
        if (addresses.isEmpty()) {
            throw new StreamError("could not connect to " + target, new IOException("no address for " + host));
        }
        if (addresses.size() == 1) {
            try {
                return backend.connect(loop, addresses.get(0));
            } catch (IOException e) {
                throw failed(target, List.of(e));
            }
        }
        return delay == null
                ? sequential(loop, backend, target, addresses)
                : race(loop, backend, target, addresses, delay);
    }

    /** {@link Resolver#resolve}, its failure as a {@link StreamError} that starts with {@code what}. */
    static List<InetSocketAddress> resolve(String host, int port, String what) {
        try {
            return Resolver.resolve(host, port);
        } catch (UncheckedIOException e) {
            throw new StreamError(what + ": " + e.getMessage(), e.getCause());
        }
    }

    /** Connects to one address of a Unix domain socket or an address already resolved. */
    static Transport connect(EventLoop loop, NetBackend backend, SocketAddress address) {
        try {
            return backend.connect(loop, address);
        } catch (IOException e) {
            throw failed(Peers.describe(address), List.of(e));
        }
    }

    private static Transport sequential(
            EventLoop loop, NetBackend backend, String target, List<InetSocketAddress> addresses) {
        List<IOException> errors = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            try {
                return backend.connect(loop, a);
            } catch (IOException e) {
                errors.add(e);
            }
        }
        throw failed(target, errors);
    }

    static Transport race(
            EventLoop loop, NetBackend backend, String target, List<InetSocketAddress> addresses, Duration delay) {
        List<Task<Object>> running = new ArrayList<>();
        List<IOException> errors = new ArrayList<>();
        int next = 0;
        try {
            while (true) {
                if (next < addresses.size()) {
                    InetSocketAddress a = addresses.get(next++);
                    running.add(Task.spawn(loop, "connect-" + Peers.describe(a), () -> attempt(loop, backend, a)));
                }
                WaitResult<Task<Object>> r =
                        Tasks.waitTasks(running, ReturnWhen.FIRST_COMPLETED, next < addresses.size() ? delay : null);
                Transport winner = null;
                for (Task<Object> t : r.done()) {
                    running.remove(t);
                    Object outcome = t.isCancelled() ? new IOException("attempt cancelled") : t.result();
                    if (outcome instanceof Transport connected) {
                        if (winner == null) {
                            winner = connected;
                        } else {
                            connected.close();
                        }
                    } else {
                        errors.add((IOException) outcome);
                    }
                }
                if (winner != null) {
                    return winner;
                }
                if (running.isEmpty() && next >= addresses.size()) {
                    throw failed(target, errors);
                }
                // a timeout, or a failure: either way the next address (if any) starts now
            }
        } finally {
            for (Task<Object> t : running) { // the losers, and every attempt when this dial was cancelled
                t.cancel("another address connected first, or the connect was cancelled");
                t.addDoneCallback(f -> {
                    if (!f.isCancelled() && f.result() instanceof Transport late) {
                        late.close(); // it connected before the cancel reached it
                    }
                });
            }
        }
    }

    /** One attempt, as a task: the transport, or the failure as a value (so no task ends failed unobserved). */
    private static Object attempt(EventLoop loop, NetBackend backend, SocketAddress a) {
        try {
            return backend.connect(loop, a);
        } catch (IOException e) {
            return e;
        } catch (UncheckedIOException e) {
            return e.getCause();
        }
    }

    private static StreamError failed(String target, List<IOException> errors) {
        IOException first = errors.get(0);
        StringBuilder reasons = new StringBuilder();
        for (IOException e : errors) {
            if (!reasons.isEmpty()) {
                reasons.append("; ");
            }
            reasons.append(Peers.reason(e));
        }
        StreamError err = new StreamError("could not connect to " + target + ": " + reasons, first);
        for (int i = 1; i < errors.size(); i++) {
            err.addSuppressed(errors.get(i));
        }
        return err;
    }
}
