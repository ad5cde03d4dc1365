package dev.spindle.gen;

/**
 * Thrown at a producer's {@link Yielder#yield} when its generator is closed before the producer finished (Python's
 * {@code GeneratorExit}): an early {@code break} out of a try-with-resources loop, {@code close()}, a finalised
 * generator. The producer's {@code finally} blocks run; it should let the exception propagate.
 */
public final class GeneratorExit extends RuntimeException {
    public GeneratorExit() {
        super("generator closed", null, false, false);
    }
}
