package dev.spindle.mysql.internal.auth;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Ed25519 signing as MariaDB's {@code client_ed25519} plugin does it: the secret is the SHA-512 of the password (of any
 * length), where RFC 8032 hashes a 32-byte seed; everything after that hash is RFC 8032's algorithm (clamping, the
 * nonce from the hash's upper half, {@code S = r + H(R || A || M) a mod L}). The JDK's EdDSA takes only 32-byte seeds,
 * so it cannot sign for a password; for a 32-byte password both give the same signature, which the tests check.
 *
 * <p>Plain {@link BigInteger} arithmetic in extended twisted Edwards coordinates: one signature per login costs about
 * a millisecond, and nothing here runs per query. The password-derived scalar is not secret from the server (it holds
 * the public key), so constant-time arithmetic would only guard a local timing observer of the client process.
 */
public final class Ed25519 {
    private Ed25519() {}

    private static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger L =
            BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger D = BigInteger.valueOf(-121665)
            .multiply(BigInteger.valueOf(121666).modInverse(P))
            .mod(P);
    private static final BigInteger D2 = D.shiftLeft(1).mod(P);
    private static final BigInteger[] BASE = affine(
            new BigInteger("15112221349535400772501151409588531511454012693041857206046113283949847762202"),
            new BigInteger("46316835694926478169428394003475163141307993866256225615783033603165251855960"));

    /** The 64-byte signature of {@code message} under the key derived from {@code password}. */
    public static byte[] sign(byte[] password, byte[] message) {
        byte[] az = sha512(password);
        az[0] &= (byte) 248;
        az[31] &= 63;
        az[31] |= 64;
        BigInteger a = littleEndian(az, 0, 32);
        byte[] publicKey = encode(multiply(BASE, a));
        BigInteger r = littleEndian(sha512(slice(az, 32, 32), message), 0, 64).mod(L);
        byte[] bigR = encode(multiply(BASE, r));
        BigInteger h = littleEndian(sha512(bigR, publicKey, message), 0, 64).mod(L);
        BigInteger s = r.add(h.multiply(a)).mod(L);
        byte[] sig = new byte[64];
        System.arraycopy(bigR, 0, sig, 0, 32);
        byte[] sBytes = toLittleEndian(s);
        System.arraycopy(sBytes, 0, sig, 32, 32);
        return sig;
    }

    /** The 32-byte public key for {@code password} (what MariaDB stores for the user, base64-encoded). */
    public static byte[] publicKey(byte[] password) {
        byte[] az = sha512(password);
        az[0] &= (byte) 248;
        az[31] &= 63;
        az[31] |= 64;
        return encode(multiply(BASE, littleEndian(az, 0, 32)));
    }

    private static BigInteger[] affine(BigInteger x, BigInteger y) {
        return new BigInteger[] {x, y, BigInteger.ONE, x.multiply(y).mod(P)};
    }

    /** RFC 8032 §5.1.4 addition in extended coordinates (complete: also doubles). */
    private static BigInteger[] add(BigInteger[] p, BigInteger[] q) {
        BigInteger a = p[1].subtract(p[0]).multiply(q[1].subtract(q[0])).mod(P);
        BigInteger b = p[1].add(p[0]).multiply(q[1].add(q[0])).mod(P);
        BigInteger c = p[3].multiply(D2).multiply(q[3]).mod(P);
        BigInteger d = p[2].shiftLeft(1).multiply(q[2]).mod(P);
        BigInteger e = b.subtract(a);
        BigInteger f = d.subtract(c);
        BigInteger g = d.add(c);
        BigInteger h = b.add(a);
        return new BigInteger[] {
            e.multiply(f).mod(P),
            g.multiply(h).mod(P),
            f.multiply(g).mod(P),
            e.multiply(h).mod(P)
        };
    }

    private static BigInteger[] multiply(BigInteger[] point, BigInteger k) {
        BigInteger[] result = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
        BigInteger[] addend = point;
        for (int i = 0; i < k.bitLength(); i++) {
            if (k.testBit(i)) {
                result = add(result, addend);
            }
            addend = add(addend, addend);
        }
        return result;
    }

    private static byte[] encode(BigInteger[] point) {
        BigInteger zInv = point[2].modInverse(P);
        BigInteger x = point[0].multiply(zInv).mod(P);
        BigInteger y = point[1].multiply(zInv).mod(P);
        byte[] out = toLittleEndian(y);
        if (x.testBit(0)) {
            out[31] |= (byte) 0x80;
        }
        return out;
    }

    private static BigInteger littleEndian(byte[] b, int off, int len) {
        byte[] be = new byte[len + 1];
        for (int i = 0; i < len; i++) {
            be[len - i] = b[off + i];
        }
        return new BigInteger(be);
    }

    private static byte[] toLittleEndian(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < be.length && i < 33; i++) {
            int at = be.length - 1 - i;
            if (i < 32) {
                out[i] = be[at];
            }
        }
        return out;
    }

    private static byte[] slice(byte[] b, int off, int len) {
        byte[] out = new byte[len];
        System.arraycopy(b, off, out, 0, len);
        return out;
    }

    private static byte[] sha512(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-512", e);
        }
    }
}
