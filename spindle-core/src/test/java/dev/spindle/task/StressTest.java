package dev.spindle.task;

import static dev.spindle.Spindle.gather;
import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.loop.Loop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StressTest {
    @Test
    void hundredThousandTasksWithSleepsYieldsAndCancellations() {
        int n = 100_000;
        long[] sums = run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                tasks.add(spawn(() -> {
                    if (k % 3 == 0) {
                        sleep(Duration.ofNanos(k % 1000 * 1000L));
                    } else if (k % 3 == 1) {
                        sleep(Duration.ZERO);
                    }
                    return k;
                }));
            }
            List<Task<Void>> doomed = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                doomed.add(spawn(() -> sleep(Duration.ofHours(1))));
            }
            sleep(Duration.ZERO);
            doomed.forEach(Task::cancel);
            long sum = 0;
            for (int v : gather(tasks)) {
                sum += v;
            }
            long cancelled = 0;
            for (Outcome<Void> o : Tasks.gatherOutcomes(doomed)) {
                if (o instanceof Outcome.Failure<Void> f && f.exception() instanceof Cancelled) {
                    cancelled++;
                }
            }
            return new long[] {sum, cancelled, Loop.current().allTasks().size()};
        });
        assertEquals((long) n * (n - 1) / 2, sums[0]);
        assertEquals(10_000, sums[1]);
        assertEquals(1, sums[2], "only the main task is left");
    }
}
