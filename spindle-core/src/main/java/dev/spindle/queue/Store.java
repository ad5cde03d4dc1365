package dev.spindle.queue;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The items of a {@link LoopQueue} and the order it hands them out in (asyncio's {@code _init}, {@code _put} and
 * {@code _get} of {@code Queue}, {@code LifoQueue} and {@code PriorityQueue}). Confined to the queue's loop, like
 * the queue. Never holds {@code null}.
 */
abstract sealed class Store<E> {
    abstract void add(E item);

    /** Removes and returns the next item; the store is not empty. */
    abstract E remove();

    abstract int size();

    abstract void clear();

    /**
     * Puts back an item that {@link #remove()} just handed out, so that it comes out next again (an iterator that
     * fetched it ahead and was closed before returning it).
     */
    abstract void restore(E item);

    /** For {@link LoopQueue#toString()}. */
    abstract String kind();

    final boolean isEmpty() {
        return size() == 0;
    }

    /**
     * First in, first out, or last in, first out (a stack): both take from the head of one deque, and differ only in
     * the end that {@link #add} puts new items at.
     */
    static final class Ends<E> extends Store<E> {
        private final ArrayDeque<E> items = new ArrayDeque<>();
        private final boolean lifo;

        Ends(boolean lifo) {
            this.lifo = lifo;
        }

        @Override
        void add(E item) {
            if (lifo) {
                items.addFirst(item);
            } else {
                items.addLast(item);
            }
        }

        @Override
        E remove() {
            return items.pollFirst();
        }

        @Override
        void restore(E item) {
            items.addFirst(item);
        }

        @Override
        int size() {
            return items.size();
        }

        @Override
        void clear() {
            items.clear();
        }

        @Override
        String kind() {
            return lifo ? "lifo" : "fifo";
        }
    }

    /**
     * Smallest first by the comparator; items that compare equal come out in the order they went in. A binary heap
     * alone is not stable, so each item carries the sequence number of its insertion and ties compare on it.
     */
    static final class Priority<E> extends Store<E> {
        private record Entry<E>(E item, long seq) {}

        private final PriorityQueue<Entry<E>> heap;
        private long nextSeq;
        /** Sequence numbers for restored items: below every inserted one, so they win ties again. */
        private long restoredSeq = -1;

        Priority(Comparator<? super E> order) {
            Comparator<Entry<E>> byItem = (a, b) -> order.compare(a.item(), b.item());
            this.heap = new PriorityQueue<>(byItem.thenComparingLong(Entry::seq));
        }

        @Override
        void add(E item) {
            // If the comparator throws, PriorityQueue leaves the heap as it was: the item is simply not added.
            heap.add(new Entry<>(item, nextSeq));
            nextSeq++;
        }

        @Override
        E remove() {
            return heap.poll().item();
        }

        @Override
        void restore(E item) {
            heap.add(new Entry<>(item, restoredSeq--));
        }

        @Override
        int size() {
            return heap.size();
        }

        @Override
        void clear() {
            heap.clear();
        }

        @Override
        String kind() {
            return "priority";
        }
    }
}
