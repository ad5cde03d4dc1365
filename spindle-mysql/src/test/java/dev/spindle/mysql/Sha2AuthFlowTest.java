package dev.spindle.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.Server;
import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import dev.spindle.io.Streams;
import dev.spindle.mysql.internal.codec.Capabilities;
import dev.spindle.mysql.internal.codec.PacketWriter;
import dev.spindle.mysql.internal.codec.Payload;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/**
 * The caching_sha2_password and sha256_password exchanges, which no MariaDB server speaks, against a scripted peer on a
 * real socket that performs the server's side as MySQL documents it: it checks the fast-path scramble against the
 * stored SHA256(SHA256(password)), and decrypts the RSA-OAEP password with its private key. This checks the client's
 * packets and sequence ids through each branch (fast auth, full auth with a configured key, full auth with the key
 * fetched), not a MySQL 8 server's behaviour, which stays unverified.
 */
@SpindleTest(time = TimeMode.REAL)
class Sha2AuthFlowTest {
    private static final String PASSWORD = "sha2-s3cret";
    private static final byte[] NONCE = "abcdefghij0123456789".getBytes(StandardCharsets.US_ASCII);

    enum Branch {
        FAST,
        FULL_WITH_KEY,
        FULL_FETCHING_KEY,
        SHA256_WITH_KEY
    }

    @Test
    void everyBranchLogsIn() throws Exception {
        KeyPair keys = dev.spindle.Spindle.toThread(
                () -> { // seconds of CPU: off the loop
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    return g.generateKeyPair();
                });
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        for (Branch branch : Branch.values()) {
            List<String> seen = new ArrayList<>();
            Server peer = Streams.startServer(
                    (r, w) -> {
                        try {
                            script(r, w, branch, keys, pem, seen);
                        } catch (dev.spindle.io.IncompleteRead e) {
                            seen.add("client left"); // the refusal case: the client hangs up after the greeting
                        }
                    },
                    "127.0.0.1",
                    0);
            try {
                int port = ((InetSocketAddress) peer.addresses().get(0)).getPort();
                MySqlOptions.Builder o = MySqlOptions.builder()
                        .host("127.0.0.1")
                        .port(port)
                        .user("sha")
                        .password(PASSWORD)
                        .sslMode(SslMode.DISABLED)
                        .timeZone(null);
                switch (branch) {
                    case FULL_WITH_KEY, SHA256_WITH_KEY -> o.serverRsaPublicKey(pem);
                    case FULL_FETCHING_KEY -> o.allowPublicKeyRetrieval(true);
                    default -> {}
                }
                if (branch != Branch.FAST) {
                    // without TLS, a key, or leave to fetch one, the password is never sent
                    MySqlException refused = assertThrows(
                            MySqlException.class,
                            () -> MySql.connect(o.build().toBuilder()
                                    .serverRsaPublicKey(null)
                                    .allowPublicKeyRetrieval(false)
                                    .build()));
                    assertTrue(refused.getMessage().contains("serverRsaPublicKey"), refused.getMessage());
                    seen.clear();
                }
                try (MySqlConnection c = MySql.connect(o.build())) {
                    c.ping();
                }
                assertTrue(seen.contains("authenticated"), branch + ": " + seen);
            } finally {
                peer.close();
            }
        }
    }

    private static void script(
            StreamReader r, StreamWriter w, Branch branch, KeyPair keys, String pem, List<String> seen)
            throws Exception {
        String plugin = branch == Branch.SHA256_WITH_KEY ? "sha256_password" : "caching_sha2_password";
        long caps = Capabilities.CLIENT_DEFAULT | Capabilities.CONNECT_WITH_DB;
        PacketWriter out = new PacketWriter();
        out.int1(10)
                .nulString("8.0.36-scripted")
                .int4(7)
                .bytes(NONCE, 0, 8)
                .int1(0)
                .int2((int) caps)
                .int1(255)
                .int2(2)
                .int2((int) (caps >>> 16))
                .int1(21)
                .zeros(10)
                .bytes(NONCE, 8, 12)
                .int1(0)
                .nulString(plugin);
        send(w, out, 0);
        Payload response = read(r, 1);
        response.int4();
        response.int4();
        response.int1();
        response.skip(23);
        assertEquals("sha", response.nulString());
        byte[] auth = response.lenencBytes();
        byte[] stored = sha256(sha256(PASSWORD.getBytes(StandardCharsets.UTF_8)));
        int seq = 2;
        if (branch == Branch.FAST || branch == Branch.FULL_WITH_KEY || branch == Branch.FULL_FETCHING_KEY) {
            // the server's fast-path check: SHA256(response XOR SHA256(stored || nonce)) == stored
            byte[] mix = sha256(stored, NONCE);
            byte[] candidate = new byte[32];
            for (int i = 0; i < 32; i++) {
                candidate[i] = (byte) (auth[i] ^ mix[i]);
            }
            assertArrayEquals(stored, sha256(candidate), "fast-path scramble");
            if (branch == Branch.FAST) {
                send(w, new PacketWriter().int1(1).int1(3), seq++); // fast auth success
            } else {
                send(w, new PacketWriter().int1(1).int1(4), seq++); // perform full authentication
                Payload next = read(r, seq++);
                if (branch == Branch.FULL_FETCHING_KEY) {
                    assertEquals(2, next.int1(), "public key request");
                    send(w, new PacketWriter().int1(1).string(pem), seq++);
                    next = read(r, seq++);
                }
                checkEncrypted(next.restBytes(), keys);
            }
        } else {
            checkEncrypted(auth, keys); // sha256_password with a known key: encrypted at once
        }
        seen.add("authenticated");
        send(w, new PacketWriter().int1(0).int1(0).int1(0).int2(2).int2(0), seq); // OK
        // the session's commands: answer each with OK until the client quits
        while (true) {
            byte[] header = r.readExactly(4);
            int len = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
            byte[] body = r.readExactly(len);
            if (body[0] == 0x01) {
                return; // COM_QUIT
            }
            send(w, new PacketWriter().int1(0).int1(0).int1(0).int2(2).int2(0), (header[3] + 1) & 0xFF);
        }
    }

    private static void checkEncrypted(byte[] sealed, KeyPair keys) throws Exception {
        Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        rsa.init(Cipher.DECRYPT_MODE, keys.getPrivate());
        byte[] plain = rsa.doFinal(sealed);
        for (int i = 0; i < plain.length; i++) {
            plain[i] ^= NONCE[i % NONCE.length];
        }
        assertEquals(PASSWORD + "\0", new String(plain, StandardCharsets.UTF_8));
    }

    private static void send(StreamWriter w, PacketWriter p, int seq) {
        p.finish(seq);
        w.write(p.framed(), 0, p.framedLength());
    }

    private static Payload read(StreamReader r, int expectedSeq) {
        byte[] header = r.readExactly(4);
        assertEquals(expectedSeq, header[3] & 0xFF, "sequence id");
        int len = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        return new Payload(r.readExactly(len));
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }
}
