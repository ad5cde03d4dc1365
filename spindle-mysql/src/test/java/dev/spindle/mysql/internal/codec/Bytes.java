package dev.spindle.mysql.internal.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Builds byte vectors by hand for the codec tests: hex, strings, length-encoded strings, packet headers. */
final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Bytes of() {
        return new Bytes();
    }

    Bytes hex(String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        out.writeBytes(b);
        return this;
    }

    Bytes str(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    Bytes nul(String s) {
        return str(s).hex("00");
    }

    Bytes lenenc(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length);
        out.writeBytes(b);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    Payload payload() {
        return new Payload(bytes());
    }

    /** The bytes framed as one packet with sequence id {@code seq}. */
    byte[] packet(int seq) {
        byte[] p = bytes();
        byte[] f = new byte[p.length + 4];
        f[0] = (byte) p.length;
        f[1] = (byte) (p.length >> 8);
        f[2] = (byte) (p.length >> 16);
        f[3] = (byte) seq;
        System.arraycopy(p, 0, f, 4, p.length);
        return f;
    }
}
