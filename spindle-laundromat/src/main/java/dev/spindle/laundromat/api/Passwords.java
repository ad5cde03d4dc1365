package dev.spindle.laundromat.api;

import static dev.spindle.Spindle.toThread;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing (PBKDF2-HMAC-SHA256, {@value #ITERATIONS} iterations, 16-byte salt) and token making. Hashing
 * holds a CPU for milliseconds, so it runs in {@code toThread}: the loop keeps serving meanwhile.
 *
 * {@snippet :
 * byte[] salt = Passwords.salt();
 * byte[] hash = Passwords.hash("correct horse", salt);
 * boolean ok = Passwords.matches("correct horse", salt, hash);
 * }
 */
public final class Passwords {
    /** Modest on purpose: the load script registers thousands of customers on a small machine. */
    static final int ITERATIONS = 4096;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {}

    public static byte[] salt() {
        byte[] s = new byte[16];
        RANDOM.nextBytes(s);
        return s;
    }

    /** The password's hash with {@code salt}, computed off the loop. */
    public static byte[] hash(String password, byte[] salt) {
        return toThread(() -> pbkdf2(password, salt));
    }

    /** Whether {@code password} has {@code hash} (constant-time comparison). */
    public static boolean matches(String password, byte[] salt, byte[] hash) {
        return MessageDigest.isEqual(hash(password, salt), hash);
    }

    /** A fresh bearer token: 32 random bytes, base64url without padding (43 characters). */
    public static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] pbkdf2(String password, byte[] salt) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
