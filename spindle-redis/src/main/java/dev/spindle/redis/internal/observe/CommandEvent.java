package dev.spindle.redis.internal.observe;

import dev.spindle.observe.SpindleEvent;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * Not API: the JFR event {@code dev.spindle.redis.Command}, one Redis command from send to reply. Records the command's
 * name only, never its arguments (keys and values may be secrets: AUTH's password, a session token).
 *
 * <p>Loaded only behind {@link dev.spindle.observe.SpindleJfr#recording()}: callers write
 * {@code CommandEvent e = SpindleJfr.recording() ? CommandEvent.start() : null;} and keep the variable of this exact
 * type (so the verifier of the calling class never needs to load it).
 */
@Name("dev.spindle.redis.Command")
@Label("Redis Command")
@Description("A Redis command, from its send to its reply")
@StackTrace(false)
@Threshold("20 ms") // as JFR's own I/O events: a recording with default settings keeps only slow ones
public final class CommandEvent extends SpindleEvent {
    @Label("Command")
    @Description("The command's name (arguments are never recorded)")
    String command;

    @Label("Server")
    String server;

    @Label("Outcome")
    @Description("ok, error (an error reply or a failure), cancelled")
    String outcome;

    /** A begun event, or null when the recording does not enable it. */
    public static CommandEvent start() {
        CommandEvent e = new CommandEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    /** Ends and, if the recording's settings keep it, fills and commits the event. */
    public void finish(String command, String server, String outcome) {
        end();
        if (shouldCommit()) {
            this.command = command;
            this.server = server;
            this.outcome = outcome;
            bindToCurrentTask();
            commit();
        }
    }
}
