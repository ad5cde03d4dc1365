package dev.spindle.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LaundromatTest {
    @Test
    void machinesStartInOrderAndFinishInOrderOfWashTime() {
        Output out = new Output();
        Laundromat.Result r = Laundromat.laundromat(out.stream, Duration.ofMillis(50));

        List<Integer> byWashTime = IntStream.rangeClosed(1, 10)
                .boxed()
                .sorted(Comparator.comparing(m -> Laundromat.WASH_UNITS.get(m - 1)))
                .toList();
        assertEquals(List.of(6, 2, 8, 4, 10, 1, 7, 9, 3, 5), byWashTime);
        assertEquals(byWashTime, r.finishOrder());

        // the worker switches all ten on before any is done, then unloads them as they finish
        List<String> lines = out.timelineLines();
        assertEquals(20, lines.size());
        for (int i = 0; i < 10; i++) {
            assertTrue(lines.get(i).startsWith("machine " + (i + 1) + " started"), lines.get(i));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("machine " + byWashTime.get(i) + " done: the worker unloads it", lines.get(10 + i));
        }
        assertEquals(55 * 0.05, r.sumOfWashesSeconds(), 1e-9);
    }
}
