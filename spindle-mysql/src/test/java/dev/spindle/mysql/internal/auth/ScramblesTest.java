package dev.spindle.mysql.internal.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/**
 * The auth plugins' proofs against published vectors. The native and caching_sha2 vectors are the ones Boost.MySQL's
 * unit tests record from real MySQL servers (captured with Wireshark); the Ed25519 one is RFC 8032 §7.1 test 1.
 */
class ScramblesTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void nativePasswordMatchesACapturedExchange() {
        byte[] nonce = HEX.parseHex("79643d121d717447" + "5f483e3e0b620a03" + "3d273a4c");
        assertEquals(
                "f1b2fb1c8de75db8eba8126ad10fe9b11050d428",
                HEX.formatHex(Scrambles.nativePassword(bytes("root"), nonce)));
        assertEquals(0, Scrambles.nativePassword(new byte[0], nonce).length);
    }

    @Test
    void nativePasswordPassesTheServersCheck() {
        // the server stores SHA1(SHA1(pw)); PASSWORD('password') is the well-known
        // *2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19
        byte[] stored = HEX.parseHex("2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
        byte[] nonce = bytes("abcdefghij0123456789");
        byte[] proof = Scrambles.nativePassword(bytes("password"), nonce);
        byte[] mix = sha("SHA-1", nonce, stored);
        byte[] stage1 = new byte[20];
        for (int i = 0; i < 20; i++) {
            stage1[i] = (byte) (proof[i] ^ mix[i]);
        }
        assertArrayEquals(stored, sha("SHA-1", stage1));
    }

    @Test
    void cachingSha2MatchesACapturedExchange() {
        byte[] nonce = HEX.parseHex("3e3b04550470163a4c1535031576732246081801");
        assertEquals(
                "a1c1e1e91bb6544ba7374b9c566d693e06ca070298acd10618c690389d88e120",
                HEX.formatHex(Scrambles.cachingSha2(bytes("hola"), nonce)));
        assertEquals(0, Scrambles.cachingSha2(new byte[0], nonce).length);
    }

    @Test
    void rsaPasswordDecryptsToPasswordXorNonce() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(kp.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        byte[] nonce = bytes("0123456789abcdefghij");
        byte[] sealed = Scrambles.rsaEncryptedPassword(bytes("s3cret"), nonce, pem);
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        rsa.init(Cipher.DECRYPT_MODE, kp.getPrivate());
        byte[] plain = rsa.doFinal(sealed);
        for (int i = 0; i < plain.length; i++) {
            plain[i] ^= nonce[i % 20];
        }
        assertEquals("s3cret\0", new String(plain, StandardCharsets.UTF_8));
    }

    @Test
    void ed25519MatchesRfc8032ForA32BytePassword() {
        // with a 32-byte password, MariaDB's scheme is RFC 8032's with the password as the seed
        byte[] seed = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        assertEquals(
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                HEX.formatHex(Ed25519.publicKey(seed)));
        assertEquals(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
                HEX.formatHex(Ed25519.sign(seed, new byte[0])));
    }

    @Test
    void ed25519SignatureOfAnyPasswordVerifiesWithTheJdk() throws Exception {
        byte[] password = bytes("a password of no particular length");
        byte[] message = bytes("the server's 32-byte scramble...");
        byte[] pub = Ed25519.publicKey(password);
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(jdkKey(pub));
        v.update(message);
        assertEquals(true, v.verify(Ed25519.sign(password, message)));
        v.initVerify(jdkKey(pub));
        v.update(bytes("another message"));
        assertEquals(false, v.verify(Ed25519.sign(password, message)));
    }

    private static PublicKey jdkKey(byte[] encoded) throws Exception {
        byte[] le = encoded.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7F;
        byte[] be = new byte[33];
        for (int i = 0; i < 32; i++) {
            be[32 - i] = le[i];
        }
        EdECPoint point = new EdECPoint(xOdd, new BigInteger(be));
        return KeyFactory.getInstance("Ed25519")
                .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] sha(String alg, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(alg);
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
