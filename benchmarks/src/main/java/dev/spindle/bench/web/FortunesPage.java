package dev.spindle.bench.web;

import java.util.List;

/**
 * TechEmpower's fortunes page: the table of fortunes, each message HTML-escaped. A hand-written template (spindle-web
 * has no template engine); the JVM peers in web.sh render the same bytes the same way.
 */
final class FortunesPage {
    private static final String HEAD =
            "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>";
    private static final String TAIL = "</table></body></html>";

    private FortunesPage() {}

    /** The page for {@code fortunes}, in the order given. */
    static String render(List<TechEmpowerApp.Fortune> fortunes) {
        StringBuilder sb = new StringBuilder(1200);
        sb.append(HEAD);
        for (TechEmpowerApp.Fortune f : fortunes) {
            sb.append("<tr><td>").append(f.id()).append("</td><td>");
            escape(sb, f.message());
            sb.append("</td></tr>");
        }
        return sb.append(TAIL).toString();
    }

    /** Appends {@code s} with {@code & < > " '} escaped. */
    static void escape(StringBuilder sb, String s) {
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
    }
}
