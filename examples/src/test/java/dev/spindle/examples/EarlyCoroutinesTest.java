package dev.spindle.examples;

import static dev.spindle.Spindle.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyCoroutinesTest {
    @Test
    void greenletsInterleaveOneThreeTwoFourOnAPlainThreadAndInACoroutine() {
        Output out = new Output();
        assertEquals(List.of(1, 3, 2, 4), EarlyCoroutines.greenlets(out.stream));
        assertEquals(List.of(1, 3, 2, 4), run(() -> EarlyCoroutines.greenlets(out.stream)));
        assertEquals(List.of("1", "3", "2", "4", "1", "3", "2", "4"), out.lines());
    }

    @Test
    void generatorsYieldOneThenFuncTwoThenTwo() {
        Output out = new Output();
        assertEquals(List.of(1, 3, 4, 2), EarlyCoroutines.generators(out.stream));
        assertEquals(List.of(1, 3, 4, 2), run(() -> EarlyCoroutines.generators(out.stream)));
    }
}
