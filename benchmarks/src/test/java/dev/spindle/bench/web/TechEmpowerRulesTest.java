package dev.spindle.bench.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The TechEmpower app's pure parts: the query-count rule, the fortunes page's escaping, the bulk update. */
class TechEmpowerRulesTest {
    @Test
    void countFollowsTechEmpowersRule() {
        assertEquals(1, TechEmpowerApp.count(null));
        assertEquals(1, TechEmpowerApp.count("foo"));
        assertEquals(1, TechEmpowerApp.count("0"));
        assertEquals(1, TechEmpowerApp.count("-3"));
        assertEquals(20, TechEmpowerApp.count("20"));
        assertEquals(500, TechEmpowerApp.count("501"));
    }

    @Test
    void fortunesAreEscapedInOrder() {
        String page = FortunesPage.render(List.of(
                new TechEmpowerApp.Fortune(11, "<script>alert(\"x\");</script>"),
                new TechEmpowerApp.Fortune(12, "フレームワークのベンチマーク & 'more'")));
        assertFalse(page.contains("<script>"), page);
        assertTrue(
                page.contains("<tr><td>11</td><td>&lt;script&gt;alert(&quot;x&quot;);&lt;/script&gt;</td></tr>"
                        + "<tr><td>12</td><td>フレームワークのベンチマーク &amp; &#39;more&#39;</td></tr>"),
                page);
        assertTrue(page.startsWith("<!DOCTYPE html>"), page);
    }

    @Test
    void bulkUpdatePairsEachIdWithItsNumber() {
        assertEquals(
                "UPDATE World SET randomNumber = CASE id WHEN ? THEN ? WHEN ? THEN ? END WHERE id IN (?, ?)",
                BulkUpdate.sql(2));
        Object[] p = BulkUpdate.params(List.of(new TechEmpowerApp.World(7, 70), new TechEmpowerApp.World(9, 90)));
        assertArrayEquals(new Object[] {7, 70, 9, 90, 7, 9}, p);
    }
}
