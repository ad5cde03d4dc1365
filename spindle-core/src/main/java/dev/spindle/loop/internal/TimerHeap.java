package dev.spindle.loop.internal;

import java.util.Arrays;

/**
 * The loop's timers: a binary min-heap on (deadline, scheduling order), confined to the loop's thread.
 *
 * <p>Cancelled timers stay in the heap until they reach the top, as in asyncio, unless they become more than half
 * of it, when {@link #purgeCancelled()} rebuilds it; so cancelling is O(1) and memory stays bounded.
 */
final class TimerHeap {
    private CallbackHandle[] heap = new CallbackHandle[64];
    private int size;
    private int cancelled;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(CallbackHandle h) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        // sift up
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            CallbackHandle p = heap[parent];
            if (!less(h, p)) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = h;
    }

    /** The earliest live timer, dropping cancelled ones on the way, or {@code null}. */
    CallbackHandle peek() {
        while (size > 0) {
            CallbackHandle top = heap[0];
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

    void noteCancelled() {
        cancelled++;
        if (cancelled > 64 && cancelled > size / 2) {
            purgeCancelled();
        }
    }

    void purgeCancelled() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (!heap[i].isCancelled()) {
                heap[n++] = heap[i];
            }
        }
        Arrays.fill(heap, n, size, null);
        size = n;
        cancelled = 0;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
    }

    void clear() {
        Arrays.fill(heap, 0, size, null);
        size = 0;
        cancelled = 0;
    }

    private void removeTop() {
        CallbackHandle last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            siftDown(0, last);
        }
    }

    private void siftDown(int i, CallbackHandle h) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            CallbackHandle c = heap[child];
            int right = child + 1;
            if (right < size && less(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!less(c, h)) {
                break;
            }
            heap[i] = c;
            i = child;
        }
        heap[i] = h;
    }

    private static boolean less(CallbackHandle a, CallbackHandle b) {
        return a.when < b.when || (a.when == b.when && a.seq < b.seq);
    }
}
