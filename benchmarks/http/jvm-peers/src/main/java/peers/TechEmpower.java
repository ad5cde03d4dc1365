package peers;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the TechEmpower peers (web.sh) share: the query-count rule, random ids, the fortunes page and the bulk
 * update statement, so that every JVM server renders the same bytes and runs the same SQL as Spindle's app.
 */
final class TechEmpower {
    static final String SELECT_WORLD = "SELECT id, randomNumber FROM World WHERE id = ?";
    static final String SELECT_FORTUNES = "SELECT id, message FROM Fortune";
    static final String EXTRA_FORTUNE = "Additional fortune added at request time.";
    static final String DB_USER = "benchmarkdbuser";
    static final String DB_PASSWORD = "benchmarkdbpass";
    static final String DB_NAME = "hello_world";
    private static final String[] UPDATES = new String[501];

    record World(int id, int randomNumber) {}

    record Fortune(int id, String message) {}

    private TechEmpower() {}

    static int randomId() {
        return 1 + ThreadLocalRandom.current().nextInt(10_000);
    }

    /** A missing or non-numeric count is 1; the count is clamped to 1..500. */
    static int count(String queries) {
        if (queries == null) {
            return 1;
        }
        try {
            return Math.clamp(Integer.parseInt(queries.trim()), 1, 500);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Adds the request-time fortune, sorts by message and renders the page, messages HTML-escaped. */
    static String fortunesPage(List<Fortune> fortunes) {
        fortunes.add(new Fortune(0, EXTRA_FORTUNE));
        fortunes.sort((a, b) -> a.message().compareTo(b.message()));
        StringBuilder sb = new StringBuilder(1200);
        sb.append("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
                + "<tr><th>id</th><th>message</th></tr>");
        for (Fortune f : fortunes) {
            sb.append("<tr><td>").append(f.id()).append("</td><td>");
            String s = f.message();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '&' -> sb.append("&amp;");
                    case '<' -> sb.append("&lt;");
                    case '>' -> sb.append("&gt;");
                    case '"' -> sb.append("&quot;");
                    case '\'' -> sb.append("&#39;");
                    default -> sb.append(c);
                }
            }
            sb.append("</td></tr>");
        }
        return sb.append("</table></body></html>").toString();
    }

    /** {@code UPDATE World SET randomNumber = CASE id WHEN ? THEN ? ... END WHERE id IN (?, ...)} for n rows. */
    static String updateSql(int n) {
        String s = UPDATES[n];
        if (s == null) {
            s = "UPDATE World SET randomNumber = CASE id" + " WHEN ? THEN ?".repeat(n) + " END WHERE id IN (?"
                    + ", ?".repeat(n - 1) + ")";
            UPDATES[n] = s;
        }
        return s;
    }

    /** The parameters of {@link #updateSql}: (id, number) pairs, then the ids. */
    static Object[] updateParams(List<World> worlds) {
        int n = worlds.size();
        Object[] p = new Object[3 * n];
        for (int i = 0; i < n; i++) {
            World w = worlds.get(i);
            p[2 * i] = w.id();
            p[2 * i + 1] = w.randomNumber();
            p[2 * n + i] = w.id();
        }
        return p;
    }
}
