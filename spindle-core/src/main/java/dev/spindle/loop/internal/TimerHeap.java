package dev.spindle.loop.internal;

import java.util.Arrays;

/**
 * The loop's timers: a 4-ary min-heap on (deadline, scheduling order), confined to the loop's thread.
 *
 * <p>Deadlines are kept in a {@code long[]} beside the handles, so sifting compares contiguous numbers instead of
 * chasing a pointer per comparison: with a million pending timers that is the difference between a cache miss
 * per level and a few per operation. Four children per node halve the depth of a binary heap. Ties on the
 * deadline (rare) fall back to the handles' scheduling order.
 *
 * <p>Cancelled timers stay in the heap until they reach the top, as in asyncio, unless they become more than half
 * of it, when {@link #purgeCancelled()} rebuilds it; so cancelling is O(1) and memory stays bounded.
 */
final class TimerHeap {
    private static final int ARITY = 4;

    private CallbackHandle[] handles = new CallbackHandle[64];
    private long[] deadlines = new long[64];
    private int size;
    private int cancelled;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(CallbackHandle h) {
        if (size == handles.length) {
            handles = Arrays.copyOf(handles, size * 2);
            deadlines = Arrays.copyOf(deadlines, size * 2);
        }
        siftUp(size++, h);
    }

    /** The earliest live timer, dropping cancelled ones on the way, or {@code null}. */
    CallbackHandle peek() {
        while (size > 0) {
            CallbackHandle top = handles[0];
            if (!top.isCancelled()) {
                return top;
            }
            removeTop();
            cancelled--;
        }
        return null;
    }

    CallbackHandle poll() {
        CallbackHandle top = peek();
        if (top != null) {
            removeTop();
        }
        return top;
    }

    /**
     * Counts a cancelled timer. The count may run ahead of the heap (a timer cancelled after it was moved to the
     * ready queue is counted too); that only makes a purge come early, and a purge recounts.
     */
    void noteCancelled() {
        cancelled++;
        if (cancelled > 64 && cancelled > size / 2) {
            purgeCancelled();
        }
    }

    void purgeCancelled() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (!handles[i].isCancelled()) {
                handles[n] = handles[i];
                deadlines[n] = deadlines[i];
                n++;
            }
        }
        Arrays.fill(handles, n, size, null);
        size = n;
        cancelled = 0;
        if (size > 1) {
            for (int i = (size - 2) / ARITY; i >= 0; i--) {
                siftDown(i, handles[i]);
            }
        }
    }

    void clear() {
        Arrays.fill(handles, 0, size, null);
        size = 0;
        cancelled = 0;
    }

    private void removeTop() {
        int last = --size;
        CallbackHandle h = handles[last];
        handles[last] = null;
        if (last > 0) {
            siftDown(0, h);
        }
    }

    private void siftUp(int i, CallbackHandle h) {
        long key = h.when;
        while (i > 0) {
            int parent = (i - 1) / ARITY;
            long pk = deadlines[parent];
            if (pk < key || (pk == key && handles[parent].seq < h.seq)) {
                break;
            }
            handles[i] = handles[parent];
            deadlines[i] = pk;
            i = parent;
        }
        handles[i] = h;
        deadlines[i] = key;
    }

    private void siftDown(int i, CallbackHandle h) {
        long key = h.when;
        int n = size;
        while (true) {
            int first = i * ARITY + 1;
            if (first >= n) {
                break;
            }
            int best = first;
            long bk = deadlines[first];
            int end = Math.min(first + ARITY, n);
            for (int c = first + 1; c < end; c++) {
                long ck = deadlines[c];
                if (ck < bk || (ck == bk && handles[c].seq < handles[best].seq)) {
                    best = c;
                    bk = ck;
                }
            }
            if (key < bk || (key == bk && h.seq < handles[best].seq)) {
                break;
            }
            handles[i] = handles[best];
            deadlines[i] = bk;
            i = best;
        }
        handles[i] = h;
        deadlines[i] = key;
    }
}
