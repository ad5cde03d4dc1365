package dev.spindle.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/** Tells pub/sub frames (messages, subscription confirmations) from command replies on a RESP2 subscribed connection. */
public final class PubSubKinds {
    private static final Set<String> KINDS = Set.of(
            "message",
            "pmessage",
            "smessage",
            "subscribe",
            "unsubscribe",
            "psubscribe",
            "punsubscribe",
            "ssubscribe",
            "sunsubscribe",
            "pong");

    private PubSubKinds() {}

    /** The frame's kind ({@code "message"}...), or null when it is none. */
    public static String kind(List<?> frame) {
        if (frame.isEmpty()) {
            return null;
        }
        Object first = frame.get(0);
        String s = first instanceof byte[] b
                ? new String(b, StandardCharsets.US_ASCII)
                : first instanceof String str ? str : null;
        return s != null && KINDS.contains(s) ? s : null;
    }

    static boolean isPubSub(List<?> frame) {
        return kind(frame) != null;
    }
}
