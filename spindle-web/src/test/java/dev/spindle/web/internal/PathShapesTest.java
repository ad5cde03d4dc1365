package dev.spindle.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** PathPattern checks its shapes by hand; they must accept exactly what the regular expressions they replace do. */
class PathShapesTest {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern INT = Pattern.compile("[0-9]+");
    private static final Pattern FLOAT = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Test
    void handWrittenShapesAgreeWithTheRegexes() {
        List<String> fixed = List.of(
                "",
                "_",
                "a",
                "A9",
                "9a",
                "item_id",
                "a-b",
                "1",
                "0123",
                "1.5",
                "1.",
                ".5",
                "1.2.3",
                "-1",
                "١٢",
                "f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
                "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6",
                "f81d4fae-7dec-11d0-a765-00a0c91e6bf",
                "f81d4fae7dec-11d0-a765-00a0c91e6bf6x",
                "g81d4fae-7dec-11d0-a765-00a0c91e6bf6");
        for (String s : fixed) {
            check(s);
        }
        String alphabet = "09aAfFgzZ_.-é";
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 50_000; i++) {
            int n = random.nextInt(0, i % 10 == 0 ? 40 : 6);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < n; j++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (n == 36 && random.nextBoolean()) {
                for (int k : new int[] {8, 13, 18, 23}) {
                    b.setCharAt(k, '-');
                }
            }
            check(b.toString());
        }
    }

    private static void check(String s) {
        assertEquals(NAME.matcher(s).matches(), PathPattern.isName(s), "name " + s);
        assertEquals(INT.matcher(s).matches(), PathPattern.digits(s, 0, s.length()), "int " + s);
        assertEquals(FLOAT.matcher(s).matches(), PathPattern.isFloat(s), "float " + s);
        assertEquals(UUID.matcher(s).matches(), PathPattern.isUuid(s), "uuid " + s);
    }
}
