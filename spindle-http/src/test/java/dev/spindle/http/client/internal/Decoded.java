package dev.spindle.http.client.internal;

import dev.spindle.http.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What a decoder made of some bytes: the heads, the body, the trailers, whether it ended and may be reused. */
record Decoded(List<ResponseDecoder.Head> heads, byte[] body, Headers trailers, boolean ended, boolean keepAlive) {
    static final ResponseDecoder.Limits LIMITS = ResponseDecoder.Limits.DEFAULTS;

    String text() {
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    ResponseDecoder.Head last() {
        return heads.getLast();
    }

    /** Feeds {@code wire} in pieces cut at {@code cuts} (ascending offsets), then EOF if {@code eof}. */
    static Decoded feed(String method, byte[] wire, int[] cuts, boolean eof) {
        ResponseDecoder d = new ResponseDecoder(LIMITS);
        d.start(method);
        List<ResponseDecoder.Head> heads = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Headers trailers = null;
        int from = 0;
        int piece = 0;
        while (true) {
            ResponseDecoder.Event e = d.next();
            switch (e) {
                case ResponseDecoder.Head h -> heads.add(h);
                case ResponseDecoder.Data data -> body.writeBytes(data.bytes());
                case ResponseDecoder.End end -> {
                    return new Decoded(heads, body.toByteArray(), end.trailers(), true, d.keepAlive());
                }
                case ResponseDecoder.NeedData n -> {
                    if (from < wire.length) {
                        int to = piece < cuts.length ? cuts[piece++] : wire.length;
                        d.receive(wire, from, to - from);
                        from = to;
                    } else if (eof && !d.eofReceived()) {
                        d.receiveEof();
                    } else {
                        return new Decoded(heads, body.toByteArray(), trailers, false, false);
                    }
                }
            }
        }
    }

    static Decoded whole(String method, String wire, boolean eof) {
        return feed(method, wire.getBytes(StandardCharsets.ISO_8859_1), new int[0], eof);
    }

    static Decoded byteByByte(String method, String wire, boolean eof) {
        byte[] b = wire.getBytes(StandardCharsets.ISO_8859_1);
        int[] cuts = new int[Math.max(0, b.length - 1)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        return feed(method, b, cuts, eof);
    }
}
