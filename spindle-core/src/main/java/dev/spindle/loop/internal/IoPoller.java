package dev.spindle.loop.internal;

/**
 * Not API: what a loop waits on when nothing is ready, once it does I/O of its own (asyncio's selector, tokio's I/O
 * driver). A loop starts without one and parks on its {@link Inbox}; the first stream, server or datagram endpoint
 * installs a poller ({@link EventLoop#poller}), and from then on every pass polls it:
 *
 * <ul>
 *   <li>with a timeout of zero when coroutines are ready, so that busy coroutines cannot starve I/O;
 *   <li>otherwise until the next timer is due, readiness arrives, or another thread hands the loop work
 *       ({@link #wakeup()}).
 * </ul>
 *
 * <p>Readiness is delivered on the loop's thread, inside {@link #poll}, typically by signalling the coroutines that
 * wait for it, so readiness never crosses threads. Implementations: the JDK {@code Selector} of
 * {@code dev.spindle.io.internal}, and Netty's {@code IoHandler}s in {@code spindle-netty}.
 */
public interface IoPoller {
    /**
     * Waits for I/O readiness and handles what is ready. Called on the loop's thread only.
     *
     * @param nanos how long to wait at most: 0 for not at all, a negative value for no limit
     */
    void poll(long nanos);

    /**
     * Whether some coroutine now waits for readiness here. A loop on virtual time then waits a little in real time
     * before it jumps its clock (see {@link VirtualTime}). Pollers that do not count their waiters keep this
     * default, which says yes whenever asked. Loop thread only.
     */
    default boolean hasWaiters() {
        return true;
    }

    /** Makes a {@link #poll} in progress return soon, or the next one return at once. Thread-safe. */
    void wakeup();

    /** Releases the poller's resources; called when the loop closes, on the thread that closes it. */
    void close();
}
