package dev.spindle.mysql.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Named parameters ({@code :name}) turned into the protocol's {@code ?} placeholders, by a scanner that knows MySQL's
 * lexical rules: nothing inside a quoted string ({@code '...'} and {@code "..."}, with doubled quotes and backslash
 * escapes), a quoted identifier ({@code `...`}), or a comment ({@code -- }, {@code #}, {@code /* ... * /}) is a
 * parameter; {@code :=} is the assignment operator, and {@code ::} is left alone. The values are then bound as data
 * to the prepared statement: the SQL text never contains them.
 *
 * @param sql the statement with {@code ?} placeholders
 * @param names the parameter name of each placeholder, in order (a name used twice appears twice)
 */
public record NamedSql(String sql, List<String> names) {

    /**
     * Scans {@code sql}.
     *
     * @throws IllegalArgumentException if it mixes {@code ?} and {@code :name} placeholders, or a quote or comment
     *     is not closed
     */
    public static NamedSql parse(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        boolean positional = false;
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = skipQuoted(sql, i, c);
                out.append(sql, i, end);
                i = end;
            } else if (c == '-'
                    && i + 2 < n + 1
                    && sql.startsWith("--", i)
                    && (i + 2 == n || Character.isWhitespace(sql.charAt(i + 2)))) {
                int end = lineEnd(sql, i);
                out.append(sql, i, end);
                i = end;
            } else if (c == '#') {
                int end = lineEnd(sql, i);
                out.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed /* comment at offset " + i);
                }
                out.append(sql, i, end + 2);
                i = end + 2;
            } else if (c == '?') {
                positional = true;
                out.append(c);
                i++;
            } else if (c == ':'
                    && i + 1 < n
                    && isNameStart(sql.charAt(i + 1))
                    && (i == 0 || sql.charAt(i - 1) != ':')) {
                int end = i + 1;
                while (end < n && isNamePart(sql.charAt(end))) {
                    end++;
                }
                names.add(sql.substring(i + 1, end));
                out.append('?');
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        if (positional && !names.isEmpty()) {
            throw new IllegalArgumentException("the statement mixes ? and :name placeholders: use one kind");
        }
        return new NamedSql(out.toString(), List.copyOf(names));
    }

    /** The values in placeholder order. @throws IllegalArgumentException naming a missing or unused parameter */
    public Object[] bind(Map<String, ?> values) {
        Object[] out = new Object[names.size()];
        for (int i = 0; i < out.length; i++) {
            String name = names.get(i);
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("no value for parameter :" + name);
            }
            out[i] = values.get(name);
        }
        for (String k : values.keySet()) {
            if (!names.contains(k)) {
                throw new IllegalArgumentException(
                        "parameter :" + k + " is not in the statement (it has " + names + ")");
            }
        }
        return out;
    }

    private static int skipQuoted(String sql, int start, char q) {
        int i = start + 1;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\\' && q != '`') {
                i += 2;
            } else if (c == q) {
                if (i + 1 < n && sql.charAt(i + 1) == q) {
                    i += 2; // a doubled quote stands for itself
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException("unclosed " + q + " quote starting at offset " + start);
    }

    private static int lineEnd(String sql, int i) {
        int end = sql.indexOf('\n', i);
        return end < 0 ? sql.length() : end;
    }

    private static boolean isNameStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
