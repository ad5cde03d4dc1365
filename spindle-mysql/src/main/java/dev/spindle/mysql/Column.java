package dev.spindle.mysql;

import dev.spindle.mysql.internal.codec.ColumnType;

/**
 * One column of a result, as the server described it (Protocol::ColumnDefinition41).
 *
 * {@snippet :
 * Result r = conn.execute("SELECT id, name AS who FROM users");
 * for (Column c : r.columns()) {
 *     System.out.println(c.name() + " " + c.typeName()); // id LONG, who VAR_STRING
 * }
 * }
 *
 * @param name the column's label (its alias when the query gave one)
 * @param originalName the underlying table column's name, or empty for an expression
 * @param table the table's alias, or empty
 * @param schema the database, or empty
 * @param type the protocol's type code ({@code MYSQL_TYPE_*}, e.g. 3 for LONG, 253 for VAR_STRING)
 * @param flags the column flags (NOT NULL 1, PRIMARY KEY 2, UNSIGNED 32, BINARY 128, ...)
 * @param collation the collation id; 63 means binary (bytes, not text)
 * @param length the column's display length
 * @param decimals the number of decimals (fractional-second digits for temporal types)
 */
public record Column(
        String name,
        String originalName,
        String table,
        String schema,
        int type,
        int flags,
        int collation,
        long length,
        int decimals) {

    /** The protocol type's name, e.g. {@code LONGLONG}, {@code NEWDECIMAL}, {@code VAR_STRING}. */
    public String typeName() {
        return ColumnType.name(type);
    }

    public boolean isUnsigned() {
        return (flags & ColumnType.UNSIGNED_FLAG) != 0;
    }

    public boolean isNullable() {
        return (flags & 1) == 0;
    }

    /** Whether values are bytes rather than text: BLOB, BINARY, VARBINARY, and strings in the binary collation. */
    public boolean isBinary() {
        return collation == ColumnType.BINARY_COLLATION;
    }
}
