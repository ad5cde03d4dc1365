package dev.spindle.web.internal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NegativeOrZero;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Jakarta constraints the binder checks itself, while converting, so that they are reported with the type errors
 * in one pass and with pydantic's error types ({@code greater_than}, {@code string_too_long}...). Other constraints
 * (custom ones, {@code @Email}, {@code @AssertTrue}, class-level) are left to Hibernate Validator.
 */
public final class Constraints {
    /** The annotation types handled here; Hibernate Validator's reports of them are dropped as duplicates. */
    public static final Set<Class<? extends Annotation>> HANDLED = Set.of(
            Min.class,
            Max.class,
            DecimalMin.class,
            DecimalMax.class,
            Positive.class,
            PositiveOrZero.class,
            Negative.class,
            NegativeOrZero.class,
            Size.class,
            Pattern.class,
            NotBlank.class,
            NotEmpty.class);

    public static final Constraints NONE = new Constraints(List.of());

    /**
     * What OpenAPI shows: bounds ({@link Long} for {@code @Min}, {@code @Max}, {@code @Positive}...; {@link BigDecimal}
     * for {@code @DecimalMin}/{@code @DecimalMax}) and lengths.
     */
    public Number gt, ge, lt, le;

    public Integer minLength, maxLength;
    public String pattern;

    private final List<Check> checks;

    private interface Check {
        void check(Object value, Loc loc, Errors errors);
    }

    private Constraints(List<Check> checks) {
        this.checks = checks;
    }

    public boolean isEmpty() {
        return checks.isEmpty();
    }

    /** Checks {@code value} (already converted, not null). */
    public void check(Object value, Loc loc, Errors errors) {
        for (Check c : checks) {
            c.check(value, loc, errors);
        }
    }

    public static Constraints of(Annotation[] annotations) {
        // an instanceof chain, not a type switch: a type switch spins a class on its first run (some 3 ms before
        // the JIT), and this runs at startup
        List<Check> checks = new ArrayList<>();
        Constraints result = new Constraints(checks);
        for (Annotation a : annotations) {
            if (a instanceof Min m) {
                result.bound("greater_than_equal", "ge", m.value(), checks);
            } else if (a instanceof Max m) {
                result.bound("less_than_equal", "le", m.value(), checks);
            } else if (a instanceof DecimalMin m) {
                result.bound(
                        m.inclusive() ? "greater_than_equal" : "greater_than",
                        m.inclusive() ? "ge" : "gt",
                        new BigDecimal(m.value()),
                        checks);
            } else if (a instanceof DecimalMax m) {
                result.bound(
                        m.inclusive() ? "less_than_equal" : "less_than",
                        m.inclusive() ? "le" : "lt",
                        new BigDecimal(m.value()),
                        checks);
            } else if (a instanceof Positive) {
                result.bound("greater_than", "gt", 0L, checks);
            } else if (a instanceof PositiveOrZero) {
                result.bound("greater_than_equal", "ge", 0L, checks);
            } else if (a instanceof Negative) {
                result.bound("less_than", "lt", 0L, checks);
            } else if (a instanceof NegativeOrZero) {
                result.bound("less_than_equal", "le", 0L, checks);
            } else if (a instanceof Size sz) {
                result.size(sz.min(), sz.max(), checks);
            } else if (a instanceof NotEmpty) {
                result.size(1, Integer.MAX_VALUE, checks);
            } else if (a instanceof NotBlank) {
                result.minLength = Math.max(result.minLength == null ? 0 : result.minLength, 1);
                checks.add((v, loc, errors) -> {
                    if (v instanceof CharSequence cs && cs.toString().isBlank()) {
                        errors.add(
                                "string_too_short",
                                loc,
                                "String should have at least 1 character",
                                v,
                                Map.of("min_length", 1));
                    }
                });
            } else if (a instanceof Pattern p) {
                java.util.regex.Pattern re = java.util.regex.Pattern.compile(p.regexp(), flags(p.flags()));
                result.pattern = p.regexp();
                checks.add((v, loc, errors) -> {
                    if (v instanceof CharSequence cs && !re.matcher(cs).matches()) {
                        errors.add(
                                "string_pattern_mismatch",
                                loc,
                                "String should match pattern '" + p.regexp() + "'",
                                v,
                                Map.of("pattern", p.regexp()));
                    }
                });
            }
        }
        return checks.isEmpty() ? NONE : result;
    }

    private static int flags(Pattern.Flag[] flags) {
        int f = 0;
        for (Pattern.Flag flag : flags) {
            f |= flag.getValue();
        }
        return f;
    }

    /**
     * A bound check. An integer limit ({@code @Min}, {@code @Max}, {@code @Positive}...) is kept as a {@code long} and
     * compared exactly without {@link BigDecimal}, whose class initialisation alone costs milliseconds at startup
     * (JDK 25 computes a table of large powers of five); a {@code @DecimalMin}/{@code @DecimalMax} limit is a
     * {@link BigDecimal}.
     */
    private void bound(String type, String key, Number limit, List<Check> checks) {
        switch (key) {
            case "gt" -> gt = limit;
            case "ge" -> ge = limit;
            case "lt" -> lt = limit;
            default -> le = limit;
        }
        Number shown = shown(limit);
        String words =
                switch (key) {
                    case "gt" -> "greater than ";
                    case "ge" -> "greater than or equal to ";
                    case "lt" -> "less than ";
                    default -> "less than or equal to ";
                };
        String msg = "Input should be " + words + shown;
        Map<String, Object> ctx = Map.of(key, shown);
        checks.add((v, loc, errors) -> {
            Integer cmp = limit instanceof Long l ? compare(v, l) : compare(v, (BigDecimal) limit);
            if (cmp == null) {
                return;
            }
            int c = cmp;
            boolean ok =
                    switch (key) {
                        case "gt" -> c > 0;
                        case "ge" -> c >= 0;
                        case "lt" -> c < 0;
                        default -> c <= 0;
                    };
            if (!ok) {
                errors.add(type, loc, msg, v, ctx);
            }
        });
    }

    private void size(int min, int max, List<Check> checks) {
        if (min > 0) {
            minLength = min;
        }
        if (max != Integer.MAX_VALUE) {
            maxLength = max;
        }
        checks.add((v, loc, errors) -> {
            if (v instanceof CharSequence cs) {
                int n = cs.toString().codePointCount(0, cs.length());
                if (n < min) {
                    errors.add(
                            "string_too_short",
                            loc,
                            "String should have at least " + min + " character" + (min == 1 ? "" : "s"),
                            v,
                            Map.of("min_length", min));
                } else if (n > max) {
                    errors.add(
                            "string_too_long",
                            loc,
                            "String should have at most " + max + " character" + (max == 1 ? "" : "s"),
                            v,
                            Map.of("max_length", max));
                }
                return;
            }
            int n;
            String kind;
            if (v instanceof Collection<?> c) {
                n = c.size();
                kind = v instanceof Set ? "Set" : "List";
            } else if (v instanceof Map<?, ?> m) {
                n = m.size();
                kind = "Dictionary";
            } else if (v.getClass().isArray()) {
                n = java.lang.reflect.Array.getLength(v);
                kind = "List";
            } else {
                return;
            }
            if (n < min || n > max) {
                boolean tooShort = n < min;
                int limit = tooShort ? min : max;
                Map<String, Object> ctx = new LinkedHashMap<>();
                ctx.put("field_type", kind);
                ctx.put(tooShort ? "min_length" : "max_length", limit);
                ctx.put("actual_length", n);
                errors.add(
                        tooShort ? "too_short" : "too_long",
                        loc,
                        kind + " should have at " + (tooShort ? "least " : "most ") + limit + " item"
                                + (limit == 1 ? "" : "s") + " after validation, not " + n,
                        v,
                        ctx);
            }
        });
    }

    /** A limit as pydantic prints it: {@code 0} for an integer, {@code 0.5} otherwise. */
    static Number shown(Number limit) {
        if (!(limit instanceof BigDecimal d)) {
            return limit;
        }
        BigDecimal s = d.stripTrailingZeros();
        if (s.scale() <= 0 && s.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return s.longValueExact();
        }
        return d.doubleValue();
    }

    /** {@code v} compared with an integer limit, exactly; null when {@code v} is no number (or NaN, infinite). */
    private static Integer compare(Object v, long limit) {
        // instanceof chains, not type switches, here and in decimal: see of(Annotation[])
        if (v instanceof BigDecimal b) {
            return b.compareTo(BigDecimal.valueOf(limit));
        } else if (v instanceof BigInteger b) {
            return b.compareTo(BigInteger.valueOf(limit));
        } else if (v instanceof Double d) {
            return compare(d.doubleValue(), limit);
        } else if (v instanceof Float f) {
            return compare(f.doubleValue(), limit);
        } else if (v instanceof Number n) {
            return Long.compare(n.longValue(), limit);
        }
        return null;
    }

    /** A finite double against a long, exactly (a long above 2^53 has no exact double). */
    private static Integer compare(double d, long limit) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return null;
        }
        if (d < -0x1p63) {
            return -1;
        }
        if (d >= 0x1p63) {
            return 1;
        }
        long whole = (long) d; // toward zero, exact below 2^63
        if (whole != limit) {
            return Long.compare(whole, limit);
        }
        double fraction = d - whole; // the sign of d's fraction; zero when d is whole
        return fraction > 0 ? 1 : fraction < 0 ? -1 : 0;
    }

    private static Integer compare(Object v, BigDecimal limit) {
        BigDecimal d = decimal(v);
        return d == null ? null : d.compareTo(limit);
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal b) {
            return b;
        } else if (v instanceof BigInteger b) {
            return new BigDecimal(b);
        } else if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : BigDecimal.valueOf(d);
        } else if (v instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? null : BigDecimal.valueOf(f);
        } else if (v instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        return null;
    }
}
