package dev.spindle.tutorial;

// tutorial:begin
import dev.spindle.gen.Generator;

public class YieldGenerators {
    static Generator<Integer> func1() {
        return Generator.of(out -> {
            out.yield(1);
            for (int value : func2()) { // Python's "yield from func2()"
                out.yield(value);
            }
            out.yield(2);
        });
    }

    static Generator<Integer> func2() {
        return Generator.of(out -> {
            out.yield(3);
            out.yield(4);
        });
    }

    public static void main(String[] args) {
        for (int item : func1()) {
            System.out.println(item);
        }
    }
}
// tutorial:end
