package dev.spindle.examples;

import static dev.spindle.Spindle.run;

import dev.spindle.gen.Generator;
import dev.spindle.gen.Greenlet;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * 1 协程: the two older ways the tutorial names for switching between blocks of code on one thread, before
 * async/await: greenlet (explicit switches) and {@code yield} (generators).
 *
 * <p>Both interleave two functions as {@code 1, 3, 2, 4}-style sequences without any waiting: the switching is
 * the point, and neither helps with I/O by itself (that is what the loop adds). In Spindle both run on virtual
 * threads carried by the caller, on a plain thread as here or inside a coroutine.
 */
public final class EarlyCoroutines {
    private EarlyCoroutines() {}

    /**
     * greenlet: {@code func1} prints 1, switches to {@code func2}, which prints 3 and switches back; {@code func1}
     * prints 2 and switches again; {@code func2} prints 4. Output: 1 3 2 4.
     */
    public static List<Integer> greenlets(PrintStream out) {
        List<Integer> printed = new ArrayList<>();
        Greenlet[] gr = new Greenlet[2];
        gr[0] = new Greenlet(
                args -> { // func1
                    say(out, printed, 1);
                    gr[1].switchTo(); // 第2步: switch to func2
                    say(out, printed, 2);
                    gr[1].switchTo(); // 第4步
                    return null;
                });
        gr[1] = new Greenlet(
                args -> { // func2
                    say(out, printed, 3);
                    gr[0].switchTo(); // 第3步: back to func1, after its switch
                    say(out, printed, 4);
                    return null;
                });
        gr[0].switchTo(); // 第1步: start func1
        return printed;
    }

    /**
     * yield: {@code func1} yields 1, then everything {@code func2} yields (Python's {@code yield from}), then 2;
     * {@code func2} yields 3 and 4. Iterating prints 1 3 4 2.
     */
    public static List<Integer> generators(PrintStream out) {
        List<Integer> printed = new ArrayList<>();
        try (Generator<Integer> func1 = Generator.of(y -> {
            y.yield(1);
            for (int v : func2()) { // yield from func2()
                y.yield(v);
            }
            y.yield(2);
        })) {
            for (int item : func1) {
                say(out, printed, item);
            }
        }
        return printed;
    }

    private static Generator<Integer> func2() {
        return Generator.of(y -> {
            y.yield(3);
            y.yield(4);
        });
    }

    private static void say(PrintStream out, List<Integer> printed, int n) {
        printed.add(n);
        out.println(n);
    }

    public static void main(String[] args) {
        System.out.println("greenlet:");
        greenlets(System.out);
        System.out.println("yield:");
        generators(System.out);
        System.out.println("the same inside a coroutine:");
        run(() -> {
            greenlets(System.out);
            generators(System.out);
        });
    }
}
