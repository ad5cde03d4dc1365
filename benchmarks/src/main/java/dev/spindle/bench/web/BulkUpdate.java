package dev.spindle.bench.web;

import java.util.List;

/**
 * The updates test's one statement per request: {@code UPDATE World SET randomNumber = CASE id WHEN ? THEN ? ... END
 * WHERE id IN (?, ...)}, the bulk form every server in web.sh uses (TechEmpower allows batched or multi-row updates).
 */
final class BulkUpdate {
    private static final String[] SQL = new String[501];

    private BulkUpdate() {}

    /** The statement for {@code n} rows (1..500), built once per count. */
    static String sql(int n) {
        String s = SQL[n];
        if (s == null) {
            StringBuilder sb = new StringBuilder("UPDATE World SET randomNumber = CASE id");
            sb.append(" WHEN ? THEN ?".repeat(n)).append(" END WHERE id IN (?");
            sb.append(", ?".repeat(n - 1)).append(')');
            s = sb.toString();
            SQL[n] = s;
        }
        return s;
    }

    /** The parameters of {@link #sql(int)} for {@code worlds}: id, new number pairs, then the ids. */
    static Object[] params(List<TechEmpowerApp.World> worlds) {
        int n = worlds.size();
        Object[] p = new Object[3 * n];
        for (int i = 0; i < n; i++) {
            TechEmpowerApp.World w = worlds.get(i);
            p[2 * i] = w.id();
            p[2 * i + 1] = w.randomNumber();
            p[2 * n + i] = w.id();
        }
        return p;
    }
}
