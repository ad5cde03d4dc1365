package dev.spindle.redis.internal.resp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.redis.RedisProtocolError;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RespParserTest {

    private static Object parseOne(String wire) {
        RespParser p = new RespParser();
        p.feed(wire.getBytes(US_ASCII));
        Object v = p.next();
        assertTrue(p.idle(), "bytes left over after " + wire);
        return v;
    }

    @Test
    void scalarsOfBothVersions() {
        assertSame("OK", parseOne("+OK\r\n"));
        assertEquals("hello world", parseOne("+hello world\r\n"));
        assertEquals(new ErrorReply("WRONGTYPE Operation"), parseOne("-WRONGTYPE Operation\r\n"));
        assertEquals("WRONGTYPE", new ErrorReply("WRONGTYPE Operation").code());
        assertEquals(-42L, parseOne(":-42\r\n"));
        assertEquals(Long.MIN_VALUE, parseOne(":-9223372036854775808\r\n"));
        assertEquals(Long.MAX_VALUE, parseOne(":9223372036854775807\r\n"));
        assertArrayEquals("foo\r\nbar".getBytes(US_ASCII), (byte[]) parseOne("$8\r\nfoo\r\nbar\r\n"));
        assertArrayEquals(new byte[0], (byte[]) parseOne("$0\r\n\r\n"));
        assertNull(parseOne("$-1\r\n"));
        assertNull(parseOne("*-1\r\n"));
        assertNull(parseOne("_\r\n"));
        assertEquals(3.5, parseOne(",3.5\r\n"));
        assertEquals(Double.POSITIVE_INFINITY, parseOne(",inf\r\n"));
        assertEquals(Double.NEGATIVE_INFINITY, parseOne(",-inf\r\n"));
        assertTrue(((Double) parseOne(",nan\r\n")).isNaN());
        assertEquals(true, parseOne("#t\r\n"));
        assertEquals(false, parseOne("#f\r\n"));
        assertEquals(
                new BigInteger("3492890328409238509324850943850943825024385"),
                parseOne("(3492890328409238509324850943850943825024385\r\n"));
        assertArrayEquals("Some string".getBytes(US_ASCII), (byte[]) parseOne("=15\r\ntxt:Some string\r\n"));
        assertEquals(new ErrorReply("SYNTAX invalid syntax"), parseOne("!21\r\nSYNTAX invalid syntax\r\n"));
    }

    @Test
    void aggregates() {
        List<?> arr = (List<?>) parseOne("*3\r\n:1\r\n$1\r\na\r\n*0\r\n");
        assertEquals(1L, arr.get(0));
        assertArrayEquals(new byte[] {'a'}, (byte[]) arr.get(1));
        assertEquals(List.of(), arr.get(2));
        RespMap map = assertInstanceOf(RespMap.class, parseOne("%2\r\n+first\r\n:1\r\n+second\r\n_\r\n"));
        assertEquals(Arrays.asList("first", 1L, "second", null), map);
        assertInstanceOf(RespSet.class, parseOne("~2\r\n+a\r\n+b\r\n"));
        RespPush push = assertInstanceOf(RespPush.class, parseOne(">3\r\n+message\r\n+ch\r\n+hi\r\n"));
        assertEquals(List.of("message", "ch", "hi"), push);
        assertEquals(Arrays.asList(1L, null, 2L), parseOne("*3\r\n:1\r\n*-1\r\n:2\r\n"));
    }

    @Test
    void attributesAreDroppedAndStreamedFormsAreJoined() {
        assertEquals(
                List.of(2039123L, 9543892L),
                parseOne("|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n"
                        + "*2\r\n:2039123\r\n:9543892\r\n"));
        assertEquals(List.of(1L, 2L), parseOne("*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n"));
        assertArrayEquals("Hello world".getBytes(US_ASCII), (byte[])
                parseOne("$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;2\r\nld\r\n;0\r\n"));
        assertEquals(List.of(1L, 2L), parseOne("*?\r\n:1\r\n:2\r\n.\r\n"));
        assertEquals(List.of("a", 1L), parseOne("%?\r\n+a\r\n:1\r\n.\r\n"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "?x\r\n", // unknown type
                ":12a\r\n", // bad integer
                ":\r\n",
                ":99999999999999999999\r\n", // overflow
                "$3\r\nabcd\r\n", // payload longer than its length
                "$-2\r\n",
                "$x\r\n",
                "*-2\r\n",
                "%-1\r\n",
                "+OK\n", // LF without CR
                "+OK\rX\n",
                "\r\n", // empty line
                "#x\r\n",
                ",1.5x\r\n",
                "(12a\r\n",
                "_x\r\n",
                ".\r\n", // end of nothing
                ";4\r\nabcd\r\n", // chunk outside a streamed string
                "$?\r\n+OK\r\n", // streamed string interrupted
                "=3\r\ntxt\r\n",
                "=5\r\ntxt-a\r\n",
                ">?\r\n",
                "%?\r\n+a\r\n.\r\n", // streamed map ending after a key
            })
    void malformedRepliesAreProtocolErrors(String wire) {
        RespParser p = new RespParser();
        p.feed(wire.getBytes(US_ASCII));
        RedisProtocolError e = assertThrows(RedisProtocolError.class, p::next);
        // the parser stays failed: nothing after a framing error is trusted
        assertSame(e, assertThrows(RedisProtocolError.class, p::next));
    }

    @Test
    void limitsAreEnforced() {
        RespParser small = new RespParser(10);
        small.feed("$11\r\n".getBytes(US_ASCII));
        assertThrows(RedisProtocolError.class, small::next);

        RespParser deep = new RespParser();
        deep.feed("*1\r\n".repeat(RespParser.MAX_DEPTH + 1).getBytes(US_ASCII));
        assertThrows(RedisProtocolError.class, deep::next);

        RespParser longLine = new RespParser();
        byte[] junk = new byte[RespParser.MAX_LINE + 1];
        Arrays.fill(junk, (byte) 'a');
        junk[0] = '+';
        longLine.feed(junk);
        assertThrows(RedisProtocolError.class, longLine::next);
    }

    @Test
    void hugeDeclaredLengthAllocatesOnlyWhatArrives() {
        RespParser p = new RespParser();
        p.feed("$500000000\r\nabc".getBytes(US_ASCII));
        assertSame(RespParser.NEED_MORE, p.next()); // no 500 MB array made for 3 bytes
        p.feed("*2000000000\r\n".getBytes(US_ASCII), 0, 0);
        assertSame(RespParser.NEED_MORE, p.next());
    }

    @Test
    void manyRepliesInOneFeedComeOutInOrder() {
        RespParser p = new RespParser();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append(':').append(i).append("\r\n");
        }
        p.feed(sb.toString().getBytes(US_ASCII));
        for (long i = 0; i < 1000; i++) {
            assertEquals(i, p.next());
        }
        assertSame(RespParser.NEED_MORE, p.next());
    }

    @Test
    void largeBulkFedInPiecesThroughWritableWindow() {
        byte[] payload = new byte[3 * RespParser.PREALLOCATE_LIMIT + 17];
        new Random(1).nextBytes(payload);
        byte[] wire = new RespWriter().bulk(payload).toByteArray();
        RespParser p = new RespParser();
        int off = 0;
        Object v = RespParser.NEED_MORE;
        while (off < wire.length) {
            var window = p.writable();
            int k = Math.min(window.remaining(), Math.min(wire.length - off, 7000));
            window.put(wire, off, k);
            p.filled(k);
            off += k;
            v = p.next();
            if (off < wire.length) {
                assertSame(RespParser.NEED_MORE, v);
            }
        }
        assertArrayEquals(payload, (byte[]) v);
    }

    @Test
    void textBulkIsDecodedFromTheBufferWhenWholeAndTopLevel() {
        RespParser p = new RespParser();
        p.feed("$5\r\nhello\r\n$-1\r\n+OK\r\n*1\r\n$2\r\nab\r\n$3\r\nxyz\r\n".getBytes(US_ASCII));
        p.feed("$6\r\nd\u00e9j\u00e0\r\n".getBytes(UTF_8)); // 6 bytes of UTF-8 for 4 chars
        assertEquals("hello", p.next(true));
        assertNull(p.next(true));
        assertEquals("OK", p.next(true));
        List<?> nested = (List<?>) p.next(true);
        assertArrayEquals("ab".getBytes(US_ASCII), (byte[]) nested.get(0)); // inside an aggregate: bytes
        assertArrayEquals("xyz".getBytes(US_ASCII), (byte[]) p.next(false)); // not asked for text: bytes
        assertEquals("d\u00e9j\u00e0", p.next(true));
        assertTrue(p.idle());

        // a bulk that arrives in pieces comes as bytes, whole
        RespParser split = new RespParser();
        split.feed("$5\r\nhel".getBytes(US_ASCII));
        assertSame(RespParser.NEED_MORE, split.next(true));
        split.feed("lo\r\n".getBytes(US_ASCII));
        assertArrayEquals("hello".getBytes(US_ASCII), (byte[]) split.next(true));

        // its payload there but not its CRLF: more is needed; something else there: a protocol error
        RespParser noCrlf = new RespParser();
        noCrlf.feed("$3\r\nabc\r".getBytes(US_ASCII));
        assertSame(RespParser.NEED_MORE, noCrlf.next(true));
        RespParser junk = new RespParser();
        junk.feed("$3\r\nabcXY".getBytes(US_ASCII));
        assertThrows(RedisProtocolError.class, () -> junk.next(true));
    }

    @Test
    void readsOfferMoreRoomWhileTheyFillIt() {
        RespParser p = new RespParser();
        int first = p.writable().remaining();
        int offered = first;
        for (int i = 0; i < 8; i++) {
            var w = p.writable();
            offered = w.remaining();
            byte[] ints = ":1\r\n".repeat(offered / 4 + 1).getBytes(US_ASCII);
            w.put(ints, 0, offered - offered % 4); // whole replies only, filling all of the window
            p.filled(offered - offered % 4);
            while (p.next() != RespParser.NEED_MORE) {
                // drain
            }
        }
        assertTrue(offered > first, "room offered stayed at " + offered);
        assertTrue(offered <= 2 * RespParser.MAX_READ_ROOM, "room offered grew to " + offered);
    }

    // ---- fuzz --------------------------------------------------------------------------------------------------

    /** Every split of every random reply parses to the same value; every strict prefix is NEED_MORE, never a value. */
    @Test
    void fuzzRandomRepliesSplitAnywhere() {
        Random rnd = new Random(12);
        for (int round = 0; round < 400; round++) {
            Object value = randomValue(rnd, 0);
            byte[] wire = new RespWriter().value(value).toByteArray();
            // whole
            assertDeepEquals(value, parseAll(wire, wire.length));
            assertTextEquivalent(value, parseAll(wire, wire.length, true));
            assertTextEquivalent(value, parseAll(wire, 1 + rnd.nextInt(16), true));
            // random chunk sizes, and byte at a time for small ones
            assertDeepEquals(value, parseAll(wire, 1 + rnd.nextInt(16)));
            if (wire.length < 400) {
                assertDeepEquals(value, parseAll(wire, 1));
            }
            // truncated: any strict prefix gives NEED_MORE, never a value and never an error
            int cut = rnd.nextInt(wire.length);
            RespParser p = new RespParser();
            p.feed(wire, 0, cut);
            assertSame(RespParser.NEED_MORE, p.next(), "prefix of " + cut + "/" + wire.length);
        }
    }

    /** Random byte flips, insertions and garbage: a protocol error or a value, never a hang or another exception. */
    @Test
    void fuzzMalformedInputOnlyEverGivesProtocolErrors() {
        Random rnd = new Random(34);
        int errors = 0;
        for (int round = 0; round < 5000; round++) {
            byte[] wire = new RespWriter().value(randomValue(rnd, 0)).toByteArray();
            byte[] bad = mutate(wire, rnd);
            RespParser p = new RespParser(1 << 20);
            try {
                int off = 0;
                while (off < bad.length) {
                    int k = Math.min(bad.length - off, 1 + rnd.nextInt(32));
                    p.feed(bad, off, k);
                    off += k;
                    int guard = 0;
                    while (p.next(rnd.nextBoolean()) != RespParser.NEED_MORE) {
                        if (++guard > bad.length + 1) {
                            fail("more values than bytes: the parser loops");
                        }
                    }
                }
            } catch (RedisProtocolError e) {
                errors++;
                assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
            }
        }
        assertTrue(errors > 1000, "mutations should mostly be caught, got " + errors);
    }

    private static byte[] mutate(byte[] wire, Random rnd) {
        byte[] b = wire.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            case 1 -> {
                int at = rnd.nextInt(b.length);
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, at);
                c[at] = (byte) "\r\n:$*%-+0123456789?.;".charAt(rnd.nextInt(21));
                System.arraycopy(b, at, c, at + 1, b.length - at);
                b = c;
            }
            case 2 -> {
                int at = rnd.nextInt(b.length);
                byte[] c = new byte[b.length - 1];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                b = c;
            }
            default -> rnd.nextBytes(b);
        }
        return b;
    }

    private static Object parseAll(byte[] wire, int chunk) {
        return parseAll(wire, chunk, false);
    }

    private static Object parseAll(byte[] wire, int chunk, boolean textBulk) {
        RespParser p = new RespParser();
        Object v = RespParser.NEED_MORE;
        for (int off = 0; off < wire.length; off += chunk) {
            assertSame(RespParser.NEED_MORE, v, "a value before all its bytes arrived");
            p.feed(wire, off, Math.min(chunk, wire.length - off));
            v = p.next(textBulk);
        }
        assertTrue(p.idle());
        return v;
    }

    /** What {@code next(true)} may give for {@code expected}: a top-level bulk as bytes, or as the same text. */
    private static void assertTextEquivalent(Object expected, Object actual) {
        if (expected instanceof byte[] e && actual instanceof String s) {
            assertEquals(new String(e, UTF_8), s);
        } else {
            assertDeepEquals(expected, actual);
        }
    }

    static Object randomValue(Random rnd, int depth) {
        int kind = rnd.nextInt(depth > 3 ? 9 : 14);
        return switch (kind) {
            case 0 -> null;
            case 1 -> "s" + rnd.nextInt(1000);
            case 2 -> new ErrorReply("ERR e" + rnd.nextInt(100));
            case 3 -> rnd.nextLong();
            case 4, 5 -> {
                byte[] b = new byte[rnd.nextInt(rnd.nextInt(10) == 0 ? 5000 : 20)];
                rnd.nextBytes(b);
                yield b;
            }
            case 6 -> rnd.nextDouble() * 1000;
            case 7 -> rnd.nextBoolean();
            case 8 -> new BigInteger(100, rnd);
            case 9, 10 -> {
                int n = rnd.nextInt(5);
                List<Object> l = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    l.add(randomValue(rnd, depth + 1));
                }
                yield l;
            }
            case 11 -> {
                RespMap m = new RespMap(4);
                for (int i = rnd.nextInt(3); i > 0; i--) {
                    m.add("k" + i);
                    m.add(randomValue(rnd, depth + 1));
                }
                yield m;
            }
            case 12 -> {
                RespSet s = new RespSet(4);
                for (int i = rnd.nextInt(3); i > 0; i--) {
                    s.add(rnd.nextLong());
                }
                yield s;
            }
            default -> {
                RespPush p = new RespPush(3);
                p.add("message");
                p.add(randomValue(rnd, depth + 1));
                yield p;
            }
        };
    }

    static void assertDeepEquals(Object expected, Object actual) {
        if (expected instanceof byte[] e) {
            assertArrayEquals(e, (byte[]) actual);
        } else if (expected instanceof List<?> e) {
            assertEquals(e.getClass(), actual.getClass());
            List<?> a = (List<?>) actual;
            assertEquals(e.size(), a.size());
            for (int i = 0; i < e.size(); i++) {
                assertDeepEquals(e.get(i), a.get(i));
            }
        } else {
            assertEquals(expected, actual);
        }
    }
}
