package dev.spindle.http.websocket.internal;

import dev.spindle.http.websocket.Message;

/**
 * Joins data frames into {@link Message}s (RFC 6455 §5.4), inflating compressed ones (RFC 7692), and checks what the
 * frame decoder cannot see frame by frame:
 * <ul>
 *   <li>1002: a continuation frame with no message begun; a text or binary frame while one is unfinished.
 *   <li>1007: a text message that is not UTF-8, found at the first bad byte even across fragments (§8.1: fail
 *       fast), or ending inside a code point; compressed data that does not inflate.
 *   <li>1009: a message whose (inflated) size passes the limit, found before buffering past it.
 * </ul>
 * Control frames go to the session, not here (they may arrive between the fragments of a message). Pure: no I/O.
 */
public final class MessageAssembler {
    private final long maxSize;
    private final PerMessageDeflate deflate;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final MessageBuffer buffer;

    private boolean inMessage;
    private boolean text;
    private boolean compressed;

    /** @param deflate the connection's permessage-deflate, or {@code null} if not negotiated */
    public MessageAssembler(long maxSize, PerMessageDeflate deflate) {
        this.maxSize = maxSize;
        this.deflate = deflate;
        this.buffer = new MessageBuffer(maxSize);
    }

    /**
     * Takes a text, binary or continuation frame; returns the message it completes, or {@code null}.
     *
     * @throws ProtocolError for a frame the connection must be failed for
     */
    public Message accept(Frame f) {
        int op = f.opcode();
        byte[] p = f.payload();
        if (op == Opcode.CONTINUATION) {
            if (!inMessage) {
                throw new ProtocolError(1002, "continuation frame with no message begun");
            }
        } else {
            if (inMessage) {
                throw new ProtocolError(
                        1002,
                        Opcode.name(op) + " frame while a fragmented message is unfinished (expected continuation)");
            }
            if (f.fin() && !f.rsv1()) {
                return whole(op == Opcode.TEXT, p); // one frame, not compressed: the common case, no copy
            }
            inMessage = true;
            text = op == Opcode.TEXT;
            compressed = f.rsv1();
        }
        if (compressed) {
            int before = buffer.size();
            deflate.inflate(p, f.fin(), buffer);
            if (text && !utf8.feed(buffer.array(), before, buffer.size() - before)) {
                throw invalidUtf8();
            }
        } else {
            if (text && !utf8.feed(p, 0, p.length)) {
                throw invalidUtf8();
            }
            buffer.append(p, 0, p.length);
        }
        if (!f.fin()) {
            return null;
        }
        if (text && !utf8.isComplete()) {
            throw new ProtocolError(1007, "text message ends inside a UTF-8 sequence");
        }
        inMessage = false;
        utf8.reset();
        byte[] data = buffer.take();
        return text ? Messages.text(data) : Message.binary(data);
    }

    /** Whether a fragmented message is unfinished. */
    public boolean inMessage() {
        return inMessage;
    }

    private Message whole(boolean isText, byte[] p) {
        if (p.length > maxSize) {
            throw buffer.tooBig(p.length);
        }
        if (isText) {
            if (!Utf8Validator.isValid(p, 0, p.length)) {
                throw invalidUtf8();
            }
            return Messages.text(p);
        }
        return Message.binary(p);
    }

    private static ProtocolError invalidUtf8() {
        return new ProtocolError(1007, "text message is not valid UTF-8");
    }
}
