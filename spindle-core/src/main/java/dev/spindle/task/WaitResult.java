package dev.spindle.task;

import java.util.Set;

/**
 * What {@link Tasks#waitTasks} returns: the futures that were done when it returned, and those still pending, each
 * in the order they were given.
 *
 * {@snippet :
 * WaitResult<Integer> r = waitTasks(List.of(a, b, c), ReturnWhen.FIRST_COMPLETED);
 * for (LoopFuture<Integer> f : r.done()) System.out.println(f.result());
 * r.pending().forEach(LoopFuture::cancel);
 * }
 *
 * @param done futures that are done
 * @param pending futures that are not
 */
public record WaitResult<T>(Set<LoopFuture<T>> done, Set<LoopFuture<T>> pending) {
    public WaitResult {
        done = java.util.Collections.unmodifiableSet(done);
        pending = java.util.Collections.unmodifiableSet(pending);
    }
}
