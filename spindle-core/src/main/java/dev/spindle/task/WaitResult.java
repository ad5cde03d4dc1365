package dev.spindle.task;

import java.util.Set;

/**
 * What {@link Tasks#waitTasks} returns: the futures that were done when it returned, and those still pending, each
 * in the order they were given.
 *
 * {@snippet :
 * WaitResult<Task<Integer>> r = waitTasks(List.of(a, b, c), ReturnWhen.FIRST_COMPLETED);
 * for (Task<Integer> t : r.done()) System.out.println(t.name() + ": " + t.result());
 * r.pending().forEach(Task::cancel);
 * }
 *
 * @param <F> the type of the futures given, so that tasks come back as tasks
 * @param done futures that are done
 * @param pending futures that are not
 */
public record WaitResult<F extends LoopFuture<?>>(Set<F> done, Set<F> pending) {
    public WaitResult {
        done = java.util.Collections.unmodifiableSet(done);
        pending = java.util.Collections.unmodifiableSet(pending);
    }
}
