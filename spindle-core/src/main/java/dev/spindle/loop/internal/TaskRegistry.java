package dev.spindle.loop.internal;

import dev.spindle.task.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The live tasks of one loop, oldest first: an intrusive doubly linked list, so adding and removing cost O(1) and
 * no hashing. Confined to the loop's thread. Strong references: a task cannot be garbage-collected while it may
 * still run, and {@code Spindle.run} finds every task left to cancel here.
 */
public final class TaskRegistry {
    /**
     * One entry; the task keeps it so that removal needs no search. A task's runner extends it, so that
     * registering costs no allocation.
     */
    public static class Node {
        /** The registered task. */
        public final Task<?> task;

        Node prev;
        Node next;

        protected Node(Task<?> task) {
            this.task = task;
        }

        /**
         * Whether the task has started and, while it is not running, waits somewhere other than Spindle's own park:
         * blocked in a JDK call, or on its way back from one. Loop thread only; meaningful while the loop is idle.
         */
        protected boolean blockedOutsideSpindle() {
            return false;
        }
    }

    private Node head;
    private Node tail;
    private int size;
    /** How many tasks were ever added; read racily by metrics. */
    private long added;

    public void add(Node n) {
        added++;
        if (tail == null) {
            head = tail = n;
        } else {
            n.prev = tail;
            tail.next = n;
            tail = n;
        }
        size++;
    }

    public void remove(Node n) {
        if (n == null) {
            return;
        }
        if (n.prev != null) {
            n.prev.next = n.next;
        } else if (head == n) {
            head = n.next;
        } else {
            return; // not in the list
        }
        if (n.next != null) {
            n.next.prev = n.prev;
        } else {
            tail = n.prev;
        }
        n.prev = n.next = null;
        size--;
    }

    /** How many tasks are registered. Loop thread; other threads read a recent value. */
    public int size() {
        return size;
    }

    /** How many tasks were ever registered. Loop thread; other threads read a recent value. */
    public long added() {
        return added;
    }

    /** Whether some task is blocked outside Spindle's park (see {@link Node#blockedOutsideSpindle()}). */
    public boolean anyBlockedOutsideSpindle() {
        for (Node n = head; n != null; n = n.next) {
            if (n.blockedOutsideSpindle()) {
                return true;
            }
        }
        return false;
    }

    public List<Task<?>> snapshot() {
        List<Task<?>> out = new ArrayList<>(size);
        for (Node n = head; n != null; n = n.next) {
            out.add(n.task);
        }
        return out;
    }
}
