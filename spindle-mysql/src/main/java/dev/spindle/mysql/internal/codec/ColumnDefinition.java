package dev.spindle.mysql.internal.codec;

import dev.spindle.mysql.Column;

/** Parses Protocol::ColumnDefinition41 into a {@link Column}. */
public final class ColumnDefinition {
    private ColumnDefinition() {}

    public static Column parse(Payload p) {
        skipLenenc(p); // catalog, always "def"
        String schema = orEmpty(p.lenencString());
        String table = orEmpty(p.lenencString());
        skipLenenc(p); // org_table
        String name = orEmpty(p.lenencString());
        String orgName = orEmpty(p.lenencString());
        long fixed = p.lenencInt();
        if (fixed < 0x0C) {
            throw new dev.spindle.mysql.ProtocolError("column definition's fixed part is " + fixed + " bytes, not 12");
        }
        int collation = p.int2();
        long length = p.int4() & 0xFFFFFFFFL;
        int type = p.int1();
        int flags = p.int2();
        int decimals = p.int1();
        return new Column(name, orgName, table, schema, type, flags, collation, length, decimals);
    }

    private static void skipLenenc(Payload p) {
        int n = p.lenencLength();
        if (n > 0) {
            p.skip(n);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
