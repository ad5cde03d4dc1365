package dev.spindle.mysql;

import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.task.Task;
import dev.spindle.test.SpindleTest;
import dev.spindle.test.TimeMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Statements, results, errors, streaming and the statement cache against the real server. */
@SpindleTest(time = TimeMode.REAL)
class QueryTest {
    @Test
    void countsInsertIdsAndWarnings() {
        try (MySqlConnection c = Db.connect()) {
            c.execute("CREATE TEMPORARY TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(10) UNIQUE)");
            Result r = c.execute("INSERT INTO t(v) VALUES (?), (?)", "a", "b");
            assertEquals(2, r.affectedRows());
            assertEquals(1, r.lastInsertId());
            assertEquals(3, c.execute("INSERT INTO t(v) VALUES ('c')").lastInsertId());
            Result up = c.execute("UPDATE t SET v = CONCAT(v, 'x') WHERE id <= ?", 2);
            assertEquals(2, up.affectedRows());
            assertTrue(up.info().contains("Rows matched: 2"), up.info());
            Result warned = c.execute("SELECT CAST('12abc' AS SIGNED) AS n");
            assertEquals(1, warned.warnings());
            assertEquals(12L, warned.rows().get(0).get("n", Long.class));
        }
    }

    @Test
    void serverErrorsAreTypedAndLeaveTheConnectionUsable() {
        try (MySqlConnection c = Db.connect()) {
            c.execute("CREATE TEMPORARY TABLE u (id INT PRIMARY KEY)");
            c.execute("INSERT INTO u VALUES (?)", 1);
            ServerError.DuplicateKey dup =
                    assertThrows(ServerError.DuplicateKey.class, () -> c.execute("INSERT INTO u VALUES (?)", 1));
            assertEquals(1062, dup.code());
            assertEquals("23000", dup.sqlState());
            assertThrows(ServerError.SqlSyntaxError.class, () -> c.execute("SELEKT 1"));
            assertThrows(ServerError.SqlSyntaxError.class, () -> c.execute("SELEKT ?", 1)); // fails at prepare
            ServerError missing = assertThrows(ServerError.class, () -> c.fetch("SELECT * FROM nowhere"));
            assertEquals(1146, missing.code());
            assertEquals("42S02", missing.sqlState());
            // an error in the middle of a result set (after rows were sent)
            ServerError mid = assertThrows(
                    ServerError.class, () -> c.fetch("SELECT id, IF(id > 0, (SELECT 1 UNION SELECT 2), 0) FROM u"));
            assertEquals(1242, mid.code());
            assertEquals(1, c.fetchValue(Integer.class, "SELECT COUNT(*) FROM u"));
            assertThrows(IllegalArgumentException.class, () -> c.execute("SELECT ?, ?", 1));
            assertEquals(2, c.fetchValue(Integer.class, "SELECT ?", 2));
        }
    }

    /**
     * A prepared statement's result metadata is reused while the server sends the same column definitions, and
     * follows them when they change (a column's type changed, one added), whichever column differs first.
     */
    @Test
    void preparedColumnsAreReusedUntilTheServerSendsOthers() {
        try (MySqlConnection c = Db.connect()) {
            c.execute("CREATE TABLE IF NOT EXISTS colcache (id INT PRIMARY KEY, v INT)");
            c.execute("DELETE FROM colcache");
            c.execute("INSERT INTO colcache VALUES (?, ?)", 1, 10);
            String sql = "SELECT * FROM colcache WHERE id = ?";
            Row first = c.fetchOne(sql, 1);
            Row second = c.fetchOne(sql, 1);
            assertSame(first.columns(), second.columns(), "the same definitions: the metadata built once");
            assertEquals(10, second.get("v"));
            c.execute("ALTER TABLE colcache MODIFY v BIGINT"); // the second definition differs, the first does not
            Row widened = c.fetchOne(sql, 1);
            assertEquals("LONGLONG", widened.columns().get(1).typeName());
            assertEquals(10L, widened.get("v"));
            assertEquals("LONG", first.columns().get(1).typeName(), "earlier rows keep their metadata");
            assertEquals(10, first.get("v"));
            c.execute("ALTER TABLE colcache ADD COLUMN w VARCHAR(5) DEFAULT 'x'");
            Row added = c.fetchOne(sql, 1);
            assertEquals(
                    List.of("id", "v", "w"),
                    added.columns().stream().map(Column::name).toList());
            assertEquals("x", added.get("w"));
            assertSame(added.columns(), c.fetchOne(sql, 1).columns());
            c.execute("DROP TABLE colcache");
        }
    }

    @Test
    void multiStatementsGiveAChainOfResults() {
        try (MySqlConnection c =
                MySql.connect(Db.options().multiStatements(true).build())) {
            Result r = c.execute(
                    "CREATE TEMPORARY TABLE m (x INT); INSERT INTO m VALUES (1), (2); SELECT x FROM m ORDER BY x;"
                            + " SELECT 'done' AS s");
            List<Result> all = r.all();
            assertEquals(4, all.size());
            assertEquals(2, all.get(1).affectedRows());
            assertEquals(2, all.get(2).rows().size());
            assertEquals("done", all.get(3).rows().get(0).getString("s"));
            assertEquals(1, c.fetchValue(Integer.class, "SELECT 1"));
        }
        try (MySqlConnection c = Db.connect()) {
            assertThrows(ServerError.SqlSyntaxError.class, () -> c.execute("SELECT 1; SELECT 2"), "off by default");
        }
    }

    @Test
    void storedProceduresWithResultSetsAndOutParameters() {
        try (MySqlConnection c = Db.connect()) {
            c.execute("DROP PROCEDURE IF EXISTS add_and_list");
            c.execute(
                    "CREATE PROCEDURE add_and_list(IN a INT, INOUT b INT, OUT msg VARCHAR(20))"
                            + " BEGIN SELECT a AS first; SELECT a + 1 AS second UNION SELECT a + 2; SET b = a + b; SET msg = 'ok'; END");
            Result r = c.execute("CALL add_and_list(?, ?, ?)", 40, 2, null);
            List<Result> all = r.all();
            assertEquals(40, all.get(0).rows().get(0).get("first", Integer.class));
            assertEquals(2, all.get(1).rows().size());
            Row out = r.outParameters();
            assertTrue(out != null, "OUT parameters come back: " + all);
            assertEquals(42, out.get(0, Integer.class)); // the OUT and INOUT parameters: b, msg
            assertEquals("ok", out.get(1));
            // the text protocol gives the result sets and the final status
            List<Result> text = c.execute("CALL add_and_list(1, @b, @m)").all();
            assertEquals(3, text.size());
            assertNull(text.get(0).outParameters());
            assertEquals(1, c.fetchValue(Integer.class, "SELECT 1"));
        }
    }

    record Person(long id, String name) {}

    @Test
    void namedParametersMapsAndRecords() {
        try (MySqlConnection c = Db.connect()) {
            c.execute("CREATE TEMPORARY TABLE p (id BIGINT PRIMARY KEY, name VARCHAR(40))");
            c.execute("INSERT INTO p VALUES (:id, :name)", Map.of("id", 1, "name", "Ada"));
            c.execute("INSERT INTO p VALUES (:id, :name)", Map.of("id", 2, "name", "it's :id -- not a parameter"));
            List<Person> people = c.fetch(Person.class, "SELECT id, name FROM p ORDER BY id");
            assertEquals(List.of(new Person(1, "Ada"), new Person(2, "it's :id -- not a parameter")), people);
            Row r = c.fetchOne("SELECT name FROM p WHERE id = :id AND name <> ':id'", Map.of("id", 1));
            assertEquals(Map.of("name", "Ada"), r.toMap());
            // a value that looks like SQL stays a value
            String evil = "x'); DROP TABLE p; --";
            c.execute("INSERT INTO p VALUES (?, ?)", 3, evil);
            assertEquals(evil, c.fetchValue(String.class, "SELECT name FROM p WHERE id = 3"));
            assertEquals(3, c.fetchValue(Integer.class, "SELECT COUNT(*) FROM p"));
        }
    }

    @Test
    void streamingReadsRowByRowAndHoldsTheConnection() {
        try (MySqlConnection c = Db.connect()) {
            long sum = 0;
            int n = 0;
            try (RowStream rows = c.stream("SELECT seq FROM seq_1_to_20000 WHERE seq > ?", 0)) {
                for (Row r : rows) {
                    sum += r.getLong(0);
                    n++;
                    if (n == 10) {
                        IllegalStateException busy =
                                assertThrows(IllegalStateException.class, () -> c.fetch("SELECT 1"));
                        assertTrue(busy.getMessage().contains("busy"), busy.getMessage());
                    }
                }
            }
            assertEquals(20000, n);
            assertEquals(20000L * 20001 / 2, sum);
            // closing early stops the query; the connection comes back clean
            try (RowStream rows = c.stream("SELECT seq FROM seq_1_to_1000000")) {
                assertEquals(1L, rows.next().getLong(0));
            }
            assertEquals(7, c.fetchValue(Integer.class, "SELECT ?", 7));
            assertEquals("after", c.fetchValue(String.class, "SELECT 'after'"));
            // a stream of a statement without rows ends at once
            try (RowStream none = c.stream("DO 1")) {
                assertTrue(!none.hasNext());
            }
        }
    }

    @Test
    void statementCacheEvictsAndClosesTheLeastRecentlyUsed() {
        try (MySqlConnection c =
                MySql.connect(Db.options().statementCacheSize(2).build())) {
            long closedBefore = closes(c);
            c.fetch("SELECT ? AS a", 1);
            c.fetch("SELECT ? AS b", 1);
            c.fetch("SELECT ? AS a", 1); // a becomes the most recent
            assertEquals(2, c.cachedStatements());
            assertEquals(closedBefore, closes(c));
            c.fetch("SELECT ? AS c", 1); // evicts b
            assertEquals(2, c.cachedStatements());
            assertEquals(closedBefore + 1, closes(c));
            long prepared = prepares(c);
            c.fetch("SELECT ? AS a", 2); // still cached: no new prepare
            assertEquals(prepared, prepares(c));
        }
        try (MySqlConnection c =
                MySql.connect(Db.options().statementCacheSize(0).build())) {
            long closedBefore = closes(c);
            c.fetch("SELECT ? AS a", 1);
            assertEquals(0, c.cachedStatements());
            assertEquals(closedBefore + 1, closes(c));
        }
    }

    private static long closes(MySqlConnection c) {
        return Long.parseLong(
                c.fetchOne("SHOW SESSION STATUS LIKE 'Com_stmt_close'").getString(1));
    }

    private static long prepares(MySqlConnection c) {
        return Long.parseLong(
                c.fetchOne("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'").getString(1));
    }

    @Test
    void transactionsCommitRollBackAndUseSavepoints() {
        try (MySqlConnection c = Db.connect();
                MySqlConnection other = Db.connect()) {
            c.execute("CREATE TABLE IF NOT EXISTS acct (id INT PRIMARY KEY, n INT) ENGINE=InnoDB");
            c.execute("DELETE FROM acct");
            c.execute("INSERT INTO acct VALUES (1, 100), (2, 0)");
            int moved = c.transaction(tx -> {
                tx.execute("UPDATE acct SET n = n - 30 WHERE id = 1");
                tx.execute("UPDATE acct SET n = n + 30 WHERE id = 2");
                assertTrue(tx.inTransaction());
                return 30;
            });
            assertEquals(30, moved);
            assertEquals(30, other.fetchValue(Integer.class, "SELECT n FROM acct WHERE id = 2"));
            IllegalStateException boom = assertThrows(
                    IllegalStateException.class,
                    () -> c.transaction(tx -> {
                        tx.execute("UPDATE acct SET n = 0");
                        throw new IllegalStateException("boom");
                    }));
            assertEquals("boom", boom.getMessage());
            assertTrue(!c.inTransaction());
            assertEquals(70, c.fetchValue(Integer.class, "SELECT n FROM acct WHERE id = 1"));

            c.begin(IsolationLevel.READ_COMMITTED);
            c.fetch("SELECT * FROM acct");
            assertEquals(
                    "READ COMMITTED",
                    c.fetchValue(
                            String.class,
                            "SELECT trx_isolation_level FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()"));
            c.execute("UPDATE acct SET n = 1 WHERE id = 1");
            c.savepoint("sp1");
            c.execute("UPDATE acct SET n = 2 WHERE id = 1");
            c.rollbackToSavepoint("sp1");
            c.releaseSavepoint("sp1");
            c.commit();
            assertEquals(1, other.fetchValue(Integer.class, "SELECT n FROM acct WHERE id = 1"));
            assertThrows(IllegalArgumentException.class, () -> c.savepoint("x`; DROP TABLE acct; --"));
        }
    }

    @Test
    void aDeadlockIsRetried() {
        try (MySqlConnection a = Db.connect();
                MySqlConnection b = Db.connect()) {
            a.execute("CREATE TABLE IF NOT EXISTS dl (id INT PRIMARY KEY, n INT) ENGINE=InnoDB");
            a.execute("DELETE FROM dl");
            a.execute("INSERT INTO dl VALUES (1, 0), (2, 0)");
            List<String> attempts = new ArrayList<>();
            b.begin();
            b.execute("UPDATE dl SET n = n + 1 WHERE id = 2");
            Task<Object> first = spawn(() -> MySql.retrying(
                    3,
                    () -> a.transaction(tx -> {
                        attempts.add("a");
                        tx.execute("UPDATE dl SET n = n + 1 WHERE id = 1");
                        tx.execute("UPDATE dl SET n = n + 1 WHERE id = 2"); // waits for b on the first attempt
                        return null;
                    })));
            dev.spindle.Spindle.sleep(java.time.Duration.ofMillis(300));
            ServerError victim = null;
            try {
                b.execute("UPDATE dl SET n = n + 1 WHERE id = 1"); // closes the cycle
                b.commit();
            } catch (ServerError.Deadlock e) {
                victim = e;
            }
            first.await();
            if (victim == null) {
                assertEquals(2, attempts.size(), "a was the victim and ran again");
            } else {
                assertInstanceOf(ServerError.Deadlock.class, victim);
                assertTrue(victim.isTransient());
            }
            assertTrue(a.fetchValue(Integer.class, "SELECT SUM(n) FROM dl") >= 2);
        }
    }
}
