package dev.spindle.http.websocket.internal;

import dev.spindle.http.websocket.Message;
import java.util.function.Function;

/**
 * Makes a text {@link Message} from bytes the assembler already checked as UTF-8, without a public constructor that
 * would let users skip the check. {@link Message}'s static initializer installs the factory.
 */
public final class Messages {
    private static volatile Function<byte[], Message> fromUtf8;

    private Messages() {}

    public static void install(Function<byte[], Message> factory) {
        fromUtf8 = factory;
    }

    /** A text message over {@code utf8}, which must be valid UTF-8 (not checked again). */
    static Message text(byte[] utf8) {
        Function<byte[], Message> f = fromUtf8;
        if (f == null) {
            Message.text(""); // runs Message's static initializer, which installs the factory
            f = fromUtf8;
        }
        return f.apply(utf8);
    }
}
