package dev.spindle.mysql.internal.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedSqlTest {
    @Test
    void namesBecomePlaceholdersOutsideQuotesAndComments() {
        NamedSql n = NamedSql.parse("SELECT ':no', \":no\", `:no`, 'it''s :no', 'a\\':no' -- :no\n"
                + "FROM t /* :no */ WHERE a = :a AND b = :b_2 # :no\n OR a = :a AND @x := 1 AND c::text");
        assertEquals(List.of("a", "b_2", "a"), n.names());
        assertEquals(
                "SELECT ':no', \":no\", `:no`, 'it''s :no', 'a\\':no' -- :no\n"
                        + "FROM t /* :no */ WHERE a = ? AND b = ? # :no\n OR a = ? AND @x := 1 AND c::text",
                n.sql());
        assertArrayEquals(new Object[] {1, null, 1}, n.bind(new java.util.HashMap<>(Map.of("a", 1)) {
            {
                put("b_2", null);
            }
        }));
    }

    @Test
    void mistakesAreNamed() {
        NamedSql n = NamedSql.parse("SELECT :a");
        assertThrows(IllegalArgumentException.class, () -> n.bind(Map.of()), "missing :a");
        assertThrows(IllegalArgumentException.class, () -> n.bind(Map.of("a", 1, "b", 2)), "unused :b");
        assertThrows(IllegalArgumentException.class, () -> NamedSql.parse("SELECT ?, :a"));
        assertThrows(IllegalArgumentException.class, () -> NamedSql.parse("SELECT 'open"));
        assertThrows(IllegalArgumentException.class, () -> NamedSql.parse("SELECT /* open"));
    }
}
