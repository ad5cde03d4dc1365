package dev.spindle.laundromat.washes;

/**
 * Why a wash could not be started or cancelled; the API maps each to a status ({@link NoFreeMachine} and
 * {@link MachineBusy} to 409, {@link NotFound} to 404, {@link NotActive} to 409).
 */
public sealed class WashError extends RuntimeException {
    WashError(String message) {
        super(message);
    }

    /** Every machine is busy. */
    public static final class NoFreeMachine extends WashError {
        NoFreeMachine() {
            super("every machine is busy; try again when one is free");
        }
    }

    /** The machine asked for is busy (or does not exist). */
    public static final class MachineBusy extends WashError {
        MachineBusy(int machine) {
            super("machine " + machine + " is busy");
        }
    }

    /** No such wash for this customer. */
    public static final class NotFound extends WashError {
        NotFound(long wash) {
            super("no wash " + wash + " of yours");
        }
    }

    /** The wash is over already (done or cancelled). */
    public static final class NotActive extends WashError {
        NotActive(long wash, String state) {
            super("wash " + wash + " is " + state + " already");
        }
    }
}
