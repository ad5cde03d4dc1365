package dev.spindle.http.internal;

/** RFC 9110 token and list helpers, shared by the codec and {@code Headers}. */
public final class Tokens {
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private Tokens() {}

    /** Whether {@code c} may appear in a token (RFC 9110 §5.6.2 tchar). */
    public static boolean isTchar(byte c) {
        return TCHAR[c & 0xff];
    }

    /** Whether {@code c} may appear in a token. */
    public static boolean isTchar(char c) {
        return c < 256 && TCHAR[c];
    }

    /** Whether {@code s} is a non-empty token. */
    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a comma-separated list value contains {@code token}, ignoring ASCII case and optional whitespace. */
    public static boolean listContains(String list, String token) {
        int n = list.length();
        int i = 0;
        while (i < n) {
            int comma = list.indexOf(',', i);
            int end = comma < 0 ? n : comma;
            int a = i;
            int b = end;
            while (a < b && (list.charAt(a) == ' ' || list.charAt(a) == '\t')) {
                a++;
            }
            while (b > a && (list.charAt(b - 1) == ' ' || list.charAt(b - 1) == '\t')) {
                b--;
            }
            if (b - a == token.length() && list.regionMatches(true, a, token, 0, b - a)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }
}
