package dev.spindle.sync.internal;

import dev.spindle.loop.internal.EventLoop;

/**
 * Not API: the loop a primitive belongs to. Like asyncio's primitives since Python 3.10, a primitive may be made
 * anywhere (in a field initialiser, before any loop runs) and binds to the loop of its first use; using it from
 * another loop's thread, or from a plain thread, then fails with a message that says so and points to the
 * thread-safe alternatives.
 */
public final class LoopBinding {
    private final String kind;
    private EventLoop loop;

    /** @param kind the primitive's class name, for error messages */
    public LoopBinding(String kind) {
        this.kind = kind;
    }

    /**
     * Returns the loop this primitive belongs to, binding it to the current loop on first use.
     *
     * @throws IllegalStateException when called off the bound loop's thread, or where no loop runs
     */
    public EventLoop check() {
        EventLoop l = loop;
        if (l != null && l.inLoopThread()) {
            return l;
        }
        EventLoop here = EventLoop.currentOrNull();
        if (here == null || !here.inLoopThread()) {
            throw new IllegalStateException("a " + kind + " is confined to one loop and must be used from its"
                    + " coroutines or callbacks, not from " + Thread.currentThread() + offLoopHint());
        }
        if (l == null) {
            loop = here;
            return here;
        }
        throw new IllegalStateException(
                "this " + kind + " belongs to " + l.name() + " and cannot be used from " + here.name() + offLoopHint());
    }

    /** The bound loop, or {@code null} before the first use. */
    public EventLoop loopOrNull() {
        return loop;
    }

    /** Binds to {@code l} now (for primitives given their loop explicitly). */
    public void bind(EventLoop l) {
        if (loop != null && loop != l) {
            throw new IllegalStateException("this " + kind + " already belongs to " + loop.name());
        }
        loop = l;
    }

    private String offLoopHint() {
        return kind.endsWith("Queue")
                ? ": use its threadsafe() view from other threads and loops"
                : ": from another thread, go through loop.callSoonThreadsafe(...) or loop.submit(...)";
    }
}
