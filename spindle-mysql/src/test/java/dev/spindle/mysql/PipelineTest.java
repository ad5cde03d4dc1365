package dev.spindle.mysql;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import dev.spindle.time.TimedOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pipelines against the real server: the same results as the statements run one by one, errors in their place,
 * large pipelines written in windows, prepares of the missing statements, and cancellation at any point leaving the
 * connection to read only its own replies.
 */
@SpindleTest(time = TimeMode.REAL, timeoutMillis = 180_000)
class PipelineTest {
    record Person(long id, String name) {}

    /** What a result says, comparable across connections (column names, rows as maps, counts). */
    private static String describe(Object o) {
        return switch (o) {
            case null -> "null";
            case Result r -> {
                StringBuilder b = new StringBuilder();
                for (Result x : r.all()) {
                    b.append(x.columns().stream().map(Column::name).toList())
                            .append(x.rows().stream().map(Row::toMap).toList())
                            .append(" affected=")
                            .append(x.affectedRows())
                            .append(" id=")
                            .append(x.lastInsertId())
                            .append(" warnings=")
                            .append(x.warnings())
                            .append(';');
                }
                yield b.toString();
            }
            case Row row -> row.toMap().toString();
            case List<?> l -> l.stream().map(PipelineTest::describe).toList().toString();
            default -> o.getClass().getSimpleName() + ":" + o;
        };
    }

    /**
     * The prepared statements the server holds for {@code c}'s session (the performance schema's list; the Com_stmt_*
     * counters would count failed prepares too).
     */
    private static long openStatements(MySqlConnection c) {
        return c.fetchValue(
                Long.class,
                "SELECT COUNT(*) FROM performance_schema.prepared_statements_instances s"
                        + " JOIN performance_schema.threads t ON s.OWNER_THREAD_ID = t.THREAD_ID"
                        + " WHERE t.PROCESSLIST_ID = CONNECTION_ID()");
    }

    /** Waits (10 s at most) until the server runs a SLEEP for connection {@code thread}. */
    private static void awaitSleeping(long thread) {
        try (MySqlConnection observer = Db.connect()) {
            for (int i = 0; i < 1000; i++) {
                String info = observer.fetchValue(
                        String.class, "SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = ?", thread);
                if (info != null && info.contains("SLEEP")) {
                    return;
                }
                sleep(Duration.ofMillis(10));
            }
            fail("connection " + thread + " never got to its SLEEP");
        }
    }

    @Test
    void resultsEqualTheStatementsRunOneByOne() {
        try (MySqlConnection c = Db.connect();
                MySqlConnection ref = Db.connect()) {
            for (MySqlConnection x : List.of(c, ref)) {
                x.execute("CREATE TEMPORARY TABLE p (id BIGINT PRIMARY KEY, name VARCHAR(40), born DATE)");
            }
            Pipeline p = c.pipeline();
            List<Pipeline.Pending<?>> pending = new ArrayList<>();
            pending.add(p.execute("INSERT INTO p VALUES (?, ?, ?)", 1, "Ada", java.time.LocalDate.of(1815, 12, 10)));
            pending.add(p.execute("INSERT INTO p VALUES (:id, :name, NULL)", Map.of("id", 2, "name", "Grace")));
            pending.add(p.execute("INSERT INTO p(id, name) VALUES (3, 'Edsger'), (4, 'Barbara')"));
            pending.add(p.fetchOne("SELECT * FROM p WHERE id = ?", 1));
            pending.add(p.fetchOne("SELECT * FROM p WHERE id = ?", 99));
            pending.add(p.fetch("SELECT id, name FROM p ORDER BY id"));
            pending.add(p.fetch("SELECT name FROM p WHERE id > :min ORDER BY id", Map.of("min", 1)));
            pending.add(p.fetch(Person.class, "SELECT id, name FROM p WHERE id <= ? ORDER BY id", 2));
            pending.add(p.fetchValue(Integer.class, "SELECT COUNT(*) FROM p"));
            pending.add(p.fetchValue(String.class, "SELECT name FROM p WHERE id = ?", 3));
            pending.add(p.fetchOne("SELECT name FROM p WHERE id = :id", Map.of("id", 4)));
            pending.add(p.execute("UPDATE p SET name = CONCAT(name, '!') WHERE id >= ?", 3));
            pending.add(p.execute("SELECT CAST('12abc' AS SIGNED) AS n"));
            pending.add(p.execute("SELECT seq, seq * ? AS twice FROM seq_1_to_300", 2));
            pending.add(p.execute("DELETE FROM p WHERE id = ?", 4));
            pending.add(p.fetch("SELECT * FROM p ORDER BY id"));
            assertEquals(16, p.size());
            assertThrows(IllegalStateException.class, pending.getFirst()::get, "nothing ran yet");
            List<Object> results = p.execute();
            assertEquals(0, p.size(), "the pipeline is empty again");
            assertEquals(pending.size(), results.size());

            List<Object> oneByOne = new ArrayList<>();
            oneByOne.add(ref.execute("INSERT INTO p VALUES (?, ?, ?)", 1, "Ada", java.time.LocalDate.of(1815, 12, 10)));
            oneByOne.add(ref.execute("INSERT INTO p VALUES (:id, :name, NULL)", Map.of("id", 2, "name", "Grace")));
            oneByOne.add(ref.execute("INSERT INTO p(id, name) VALUES (3, 'Edsger'), (4, 'Barbara')"));
            oneByOne.add(ref.fetchOne("SELECT * FROM p WHERE id = ?", 1));
            oneByOne.add(ref.fetchOne("SELECT * FROM p WHERE id = ?", 99));
            oneByOne.add(ref.fetch("SELECT id, name FROM p ORDER BY id"));
            oneByOne.add(ref.fetch("SELECT name FROM p WHERE id > :min ORDER BY id", Map.of("min", 1)));
            oneByOne.add(ref.fetch(Person.class, "SELECT id, name FROM p WHERE id <= ? ORDER BY id", 2));
            oneByOne.add(ref.fetchValue(Integer.class, "SELECT COUNT(*) FROM p"));
            oneByOne.add(ref.fetchValue(String.class, "SELECT name FROM p WHERE id = ?", 3));
            oneByOne.add(ref.fetchOne("SELECT name FROM p WHERE id = :id", Map.of("id", 4)));
            oneByOne.add(ref.execute("UPDATE p SET name = CONCAT(name, '!') WHERE id >= ?", 3));
            oneByOne.add(ref.execute("SELECT CAST('12abc' AS SIGNED) AS n"));
            oneByOne.add(ref.execute("SELECT seq, seq * ? AS twice FROM seq_1_to_300", 2));
            oneByOne.add(ref.execute("DELETE FROM p WHERE id = ?", 4));
            oneByOne.add(ref.fetch("SELECT * FROM p ORDER BY id"));
            for (int i = 0; i < results.size(); i++) {
                assertEquals(describe(oneByOne.get(i)), describe(results.get(i)), "statement " + i);
                assertSame(results.get(i), pending.get(i).get(), "the list and the Pending agree");
                assertTrue(pending.get(i).isDone());
                assertNull(pending.get(i).error());
            }
            assertEquals(
                    List.of(new Person(1, "Ada"), new Person(2, "Grace")),
                    pending.get(7).get());
            assertNull(pending.get(4).get(), "fetchOne without a row");
            assertEquals(300, ((Result) results.get(13)).rows().size());

            // the pipeline and the connection go on as usual
            Pipeline.Pending<Integer> again = p.fetchValue(Integer.class, "SELECT ? + 1", 41);
            assertEquals(List.of(42), p.execute());
            assertEquals(42, again.get());
            assertEquals(List.of(), p.execute(), "an empty pipeline does nothing");
            assertEquals(7, c.fetchValue(Integer.class, "SELECT ?", 7));
        }
    }

    @Test
    void pacedAndUnpacedReadsGetTheSameReplies() {
        // Point selects (replies that trickle in), a slow statement (paced reads that find nothing fall back to waiting
        // for the socket), and a result larger than the read buffer (reads that fill it do not wait).
        List<List<Object>> runs = new ArrayList<>();
        for (boolean paced : new boolean[] {true, false}) {
            try (MySqlConnection c =
                    MySql.connect(Db.options().pacePipelineReads(paced).build())) {
                Pipeline p = c.pipeline();
                for (int i = 0; i < 120; i++) {
                    if (i == 40) {
                        p.fetchOne("SELECT SLEEP(?) AS slept", 0.05);
                    } else if (i == 80) {
                        p.fetch("SELECT seq, REPEAT('x', 200) AS pad FROM seq_1_to_2000");
                    } else {
                        p.fetchOne("SELECT ? * 3 AS x", i);
                    }
                }
                List<Object> out = new ArrayList<>();
                for (Object r : p.execute()) {
                    out.add(describe(r));
                }
                assertEquals(120, out.size());
                assertEquals("{x=21}", out.get(7), "paced=" + paced);
                assertEquals("{slept=0}", out.get(40), "paced=" + paced);
                assertTrue(((String) out.get(80)).startsWith("[{seq=1, pad=xxx"), "paced=" + paced);
                assertEquals(21L, c.fetchValue(Long.class, "SELECT 21"), "the connection goes on");
                long waits = c.sessionForTests().pacedWaits();
                assertTrue(paced ? waits > 0 : waits == 0, "paced=" + paced + ", paced waits: " + waits);
                runs.add(out);
            }
        }
        assertEquals(runs.get(0), runs.get(1));
    }

    @Test
    void aServerErrorStaysInItsPlaceAndTheOthersRun() {
        try (MySqlConnection c = Db.connect()) {
            c.execute("CREATE TEMPORARY TABLE u (id INT PRIMARY KEY)");
            Pipeline p = c.pipeline();
            Pipeline.Pending<Result> first = p.execute("INSERT INTO u VALUES (?)", 1);
            Pipeline.Pending<Result> dup = p.execute("INSERT INTO u VALUES (?)", 1);
            p.execute("INSERT INTO u VALUES (?)", 2);
            p.execute("SELEKT 1"); // a text query the server refuses
            Pipeline.Pending<Row> badPrepare = p.fetchOne("SELEKT ?", 1); // its prepare fails
            p.fetchOne("SELEKT ?", 2); // the same statement: the same error
            // an error in the middle of a result set, after rows were sent
            p.fetch("SELECT id, IF(id > 0, (SELECT 1 UNION SELECT 2), 0) FROM u");
            Pipeline.Pending<Integer> count = p.fetchValue(Integer.class, "SELECT COUNT(*) FROM u");
            List<Object> r = p.execute();
            assertEquals(8, r.size());
            assertEquals(1, ((Result) r.get(0)).affectedRows());
            ServerError.DuplicateKey e = assertInstanceOf(ServerError.DuplicateKey.class, r.get(1));
            assertEquals(1062, e.code());
            assertSame(e, dup.error());
            assertSame(e, assertThrows(ServerError.DuplicateKey.class, dup::get));
            assertEquals(1, ((Result) r.get(2)).affectedRows());
            assertInstanceOf(ServerError.SqlSyntaxError.class, r.get(3));
            assertInstanceOf(ServerError.SqlSyntaxError.class, r.get(4));
            assertInstanceOf(ServerError.SqlSyntaxError.class, badPrepare.error());
            assertInstanceOf(ServerError.SqlSyntaxError.class, r.get(5));
            assertEquals(1242, assertInstanceOf(ServerError.class, r.get(6)).code());
            assertEquals(2, r.get(7));
            assertEquals(2, count.get());
            assertEquals(1, first.get().affectedRows());
            assertTrue(c.isOpen());
            assertEquals(3, c.fetchValue(Integer.class, "SELECT ? + 1", 2));
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingRuns() {
        try (MySqlConnection c = Db.connect()) {
            c.execute("CREATE TEMPORARY TABLE a (id INT)");
            Pipeline p = c.pipeline();
            p.execute("INSERT INTO a VALUES (?)", 1);
            Pipeline.Pending<Row> bad = p.fetchOne("SELECT ?", new Object()); // no MySQL type
            assertThrows(IllegalArgumentException.class, p::execute);
            IllegalStateException never = assertThrows(IllegalStateException.class, bad::get);
            assertInstanceOf(IllegalArgumentException.class, never.getCause());
            p.execute("INSERT INTO a VALUES (?)", 2);
            p.fetchOne("SELECT ?, ?", 1); // two placeholders, one parameter
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class, p::execute);
            assertTrue(count.getMessage().contains("statement 2"), count.getMessage());
            assertEquals(0, c.fetchValue(Integer.class, "SELECT COUNT(*) FROM a"), "nothing ran");
            assertEquals(openStatements(c), c.cachedStatements(), "no statement leaked");
        }
    }

    /**
     * 2,000 statements of about 1 KiB each (2 MiB of commands, replies as large), and one of 300 KiB: written in
     * windows of 64 KiB as the replies come back, each reply its own statement's; then 1,000 small ones, in windows of
     * 256 statements.
     */
    @Test
    void manyStatementsAreWrittenInWindows() {
        try (MySqlConnection c = Db.connect()) {
            String filler = "x".repeat(1000);
            Pipeline p = c.pipeline();
            List<Pipeline.Pending<Row>> rows = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                rows.add(p.fetchOne("SELECT ? AS n, CONCAT(?, ?) AS s", i, filler, String.valueOf(i)));
                if (i == 1000) {
                    rows.add(p.fetchOne("SELECT ? AS n, CONCAT(?, ?) AS s", -1, "y".repeat(300_000), ""));
                }
            }
            List<Object> results = p.execute();
            assertEquals(2001, results.size());
            int k = 0;
            for (int i = 0; i < 2000; i++) {
                Row r = rows.get(k++).get();
                assertEquals(i, r.getInt(0));
                assertEquals(filler + i, r.getString(1));
                if (i == 1000) {
                    Row big = rows.get(k++).get();
                    assertEquals(-1, big.getInt(0));
                    assertEquals(300_000, big.getString(1).length());
                }
            }
            // text queries too, and a pipeline the size of TechEmpower's /queries
            for (int i = 0; i < 1000; i++) {
                p.fetchValue(Long.class, "SELECT " + i + " AS n FROM DUAL");
            }
            List<Object> text = p.execute();
            for (int i = 0; i < 1000; i++) {
                assertEquals((long) i, text.get(i));
            }
            assertEquals(5, c.fetchValue(Integer.class, "SELECT ?", 5));
        }
    }

    @Test
    void missingStatementsArePreparedFirstAndNoneLeaks() {
        for (int cacheSize : new int[] {0, 2, 256}) {
            try (MySqlConnection c =
                    MySql.connect(Db.options().statementCacheSize(cacheSize).build())) {
                c.fetch("SELECT ? AS warm", 1); // one cached before (with room for it)
                for (int round = 0; round < 3; round++) {
                    Pipeline p = c.pipeline();
                    List<Pipeline.Pending<Integer>> got = new ArrayList<>();
                    List<Integer> want = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        int variant = (i * 7 + round) % 5; // 5 distinct statements, interleaved, more than 2
                        got.add(p.fetchValue(Integer.class, "SELECT ? + " + variant + " AS v", i));
                        want.add(i + variant);
                        if (i % 9 == 0) {
                            got.add(p.fetchValue(Integer.class, "SELECT ? AS warm", i));
                            want.add(i);
                        }
                    }
                    p.execute();
                    for (int i = 0; i < got.size(); i++) {
                        assertEquals(want.get(i), got.get(i).get(), "cache " + cacheSize + ", statement " + i);
                    }
                    assertTrue(c.cachedStatements() <= cacheSize);
                    assertEquals(
                            c.cachedStatements(),
                            openStatements(c),
                            "cache " + cacheSize + ": the server holds exactly the cached statements");
                }
                assertEquals(9, c.fetchValue(Integer.class, "SELECT ? + 4 AS v", 5));
            }
        }
    }

    @Test
    void aTimeoutKillsTheRunningStatementAndTheConnectionReadsOnlyItsOwnReplies() {
        try (MySqlConnection c = Db.connect();
                MySqlConnection observer = Db.connect()) {
            Pipeline p = c.pipeline();
            Pipeline.Pending<Integer> before = p.fetchValue(Integer.class, "SELECT ?", 1);
            Pipeline.Pending<Row> slow = p.fetchOne("SELECT SLEEP(30) AS s");
            Pipeline.Pending<Integer> after = p.fetchValue(Integer.class, "SELECT ?", 3);
            for (int i = 0; i < 50; i++) {
                p.fetchValue(Integer.class, "SELECT ? + 100", i);
            }
            long start = System.nanoTime();
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(1000), () -> p.execute()));
            assertTrue(before.isDone(), "its reply came before the timeout");
            assertEquals(1, before.get());
            assertFalse(slow.isDone());
            assertFalse(after.isDone());
            Throwable why =
                    assertThrows(IllegalStateException.class, after::get).getCause();
            assertTrue(why instanceof Cancelled || why instanceof TimedOut, String.valueOf(why));
            // the next statement waits for the clean-up (the kill, the 52 replies drained), then reads its own
            assertEquals(7, c.fetchValue(Integer.class, "SELECT ?", 7));
            assertEquals("x", c.fetchValue(String.class, "SELECT 'x'"));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "SLEEP(30) was killed");
            assertEquals(
                    "Sleep",
                    observer.fetchValue(
                            String.class,
                            "SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = ?",
                            c.threadId()));
            // the pipeline may be used again
            p.fetchValue(Integer.class, "SELECT ?", 8);
            assertEquals(List.of(8), p.execute());
        }
    }

    /**
     * Pipelines of inserts larger than the write window, cancelled while the server sleeps in their middle: the
     * statements written after the sleeping one still run, those not yet written never do, and the connection then
     * reads only its own replies.
     */
    @Test
    void aCancelStopsTheStatementsNotYetWritten() {
        try (MySqlConnection c = Db.connect()) {
            c.execute("CREATE TEMPORARY TABLE w (id INT PRIMARY KEY, pad VARCHAR(1000))");
            String pad = "p".repeat(900);
            Pipeline p = c.pipeline();
            for (int i = 0; i < 3000; i++) {
                if (i == 20) {
                    p.execute("DO SLEEP(30)");
                }
                p.execute("INSERT INTO w VALUES (?, ?)", i, pad);
            }
            Task<List<Object>> t = spawn(() -> p.execute());
            awaitSleeping(c.threadId());
            t.cancel();
            assertThrows(Cancelled.class, t::await);
            int rows = c.fetchValue(Integer.class, "SELECT COUNT(*) FROM w");
            assertTrue(rows >= 20 && rows < 200, "only the first windows were written: " + rows);
            assertEquals(rows - 1, c.fetchValue(Integer.class, "SELECT MAX(id) FROM w"), "in order, none skipped");
            assertEquals(11, c.fetchValue(Integer.class, "SELECT ? + 1", 10));

            // small statements: at most 256 in flight
            c.execute("DELETE FROM w");
            for (int i = 0; i < 3000; i++) {
                if (i == 20) {
                    p.execute("DO SLEEP(30)");
                }
                p.execute("INSERT INTO w(id) VALUES (?)", i);
            }
            Task<List<Object>> small = spawn(() -> p.execute());
            awaitSleeping(c.threadId());
            small.cancel();
            assertThrows(Cancelled.class, small::await);
            int smallRows = c.fetchValue(Integer.class, "SELECT COUNT(*) FROM w");
            assertTrue(smallRows >= 20 && smallRows < 256, "at most 256 statements written: " + smallRows);
            assertEquals(smallRows - 1, c.fetchValue(Integer.class, "SELECT MAX(id) FROM w"));
        }
    }

    /**
     * Cancels and timeouts at random points of pipelines of every shape (statements to prepare, large replies, long
     * pipelines, errors in the middle): every result that arrives belongs to its own statement, and the statement
     * after each interruption reads its own reply.
     */
    @Test
    void randomInterruptionsNeverMixReplies() {
        long seed = new Random().nextLong();
        SplittableRandom r = new SplittableRandom(seed);
        int[] outcomes = new int[3]; // completed, timed out, cancelled
        int[] where = new int[2]; // interrupted before any reply was read, after some
        try (MySqlConnection c =
                MySql.connect(Db.options().statementCacheSize(4).build())) {
            for (int round = 0; round < 100; round++) {
                int n = 1 + r.nextInt(r.nextBoolean() ? 20 : 1500);
                int rowsEach = 1 + r.nextInt(n <= 50 && r.nextInt(3) == 0 ? 400 : 3); // large replies, or many
                String tag = round + ":";
                Pipeline p = c.pipeline();
                List<Pipeline.Pending<List<Row>>> got = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int shape = r.nextInt(10);
                    String token = tag + i;
                    if (shape == 0) { // text, no statement to prepare
                        got.add(p.fetch("SELECT '" + token + "' AS t, seq FROM seq_1_to_" + rowsEach));
                    } else if (shape == 1) { // an error in its place
                        got.add(p.fetch("SELECT t FROM no_such_table_" + (i % 3) + " WHERE t = ?", token));
                    } else { // one of 8 statements through a cache of 4: prepares on the way
                        got.add(p.fetch(
                                "SELECT ? AS t, seq FROM seq_1_to_" + rowsEach + " WHERE seq > -" + (i % 8), token));
                    }
                }
                Duration limit = Duration.ofNanos(20_000 + r.nextLong(r.nextBoolean() ? 3_000_000 : 60_000_000));
                try {
                    if (r.nextInt(3) == 0) {
                        Task<List<Object>> t = spawn(() -> p.execute());
                        sleep(limit);
                        t.cancel();
                        t.await();
                    } else {
                        withTimeout(limit, () -> p.execute());
                    }
                    outcomes[0]++;
                } catch (TimedOut e) {
                    outcomes[1]++;
                } catch (Cancelled e) {
                    outcomes[2]++;
                }
                long done = got.stream().filter(Pipeline.Pending::isDone).count();
                if (done < n) {
                    where[done == 0 ? 0 : 1]++;
                }
                for (int i = 0; i < n; i++) {
                    Pipeline.Pending<List<Row>> g = got.get(i);
                    if (!g.isDone()) {
                        continue;
                    }
                    if (g.error() != null) {
                        assertEquals(1146, g.error().code(), "seed " + seed);
                        continue;
                    }
                    List<Row> rows = g.get();
                    assertEquals(rowsEach, rows.size(), "seed " + seed);
                    String token = tag + i;
                    for (Row row : rows) {
                        if (!token.equals(row.getString(0))) {
                            fail("seed " + seed + ": statement " + token + " got a reply of another: " + row);
                        }
                    }
                }
                String check = "check-" + round;
                assertEquals(check, c.fetchValue(String.class, "SELECT ?", check), "seed " + seed);
                assertTrue(c.isOpen(), "seed " + seed + ": the clean-up kept the connection");
            }
            assertEquals(c.cachedStatements(), openStatements(c), "seed " + seed + ": no statement leaked");
        }
        System.out.println("pipeline interruptions (seed " + seed + "): ok " + outcomes[0] + ", timed out "
                + outcomes[1] + ", cancelled " + outcomes[2] + "; interrupted before the first reply " + where[0]
                + ", after some " + where[1]);
        assertTrue(outcomes[0] > 0 && outcomes[1] + outcomes[2] > 0, "both happened: " + List.of(outcomes));
    }

    @Test
    void insideATransactionTheStatementsAreInIt() {
        try (MySqlConnection c = Db.connect();
                MySqlConnection other = Db.connect()) {
            c.execute("CREATE TABLE IF NOT EXISTS ptx (id INT PRIMARY KEY, v INT) ENGINE=InnoDB");
            c.execute("DELETE FROM ptx");
            c.transaction(tx -> {
                Pipeline p = tx.pipeline();
                for (int i = 0; i < 10; i++) {
                    p.execute("INSERT INTO ptx VALUES (?, ?)", i, i * 10);
                }
                Pipeline.Pending<Integer> seen = p.fetchValue(Integer.class, "SELECT COUNT(*) FROM ptx");
                p.execute();
                assertEquals(10, seen.get(), "the transaction sees its own rows");
                assertTrue(tx.inTransaction());
                assertEquals(0, other.fetchValue(Integer.class, "SELECT COUNT(*) FROM ptx"), "not committed yet");
                return null;
            });
            assertEquals(10, other.fetchValue(Integer.class, "SELECT COUNT(*) FROM ptx"));

            // a transaction that fails after its pipeline rolls back all of it
            assertThrows(
                    IllegalStateException.class,
                    () -> c.transaction(tx -> {
                        Pipeline p = tx.pipeline();
                        p.execute("DELETE FROM ptx WHERE id < ?", 5);
                        p.execute("UPDATE ptx SET v = -1");
                        p.execute();
                        throw new IllegalStateException("changed my mind");
                    }));
            assertEquals(10, other.fetchValue(Integer.class, "SELECT COUNT(*) FROM ptx WHERE v >= 0"));

            // the transaction statements themselves may be pipelined
            Pipeline p = c.pipeline();
            p.execute("START TRANSACTION");
            p.execute("DELETE FROM ptx WHERE id = ?", 0);
            p.execute();
            assertTrue(c.inTransaction(), "the status of the last reply");
            c.rollback();
            assertFalse(c.inTransaction());

            // a transaction cancelled in the middle of its pipeline rolls back
            Task<Object> t = spawn(() -> c.transaction(tx -> {
                Pipeline q = tx.pipeline();
                q.execute("DELETE FROM ptx");
                q.execute("DO SLEEP(30)");
                q.execute("INSERT INTO ptx VALUES (100, 100)");
                return q.execute();
            }));
            awaitSleeping(c.threadId());
            t.cancel();
            assertThrows(Cancelled.class, t::await);
            assertEquals(10, other.fetchValue(Integer.class, "SELECT COUNT(*) FROM ptx"));
            assertTrue(!c.isOpen() || c.fetchValue(Integer.class, "SELECT COUNT(*) FROM ptx") == 10);
            c.close();
            other.execute("DROP TABLE ptx");
        }
    }

    @Test
    void aPoolLendsAConnectionForEachExecute() {
        try (MySqlPool pool = MySqlPool.create(
                Db.options().build(), PoolOptions.builder().maxSize(1).build())) {
            Pipeline p = pool.pipeline();
            List<Pipeline.Pending<Integer>> got = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                got.add(p.fetchValue(Integer.class, "SELECT ? * 2", i));
            }
            assertEquals(0, pool.statistics().inUse(), "queueing takes no connection");
            p.execute();
            for (int i = 0; i < 20; i++) {
                assertEquals(2 * i, got.get(i).get());
            }
            assertEquals(0, pool.statistics().inUse(), "given back");
            // interrupted: the connection is cleaned up before its next borrower reads anything
            p.fetchValue(Integer.class, "SELECT ?", 1);
            p.fetchOne("SELECT SLEEP(30)");
            p.fetchValue(Integer.class, "SELECT ?", 2);
            assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(150), () -> p.execute()));
            assertEquals(5, pool.fetchValue(Integer.class, "SELECT ?", 5));
            p.fetchValue(Integer.class, "SELECT ?", 6);
            assertEquals(List.of(6), p.execute());
            assertEquals(1, pool.statistics().created(), "the one connection, cleaned up and reused");
        }
    }

    @Test
    void rowsOfAPipelineCannotBeStreamed() {
        try (MySqlConnection c = Db.connect()) {
            Pipeline p = c.pipeline();
            p.fetchValue(Integer.class, "SELECT 1");
            try (RowStream rows = c.stream("SELECT seq FROM seq_1_to_1000")) {
                assertEquals(1L, rows.next().getLong(0));
                IllegalStateException busy = assertThrows(IllegalStateException.class, p::execute);
                assertTrue(busy.getMessage().contains("RowStream"), busy.getMessage());
            }
            p.fetchValue(Integer.class, "SELECT 2");
            assertEquals(List.of(2), p.execute(), "after the stream is closed");
        }
    }

    @Test
    void aConnectionKilledMidPipelineIsLostAndClosed() {
        try (MySqlConnection c = Db.connect();
                MySqlConnection admin = Db.connect()) {
            Pipeline p = c.pipeline();
            p.fetchValue(Integer.class, "SELECT ?", 1);
            p.execute("DO SLEEP(30)");
            for (int i = 0; i < 100; i++) {
                p.fetchValue(Integer.class, "SELECT ?", i);
            }
            Task<List<Object>> t = spawn(() -> p.execute());
            awaitSleeping(c.threadId());
            admin.execute("KILL CONNECTION " + c.threadId());
            assertThrows(ConnectionLostError.class, t::await);
            assertFalse(c.isOpen());
            assertThrows(ConnectionLostError.class, () -> c.fetch("SELECT 1"));
            p.fetchValue(Integer.class, "SELECT 1");
            assertThrows(ConnectionLostError.class, p::execute);
        }
    }

    @Test
    void aValueThatCannotBeConvertedFailsTheExecuteAndTheRestIsDrained() {
        try (MySqlConnection c = Db.connect()) {
            c.execute("SET SESSION sql_mode = ''");
            c.execute("CREATE TEMPORARY TABLE z (id INT, d DATE)");
            c.execute("INSERT INTO z VALUES (1, '0000-00-00')");
            Pipeline p = c.pipeline();
            Pipeline.Pending<Integer> before = p.fetchValue(Integer.class, "SELECT ?", 1);
            p.fetchOne("SELECT d FROM z WHERE id = ?", 1);
            for (int i = 0; i < 30; i++) {
                p.execute("INSERT INTO z VALUES (?, NULL)", 100 + i);
            }
            MySqlException e = assertThrows(MySqlException.class, p::execute);
            assertTrue(e.getMessage().contains("zero date"), e.getMessage());
            assertEquals(1, before.get());
            // the replies after it were read and dropped; the statements ran
            assertEquals(31, c.fetchValue(Integer.class, "SELECT COUNT(*) FROM z"));
            assertEquals(2, c.fetchValue(Integer.class, "SELECT ?", 2));
        }
    }

    @Test
    void aReturnedHandleRefusesPipelines() {
        try (MySqlPool pool = MySqlPool.create(
                Db.options().build(), PoolOptions.builder().maxSize(1).build())) {
            MySqlConnection c = pool.acquire();
            Pipeline p = c.pipeline();
            c.close();
            p.fetchValue(Integer.class, "SELECT 1");
            assertThrows(IllegalStateException.class, p::execute);
            assertThrows(IllegalStateException.class, c::pipeline);
        }
    }
}
