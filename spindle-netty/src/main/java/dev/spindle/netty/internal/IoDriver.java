package dev.spindle.netty.internal;

import io.netty.channel.IoEvent;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoOps;
import java.util.Locale;

/**
 * Not API: the native mechanism a {@link NettyPoller} waits in, and how a socket's readiness is asked for and read
 * back on it. Both deliver <em>edge-triggered</em> readiness, armed once per socket: an event means "something new
 * arrived (or room appeared) since the last event", so a socket costs no system call per wait, and a cancelled wait
 * has nothing to withdraw. {@link FdHandle} keeps the level (what is known ready) itself.
 *
 * <ul>
 *   <li>{@link #EPOLL}: Netty's {@code EpollIoHandler}; the socket is added once with
 *       {@code EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET} and removed when it closes.
 *   <li>{@link #IO_URING}: Netty's {@code IoUringIoHandler}; the socket gets one multishot {@code POLL_ADD} (edge
 *       triggered, which is io_uring's default for multishot polls), re-armed if the kernel ends it, and a
 *       {@code POLL_REMOVE} when it closes, asked again until it takes. Reads and writes stay ordinary system calls:
 *       io_uring serves as the readiness notifier and the loop's single wait (submit and wait in one call).
 * </ul>
 *
 * The system property {@value #PROPERTY} chooses one ({@code epoll}, the default, or {@code io_uring}).
 */
public enum IoDriver {
    EPOLL {
        @Override
        IoHandlerFactory factory() {
            Epoll.ensureAvailability();
            return EpollIoHandler.newFactory();
        }

        @Override
        void arm(IoRegistration r, FdHandle fd) {
            EpollIoOps ops = fd.listening
                    ? EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLET)
                    : EpollIoOps.EPOLLIN
                            .with(EpollIoOps.EPOLLOUT)
                            .with(EpollIoOps.EPOLLRDHUP)
                            .with(EpollIoOps.EPOLLET);
            r.submit(ops);
        }

        @Override
        int readiness(FdHandle fd, IoRegistration r, IoEvent event) {
            int ops = ((EpollIoEvent) event).ops().value();
            int ready = 0;
            if ((ops & EPOLLIN_) != 0) {
                ready |= FdHandle.READ;
            }
            if ((ops & (EPOLLRDHUP_ | EPOLLERR_ | EPOLLHUP_)) != 0) {
                ready |= FdHandle.READ_END;
            }
            if ((ops & (EPOLLOUT_ | EPOLLERR_ | EPOLLHUP_)) != 0) {
                ready |= FdHandle.WRITE;
            }
            return ready;
        }

        @Override
        void disarm(IoRegistration r, FdHandle fd) {
            r.cancel(); // EPOLL_CTL_DEL, inline: the caller runs on the loop's thread
        }
    },

    IO_URING {
        @Override
        IoHandlerFactory factory() {
            IoUring.ensureAvailability();
            return IoUringIoHandler.newFactory();
        }

        @Override
        void arm(IoRegistration r, FdHandle fd) {
            int mask = fd.listening ? POLLIN : POLLIN | POLLOUT | POLLRDHUP;
            fd.pollId = r.submit(new IoUringIoOps(
                    OP_POLL_ADD,
                    (byte) 0,
                    (short) 0,
                    fd.fd().intValue(),
                    0,
                    0,
                    POLL_ADD_MULTI,
                    mask,
                    POLL_DATA,
                    (short) 0,
                    (short) 0,
                    0,
                    0));
        }

        @Override
        int readiness(FdHandle fd, IoRegistration r, IoEvent event) {
            IoUringIoEvent e = (IoUringIoEvent) event;
            if (e.opcode() == OP_POLL_REMOVE) {
                if (e.res() == -EALREADY && r.isValid()) {
                    // The poll was in the middle of a wake-up (its task work queued, not yet run) when the removal
                    // looked for it, so it lives on: ask again. The wake-up runs in the loop's next wait into the
                    // kernel, so a later try finds the poll settled. (-ENOENT: it had ended already.)
                    remove(r, fd);
                }
                return 0;
            }
            if (e.opcode() != OP_POLL_ADD) {
                return 0;
            }
            int res = e.res();
            boolean ended = (e.flags() & CQE_F_MORE) == 0;
            if (ended) {
                if (!fd.isOpen()) {
                    // The poll's last completion: Netty drops the registration once nothing else is outstanding.
                    r.cancel();
                } else if (r.isValid()) {
                    arm(r, fd); // the kernel ended the multishot poll (it may, e.g. on overflow): ask again
                }
            }
            if (!fd.isOpen()) {
                return 0; // a late event, before the removal took: nobody waits any more
            }
            if (res < 0) {
                // -ECANCELED after our POLL_REMOVE; anything else is an error the next read or write will report
                return res == -ECANCELED ? 0 : FdHandle.READ_END | FdHandle.WRITE;
            }
            int ready = 0;
            if ((res & POLLIN) != 0) {
                ready |= FdHandle.READ;
            }
            if ((res & (POLLRDHUP | POLLERR | POLLHUP)) != 0) {
                ready |= FdHandle.READ_END;
            }
            if ((res & (POLLOUT | POLLERR | POLLHUP)) != 0) {
                ready |= FdHandle.WRITE;
            }
            return ready;
        }

        /**
         * Removes the poll, which holds a reference to the socket's file: the descriptor is released only once it is
         * gone. The registration stays valid until the poll's last completion arrives (see {@link #readiness}),
         * because a removal that finds the poll mid-wake-up fails with {@code EALREADY} and must be asked again; a
         * poll left behind would keep the file (and its port) open, and make the handler's shutdown, which waits for
         * every request to finish, wait forever.
         */
        @Override
        void disarm(IoRegistration r, FdHandle fd) {
            if (r.isValid()) {
                remove(r, fd);
            }
        }

        private void remove(IoRegistration r, FdHandle fd) {
            r.submit(new IoUringIoOps(
                    OP_POLL_REMOVE,
                    (byte) 0,
                    (short) 0,
                    -1,
                    0,
                    fd.pollId, // the sqe's addr (Netty's union2): the user data of the poll to remove
                    0,
                    0,
                    POLL_DATA,
                    (short) 0,
                    (short) 0,
                    0,
                    0));
        }
    };

    /** The system property that chooses the driver: {@code epoll} (the default) or {@code io_uring}. */
    public static final String PROPERTY = "spindle.netty.driver";

    // epoll(7) and poll(2) event bits, and io_uring opcodes and flags (include/uapi/linux/io_uring.h): stable kernel
    // ABI, spelled out here because Netty keeps its own copies package-private.
    private static final int EPOLLIN_ = 0x001;
    private static final int EPOLLOUT_ = 0x004;
    private static final int EPOLLERR_ = 0x008;
    private static final int EPOLLHUP_ = 0x010;
    private static final int EPOLLRDHUP_ = 0x2000;
    private static final int POLLIN = 0x001;
    private static final int POLLOUT = 0x004;
    private static final int POLLERR = 0x008;
    private static final int POLLHUP = 0x010;
    private static final int POLLRDHUP = 0x2000;
    private static final byte OP_POLL_ADD = 6;
    private static final byte OP_POLL_REMOVE = 7;
    private static final int POLL_ADD_MULTI = 1;
    private static final int CQE_F_MORE = 1 << 1;
    private static final int ECANCELED = 125;
    private static final int EALREADY = 114;
    private static final long POLL_DATA = 0;

    /** Netty's handler factory for this driver. @throws UnsatisfiedLinkError if the native transport is missing */
    abstract IoHandlerFactory factory();

    /** Asks once for edge-triggered readiness of {@code fd}, just registered as {@code r}. */
    abstract void arm(IoRegistration r, FdHandle fd);

    /**
     * What {@code event} (delivered for {@code fd}) says is ready: {@link FdHandle#READ}, {@link FdHandle#READ_END}
     * (peer closed, hang-up or error) and/or {@link FdHandle#WRITE}.
     */
    abstract int readiness(FdHandle fd, IoRegistration r, IoEvent event);

    /** Stops watching {@code fd}, before its descriptor is closed. Loop thread only. */
    abstract void disarm(IoRegistration r, FdHandle fd);

    /** The driver named by {@value #PROPERTY}. */
    public static IoDriver chosen() {
        String name = System.getProperty(PROPERTY, "epoll").trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "epoll" -> EPOLL;
            case "io_uring", "iouring", "uring" -> IO_URING;
            default ->
                throw new IllegalStateException(
                        "-D" + PROPERTY + "=" + name + " names no Netty driver; use epoll or io_uring");
        };
    }

    /** Whether this driver's native transport loads on this machine. */
    public boolean isAvailable() {
        return this == EPOLL ? Epoll.isAvailable() : IoUring.isAvailable();
    }
}
