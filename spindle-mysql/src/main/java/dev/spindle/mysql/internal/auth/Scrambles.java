package dev.spindle.mysql.internal.auth;

import dev.spindle.mysql.MySqlException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;

/**
 * The password proofs of the auth plugins, as pure functions of the password and the server's scramble (nonce).
 *
 * <ul>
 *   <li>{@code mysql_native_password}: {@code SHA1(pw) XOR SHA1(nonce || SHA1(SHA1(pw)))}.
 *   <li>{@code caching_sha2_password} (fast path): {@code SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) || nonce)}.
 *   <li>full authentication of {@code caching_sha2_password} and {@code sha256_password} without TLS: the password
 *       and a NUL, XORed with the nonce (repeated), encrypted with the server's RSA key under OAEP (SHA-1, MGF1).
 * </ul>
 */
public final class Scrambles {
    private Scrambles() {}

    public static byte[] nativePassword(byte[] password, byte[] nonce) {
        if (password.length == 0) {
            return new byte[0];
        }
        byte[] stage1 = digest("SHA-1", password);
        byte[] stage2 = digest("SHA-1", stage1);
        byte[] mix = digest("SHA-1", first(nonce, 20), stage2);
        return xor(stage1, mix);
    }

    public static byte[] cachingSha2(byte[] password, byte[] nonce) {
        if (password.length == 0) {
            return new byte[0];
        }
        byte[] p1 = digest("SHA-256", password);
        byte[] p2 = digest("SHA-256", p1);
        byte[] p3 = digest("SHA-256", p2, first(nonce, 20));
        return xor(p1, p3);
    }

    /** The password with a NUL, XORed with the nonce and encrypted with {@code pemKey} (RSA-OAEP). */
    public static byte[] rsaEncryptedPassword(byte[] password, byte[] nonce, String pemKey) {
        byte[] plain = new byte[password.length + 1];
        System.arraycopy(password, 0, plain, 0, password.length);
        byte[] n = first(nonce, 20);
        for (int i = 0; i < plain.length; i++) {
            plain[i] ^= n[i % n.length];
        }
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            rsa.init(Cipher.ENCRYPT_MODE, parsePublicKey(pemKey));
            return rsa.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new MySqlException("could not encrypt the password with the server's RSA key: " + e.getMessage(), e);
        }
    }

    /** An RSA public key in PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). */
    public static PublicKey parsePublicKey(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new MySqlException("the server's RSA public key is not a PEM RSA public key: " + e.getMessage(), e);
        }
    }

    public static byte[] cleartext(byte[] password) {
        byte[] out = new byte[password.length + 1];
        System.arraycopy(password, 0, out, 0, password.length);
        return out;
    }

    public static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    /** The scramble without the NUL some servers append to it. */
    private static byte[] first(byte[] nonce, int n) {
        if (nonce.length <= n) {
            return nonce;
        }
        byte[] out = new byte[n];
        System.arraycopy(nonce, 0, out, 0, n);
        return out;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private static byte[] digest(String alg, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(alg);
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + alg, e);
        }
    }
}
