package dev.spindle.http.websocket.internal;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * permessage-deflate (RFC 7692) for one connection: a raw-deflate {@link Deflater} for what this side sends and an
 * {@link Inflater} for what it receives, each kept across messages (context takeover) unless negotiated otherwise.
 *
 * <h2>The tail</h2>
 * A compressed message is the deflate stream flushed with SYNC_FLUSH, without the {@code 00 00 ff ff} that flush
 * ends with (§7.2.1); the receiver appends those four bytes again before inflating the last fragment (§7.2.2).
 *
 * <h2>Zip bombs</h2>
 * Inflating writes into a {@link MessageBuffer} that refuses to grow past the message size limit: a small frame that
 * would inflate to gigabytes fails with 1009 after at most the limit was produced.
 *
 * <p>Idle connections pay nothing: each half's zlib state is made when it is first needed.
 *
 * <p>Not thread-safe: the compressor is used under the connection's send lock, the inflater by its reader only.
 * {@link #close()} frees the native zlib memory; the session calls it when the connection is done.
 */
public final class PerMessageDeflate implements AutoCloseable {
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    /** Made on first use: zlib's state is ~260 KiB for a compressor, ~40 KiB for an inflater, in native memory. */
    private Deflater deflater;

    private Inflater inflater;
    private final int level;
    private final boolean resetDeflater;
    private final boolean resetInflater;
    private boolean closed;

    /**
     * @param server which side this is: the server's compressor follows {@code server_no_context_takeover}
     * @param level the deflate level, 1..9 (or -1 for zlib's default, 6)
     */
    public PerMessageDeflate(DeflateParams params, boolean server, int level) {
        this.level = level;
        this.resetDeflater = server ? params.serverNoContextTakeover() : params.clientNoContextTakeover();
        this.resetInflater = server ? params.clientNoContextTakeover() : params.serverNoContextTakeover();
    }

    /**
     * Compresses {@code p[off, off + len)} as one message. The result holds the compressed bytes at
     * {@code [FrameEncoder.MAX_HEADER, returned length)}, leaving room in front for the frame header.
     *
     * @return {@code {array, end}} packed as the array and its end index in {@code end[0]}
     */
    public byte[] compress(byte[] p, int off, int len, int[] end) {
        if (closed) {
            throw new IllegalStateException("compressor closed");
        }
        int front = FrameEncoder.MAX_HEADER;
        if (len == 0) {
            // §7.2.3.6: an empty message is the single byte 00 (with the tail, an empty stored block). The Deflater
            // is left alone: fed no input, the JDK's holds a flush back and sends it with the next message, which
            // then inflates to extra bytes.
            end[0] = front + 1;
            return new byte[front + 1];
        }
        return deflateSync(p, off, len, true, end);
    }

    /**
     * Compresses {@code p[off, off + len)} as one fragment of a streamed message, continuing the message's deflate
     * stream: a fragment ends with a sync flush, so the peer can inflate it at once; the {@code last} one drops the
     * flush's tail (the receiver adds it back) and then forgets the context if this side does not keep it. An empty
     * fragment compresses to nothing (an empty last frame inflates, with the tail, to nothing). Same layout as
     * {@link #compress}.
     */
    public byte[] compressFragment(byte[] p, int off, int len, boolean last, int[] end) {
        if (closed) {
            throw new IllegalStateException("compressor closed");
        }
        if (len == 0) {
            if (last && resetDeflater && deflater != null) {
                deflater.reset();
            }
            end[0] = FrameEncoder.MAX_HEADER;
            return new byte[FrameEncoder.MAX_HEADER];
        }
        return deflateSync(p, off, len, last, end);
    }

    private byte[] deflateSync(byte[] p, int off, int len, boolean last, int[] end) {
        int front = FrameEncoder.MAX_HEADER;
        if (deflater == null) {
            deflater = new Deflater(level, true);
        }
        byte[] out = new byte[front + Math.max(64, len / 2 + 16)];
        int size = front;
        deflater.setInput(p, off, len);
        while (true) {
            int n = deflater.deflate(out, size, out.length - size, Deflater.SYNC_FLUSH);
            size += n;
            if (size < out.length) {
                break; // SYNC_FLUSH filled less than the room: all input consumed and flushed
            }
            out = java.util.Arrays.copyOf(out, out.length * 2);
        }
        // a sync flush ends with an empty stored block 00 00 ff ff, which the receiver adds back (§7.2.1)
        if (!last) {
            end[0] = size;
            return out;
        }
        if (size - front >= 4
                && out[size - 4] == 0
                && out[size - 3] == 0
                && out[size - 2] == (byte) 0xff
                && out[size - 1] == (byte) 0xff) {
            size -= 4;
        }
        if (resetDeflater) {
            deflater.reset();
        }
        end[0] = size;
        return out;
    }

    /**
     * Inflates one fragment of a compressed message into {@code out}; with {@code last}, also the tail, and then
     * forgets the context if the peer does not keep it.
     *
     * @throws ProtocolError 1007 for data that is not deflate, 1009 past the buffer's limit
     */
    void inflate(byte[] p, boolean last, MessageBuffer out) {
        if (closed) {
            throw new IllegalStateException("inflater closed");
        }
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        try {
            run(p, out);
            if (last) {
                run(TAIL, out);
                if (resetInflater || inflater.finished()) {
                    // a peer that set BFINAL starts a new stream with its next message
                    inflater.reset();
                }
            }
        } catch (DataFormatException e) {
            throw new ProtocolError(1007, "invalid compressed data: " + e.getMessage());
        }
    }

    private void run(byte[] in, MessageBuffer out) throws DataFormatException {
        if (inflater.finished()) {
            if (in == TAIL) {
                return; // the stream ended inside the message (BFINAL): the tail has nothing to add
            }
            if (in.length > 0) {
                throw new ProtocolError(1007, "compressed data after the end of the deflate stream");
            }
        }
        inflater.setInput(in);
        while (true) {
            int room = out.ensureRoomForInflate();
            int n = inflater.inflate(out.array(), out.size(), room);
            out.advance(n);
            if (inflater.needsDictionary()) {
                throw new ProtocolError(1007, "compressed data asks for a preset dictionary");
            }
            if (inflater.finished() || (n == 0 && inflater.needsInput())) {
                if (inflater.finished() && inflater.getRemaining() > 0) {
                    throw new ProtocolError(1007, "compressed data after the end of the deflate stream");
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (deflater != null) {
                deflater.end();
            }
            if (inflater != null) {
                inflater.end();
            }
        }
    }
}
