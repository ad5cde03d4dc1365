package dev.spindle.http.websocket;

import dev.spindle.http.websocket.internal.Messages;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One WebSocket message: text (valid UTF-8, checked on arrival) or binary, whole however many frames it came in.
 *
 * {@snippet :
 * for (Message m : ws) {
 *     if (m.isText()) {
 *         ws.send("you said: " + m.text());
 *     } else {
 *         ws.send(m); // echoes the bytes as they came, without decoding them
 *     }
 * }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>A received text message keeps its UTF-8 bytes and decodes them on the first {@link #text()}; one made with
 *       {@link #text(String)} encodes on the first {@link #data()}. Sending a received message again costs neither.
 *   <li>{@link #data()} returns the message's own array, not a copy, for speed: do not change it (for a message you
 *       will send, or one you received, that nobody else reads, you may).
 *   <li>Immutable otherwise, and safe to hand to another coroutine or thread.
 * </ul>
 */
public final class Message {
    private final boolean text;
    private volatile byte[] bytes;
    private volatile String string;

    static {
        Messages.install(utf8 -> new Message(true, utf8, null));
    }

    private Message(boolean text, byte[] bytes, String string) {
        this.text = text;
        this.bytes = bytes;
        this.string = string;
    }

    /** A text message. */
    public static Message text(String text) {
        return new Message(true, null, Objects.requireNonNull(text, "text"));
    }

    /** A binary message holding {@code data} itself (not a copy). */
    public static Message binary(byte[] data) {
        return new Message(false, Objects.requireNonNull(data, "data"), null);
    }

    public boolean isText() {
        return text;
    }

    public boolean isBinary() {
        return !text;
    }

    /**
     * The text of a text message.
     *
     * @throws IllegalStateException for a binary message
     */
    public String text() {
        if (!text) {
            throw new IllegalStateException("a binary message of " + bytes.length + " bytes has no text; use data()");
        }
        String s = string;
        if (s == null) {
            s = new String(bytes, StandardCharsets.UTF_8);
            string = s;
        }
        return s;
    }

    /** The payload: the bytes of a binary message, the UTF-8 bytes of a text message (the array itself). */
    public byte[] data() {
        byte[] b = bytes;
        if (b == null) {
            b = string.getBytes(StandardCharsets.UTF_8);
            bytes = b;
        }
        return b;
    }

    /** The payload's length in bytes. */
    public int length() {
        return data().length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && m.text == text && java.util.Arrays.equals(m.data(), data());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(data()) * 31 + (text ? 1 : 0);
    }

    @Override
    public String toString() {
        if (text) {
            String t = text();
            return "Message[text, \"" + (t.length() > 60 ? t.substring(0, 60) + "…" : t) + "\"]";
        }
        return "Message[binary, " + bytes.length + " bytes]";
    }
}
