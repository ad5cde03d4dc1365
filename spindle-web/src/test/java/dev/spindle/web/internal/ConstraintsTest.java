package dev.spindle.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.web.ErrorDetail;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Integer bounds ({@code @Min}, {@code @Max}, {@code @Positive}) are compared as longs, exactly, whatever the number's
 * type; decimal bounds as BigDecimal. What fails, and the error each gives, are pydantic's.
 */
class ConstraintsTest {
    record Bounds(
            @Min(5) @Max(9_007_199_254_740_993L) Object a,
            @Positive Object b,
            @DecimalMax("2.5") Object c) {}

    private static Constraints of(int component) {
        var rc = Bounds.class.getRecordComponents()[component];
        return Constraints.of(Readers.merge(rc.getAnnotatedType().getAnnotations(), rc.getAnnotations()));
    }

    private static List<String> errors(Constraints c, Object value) {
        Errors errors = new Errors();
        c.check(value, Loc.of("query").with("x"), errors);
        List<String> out = new ArrayList<>();
        for (ErrorDetail d : errors.list()) {
            out.add(d.type() + ": " + d.msg() + " " + d.ctx());
        }
        return out;
    }

    @Test
    void integerBoundsAreExactForEveryNumberType() {
        Constraints a = of(0);
        assertEquals(5L, a.ge);
        assertEquals(9_007_199_254_740_993L, a.le);
        for (Object ok : new Object[] {
            5,
            5L,
            (short) 5,
            5.0,
            5.0f,
            6.5,
            new BigDecimal("5.000"),
            BigInteger.valueOf(5),
            9_007_199_254_740_993L,
            new BigDecimal("9007199254740993")
        }) {
            assertEquals(
                    List.of(),
                    errors(a, ok),
                    "value " + ok + " (" + ok.getClass().getSimpleName() + ")");
        }
        String below = "greater_than_equal: Input should be greater than or equal to 5 {ge=5}";
        for (Object low : new Object[] {4, 4L, 4.999999, Math.nextDown(5.0), -1e300, new BigDecimal("4.9999")}) {
            assertEquals(List.of(below), errors(a, low), "value " + low);
        }
        String above = "less_than_equal: Input should be less than or equal to 9007199254740993 {le=9007199254740993}";
        // 2^53 + 1 has no double; the double 2^53 + 2 is above it, 2^53 below it
        assertEquals(List.of(above), errors(a, 9_007_199_254_740_994.0));
        assertEquals(List.of(), errors(a, 9_007_199_254_740_992.0));
        assertEquals(List.of(above), errors(a, 9_007_199_254_740_994L));
        assertEquals(List.of(above), errors(a, 1e300));
        assertEquals(List.of(above), errors(a, new BigInteger("100000000000000000000")));
        assertEquals(List.of(), errors(a, Double.NaN), "NaN is the reader's to refuse");
        assertEquals(List.of(), errors(a, "text"), "not a number: not this check's");
    }

    @Test
    void positiveAndDecimalBounds() {
        Constraints b = of(1);
        assertEquals(0L, b.gt);
        assertEquals(List.of(), errors(b, Double.MIN_VALUE));
        assertEquals(List.of("greater_than: Input should be greater than 0 {gt=0}"), errors(b, -0.0));
        assertEquals(List.of("greater_than: Input should be greater than 0 {gt=0}"), errors(b, 0));
        Constraints c = of(2);
        assertEquals(new BigDecimal("2.5"), c.le);
        assertEquals(List.of(), errors(c, 2.5));
        assertEquals(List.of("less_than_equal: Input should be less than or equal to 2.5 {le=2.5}"), errors(c, 3));
        assertEquals(Map.of("le", 2.5), Map.of("le", Constraints.shown(c.le)));
        assertEquals(5L, Constraints.shown(5L));
    }
}
