package dev.spindle.task;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.loop.Loop;
import dev.spindle.test.SpindleTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

@SpindleTest
class ContextVarTest {
    static final ContextVar<String> REQUEST = new ContextVar<>("request", "-");
    static final ContextVar<Integer> NO_DEFAULT = new ContextVar<>("no-default");

    @Test
    void aTaskStartsWithACopyOfItsCreatorsContext() {
        REQUEST.set("r-1");
        Task<String> child = spawn(() -> {
            String seen = REQUEST.get();
            REQUEST.set("child's own");
            sleep(Duration.ofMillis(1));
            return seen + "/" + REQUEST.get();
        });
        REQUEST.set("r-2"); // after spawning: the child keeps r-1
        assertEquals("r-1/child's own", child.await());
        assertEquals("r-2", REQUEST.get(), "the child's set does not leak into its creator");
    }

    @Test
    void siblingsDoNotSeeEachOthersValues() {
        List<Task<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int k = i;
            tasks.add(spawn(() -> {
                REQUEST.set("task-" + k);
                sleep(Duration.ofMillis(10 - k));
                return REQUEST.get();
            }));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("task-" + i, tasks.get(i).await());
        }
    }

    @Test
    void resetRestoresThePreviousValueOnce() {
        assertThrows(NoSuchElementException.class, NO_DEFAULT::get);
        assertEquals(5, NO_DEFAULT.getOrElse(5));
        ContextVar.Token t1 = NO_DEFAULT.set(1);
        ContextVar.Token t2 = NO_DEFAULT.set(2);
        NO_DEFAULT.reset(t2);
        assertEquals(1, NO_DEFAULT.get());
        NO_DEFAULT.reset(t1);
        assertThrows(NoSuchElementException.class, NO_DEFAULT::get);
        assertThrows(IllegalArgumentException.class, () -> NO_DEFAULT.reset(t1));
        assertThrows(IllegalArgumentException.class, () -> REQUEST.reset(t2));
    }

    @Test
    void callbacksRunInTheContextWhereTheyWereScheduled() {
        List<String> seen = new ArrayList<>();
        REQUEST.set("at schedule");
        Loop.current().callSoon(() -> seen.add(REQUEST.get()));
        REQUEST.set("later");
        sleep(Duration.ZERO);
        sleep(Duration.ZERO);
        assertEquals(List.of("at schedule"), seen);
    }

    @Test
    void toThreadSeesTheCallersContext() {
        REQUEST.set("propagated");
        assertEquals("propagated", toThread(REQUEST::get));
    }

    @Test
    void contextRunSwapsTheContextTemporarily() {
        REQUEST.set("a");
        Context snapshot = Context.current();
        REQUEST.set("b");
        List<String> seen = new ArrayList<>();
        snapshot.run(() -> seen.add(REQUEST.get()));
        seen.add(REQUEST.get());
        assertEquals(List.of("a", "b"), seen);
    }
}
