package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadersTest {
    @Test
    void caseInsensitiveAndOrdered() {
        Headers h = Headers.of("Set-Cookie", "a=1", "Content-Type", "text/plain", "set-cookie", "b=2");
        assertEquals("a=1", h.get("SET-COOKIE"));
        assertEquals(List.of("a=1", "b=2"), h.getAll("Set-Cookie"));
        assertEquals(3, h.size());
        assertEquals("set-cookie", h.name(2));
        List<String> seen = new ArrayList<>();
        h.forEach((n, v) -> seen.add(n + "=" + v));
        assertEquals(List.of("Set-Cookie=a=1", "Content-Type=text/plain", "set-cookie=b=2"), seen);
        assertNull(h.get("X-None"));
        assertEquals("d", h.getOrDefault("X-None", "d"));
    }

    @Test
    void setReplacesEveryFieldOfTheNameInPlace() {
        Headers h = Headers.of("A", "1", "B", "2", "a", "3");
        h.set("A", "x");
        assertEquals(List.of("x"), h.getAll("a"));
        assertEquals("A", h.name(0));
        assertEquals("B", h.name(1));
        assertTrue(h.remove("b"));
        assertFalse(h.remove("b"));
        assertEquals(1, h.size());
        h.clear();
        assertTrue(h.isEmpty());
    }

    @Test
    void tokensInLists() {
        Headers h = Headers.of("Connection", "keep-alive, Upgrade", "Connection", " close ");
        assertTrue(h.containsToken("connection", "upgrade"));
        assertTrue(h.containsToken("connection", "CLOSE"));
        assertFalse(h.containsToken("connection", "keep"));
    }

    @Test
    void readOnlyViewsSeeChangesButRefuseTheirOwn() {
        Headers h = new Headers().add("A", "1");
        Headers view = h.readOnly();
        h.add("B", "2");
        assertEquals("2", view.get("b"));
        assertThrows(UnsupportedOperationException.class, () -> view.add("C", "3"));
        assertThrows(UnsupportedOperationException.class, () -> view.set("A", "3"));
        assertThrows(UnsupportedOperationException.class, () -> view.remove("A"));
        Headers copy = view.copy();
        copy.add("C", "3");
        assertNull(h.get("C"));
    }

    @Test
    void responseSplittingIsRefused() {
        Headers h = new Headers();
        assertThrows(IllegalArgumentException.class, () -> h.add("X", "a\r\nSet-Cookie: evil=1"));
        assertThrows(IllegalArgumentException.class, () -> h.add("X", "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> h.add("X", "a\0b"));
        assertThrows(IllegalArgumentException.class, () -> h.add("X", "caf\u20ac"));
        assertThrows(IllegalArgumentException.class, () -> h.add("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> h.add("", "v"));
        assertThrows(IllegalArgumentException.class, () -> h.add("X:", "v"));
        assertThrows(IllegalArgumentException.class, () -> Headers.of("odd"));
        h.add("X", "caf\u00e9 \t ok"); // Latin-1 and tabs are fine
        assertEquals(1, h.size());
    }
}
