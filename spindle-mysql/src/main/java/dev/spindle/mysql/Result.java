package dev.spindle.mysql;

import java.util.ArrayList;
import java.util.List;

/**
 * What one statement produced: its rows (empty for a statement without a result set), the affected-row count, the
 * last insert id and the warning count. A reply with several results (a multi-statement query, a stored procedure)
 * is a chain: {@link #next()} gives the following one, {@link #all()} the whole chain.
 *
 * {@snippet :
 * Result r = conn.execute("INSERT INTO users(name) VALUES (?)", "ada");
 * long id = r.lastInsertId();
 *
 * Result call = conn.execute("CALL add_and_count(?, ?)", 5, null); // 2nd parameter is OUT
 * Row out = call.outParameters();                                  // its value, when the procedure has OUT ones
 * }
 *
 * <p>Immutable; holds no connection.
 */
public final class Result {
    private final List<Column> columns;
    private final List<Row> rows;
    private final long affectedRows;
    private final long lastInsertId;
    private final int warnings;
    private final String info;
    private Result next;
    private Row outParameters;

    Result(List<Column> columns, List<Row> rows, long affectedRows, long lastInsertId, int warnings, String info) {
        this.columns = columns;
        this.rows = rows;
        this.affectedRows = affectedRows;
        this.lastInsertId = lastInsertId;
        this.warnings = warnings;
        this.info = info;
    }

    /** The result set's columns; empty for a statement that returns no rows. */
    public List<Column> columns() {
        return columns;
    }

    /** The rows, in the server's order; empty for a statement that returns no rows. */
    public List<Row> rows() {
        return rows;
    }

    /**
     * The rows changed (for UPDATE: matched and changed, as MySQL counts without CLIENT_FOUND_ROWS), inserted or
     * deleted; for a SELECT, 0.
     */
    public long affectedRows() {
        return affectedRows;
    }

    /** The AUTO_INCREMENT value the statement generated first, or 0. */
    public long lastInsertId() {
        return lastInsertId;
    }

    /** How many warnings the statement raised ({@code SHOW WARNINGS} lists them). */
    public int warnings() {
        return warnings;
    }

    /** The server's info text (e.g. {@code Rows matched: 1  Changed: 1  Warnings: 0}), or empty. */
    public String info() {
        return info;
    }

    /** The next result of the same reply, or null. */
    public Result next() {
        return next;
    }

    /** This result and the ones after it. */
    public List<Result> all() {
        List<Result> all = new ArrayList<>();
        for (Result r = this; r != null; r = r.next) {
            all.add(r);
        }
        return all;
    }

    /** The OUT and INOUT parameters of a stored procedure CALLed with parameters, or null. */
    public Row outParameters() {
        for (Result r = this; r != null; r = r.next) {
            if (r.outParameters != null) {
                return r.outParameters;
            }
        }
        return null;
    }

    void next(Result r) {
        this.next = r;
    }

    void outParameters(Row r) {
        this.outParameters = r;
    }

    @Override
    public String toString() {
        return "Result[rows=" + rows.size() + ", affectedRows=" + affectedRows + ", lastInsertId=" + lastInsertId
                + ", warnings=" + warnings + (next == null ? "" : ", more") + "]";
    }
}
