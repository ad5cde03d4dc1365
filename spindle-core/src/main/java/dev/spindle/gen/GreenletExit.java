package dev.spindle.gen;

/**
 * Kills a {@link Greenlet} (greenlet's {@code GreenletExit}): thrown into one with {@link Greenlet#throwIn()}, it
 * unwinds the greenlet's body, running its {@code finally} blocks. Unlike other exceptions, a {@code GreenletExit}
 * that ends a greenlet is not raised in its parent: the parent's pending {@link Greenlet#switchTo} returns the
 * exception object as a value.
 *
 * {@snippet :
 * Object outcome = worker.throwIn(); // from worker's parent: kills it
 * assert outcome instanceof GreenletExit && worker.isDead();
 * }
 */
public final class GreenletExit extends RuntimeException {
    public GreenletExit() {
        this("greenlet killed");
    }

    public GreenletExit(String message) {
        super(message, null, false, false);
    }
}
