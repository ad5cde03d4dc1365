package dev.spindle.web.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.spindle.web.ApiResponse;
import dev.spindle.web.Get;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.Field;
import dev.spindle.web.params.Header;
import dev.spindle.web.params.Query;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Class files for the tests of {@link ClassFileReader} and {@link Annotations}: annotations with every kind of
 * element, parameters with javac's implicit ones (inner classes, enums, local and anonymous classes, records), type
 * annotations deep in parameterized, array, wildcard and nested types, and annotations spindle-web does not know.
 */
@SuppressWarnings({"unused", "InnerClassMayBeStatic"})
final class AnnotationFixtures {
    private AnnotationFixtures() {}

    /** Every kind of element value, each with a default. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE})
    @interface Every {
        byte b() default 1;

        char c() default 'c';

        short s() default 2;

        int i() default 3;

        long j() default 4L;

        float f() default 5.5f;

        double d() default 6.5;

        boolean z() default true;

        String str() default "str";

        Class<?> cls() default Void.class;

        ElementType e() default ElementType.TYPE;

        ApiResponse an() default @ApiResponse(status = 299);

        byte[] bs() default {};

        char[] cs() default {'a', 'b'};

        short[] ss() default {3};

        int[] is() default {1, 2};

        long[] js() default {};

        float[] fs() default {0.5f};

        double[] ds() default {};

        boolean[] zs() default {false};

        String[] strs() default {"x"};

        Class<?>[] classes() default {};

        ElementType[] es() default {ElementType.FIELD};

        ApiResponse[] ans() default {};
    }

    /** A type annotation spindle-web does not know: an element carrying it is read by reflection. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE_USE, ElementType.PARAMETER, ElementType.METHOD, ElementType.FIELD})
    @interface Unknown {
        String value() default "";
    }

    /** Kept in the class file but not visible at run time: neither reader sees it. */
    @Retention(RetentionPolicy.CLASS)
    @interface Invisible {}

    @Every
    static final class Kinds {
        @Every(
                b = -7,
                c = '\n',
                s = Short.MIN_VALUE,
                i = Integer.MAX_VALUE,
                j = Long.MIN_VALUE,
                f = Float.NaN,
                d = Double.NEGATIVE_INFINITY,
                z = false,
                str = "quote \" and é and \u0000 and \uD83D\uDE00",
                cls = String[].class,
                e = ElementType.RECORD_COMPONENT,
                an = @ApiResponse(status = 404, description = "gone", model = Map.class),
                bs = {1, -1},
                cs = {'\'', 'é'},
                ss = {},
                is = {Integer.MIN_VALUE, 0},
                js = {1L << 40},
                fs = {1.25f, Float.POSITIVE_INFINITY},
                ds = {0.1, -0.0},
                zs = {true, true},
                strs = {"a", ""},
                classes = {int.class, void.class, int[][].class, Map.Entry.class},
                es = {ElementType.METHOD, ElementType.TYPE_USE},
                ans = {@ApiResponse(status = 1), @ApiResponse(status = 2, model = String.class)})
        @Invisible
        void all() {}

        @Every
        void defaults() {}

        @Deprecated(since = "1", forRemoval = true)
        void old() {}

        @Get(
                value = "/x",
                tags = {"a", "b"},
                status = 201,
                responseModel = Kinds.class)
        @ApiResponse(status = 404, description = "missing")
        @ApiResponse(status = 409)
        void route() {}

        @Every
        @Unknown("mixed")
        void mixed() {}

        @Deprecated
        @JsonProperty(value = "p", access = JsonProperty.Access.READ_ONLY)
        @Size(max = 1)
        String field;

        @Pattern(
                regexp = "[a-z]+",
                flags = {Pattern.Flag.CASE_INSENSITIVE, Pattern.Flag.DOTALL})
        @Email
        String mail;
    }

    /** Parameters and their type annotations. */
    static final class Params {
        void plain(
                @Query("q") String a,
                int b,
                @Header @Size(max = 3) List<@Size(min = 1) String> c,
                Map<String, ? extends @NotNull Number> d,
                @NotBlank String @Size(max = 2) [] e,
                Optional<@Min(1) @Max(9) Integer> f,
                List<?> g,
                Map<? super @Size(max = 1) String, int @NotNull [] @Size(min = 1) []> h) {}

        @Every(str = "x")
        @NotNull
        List<@NotBlank String> returns() {
            return List.of();
        }

        <@NotNull T extends @NotNull Number> List<@NotNull T> generic(@NotNull T[] a, Map<?, @Size(max = 2) T> b)
                throws @NotNull IllegalStateException {
            return List.of();
        }

        void receiver(@NotNull Params this, @Min(2) long n) {}

        void unknown(@Unknown String a, List<@Unknown String> b, @Min(3) int c) {}

        void locals() {
            @NotNull String s = "a"; // a type annotation in the Code attribute
            Runnable r = () -> {};
        }

        // type annotations on nested types: an inner (non-static) class's annotations sit one "nested" step deeper
        void nested(
                AnnotationFixtures.@NotNull Inner a,
                AnnotationFixtures.@NotNull Nested b,
                @NotNull Inner c,
                Generic<@NotNull String>.@NotNull In<@Min(1) Integer> d,
                Map.@NotNull Entry<String, String> e) {}
    }

    /** A non-static inner class: javac gives its constructor an implicit outer parameter. */
    final class Inner {
        Inner(@Query String a, @Size(max = 3) List<@NotNull String> b) {}

        Inner(int x) {}
    }

    static final class Nested {
        Nested(@Query("n") @Default("1") int n, @Size(max = 3) List<@NotNull String> b) {}
    }

    static final class Generic<T> {
        final class In<U> {
            In(@Min(1) U u) {}
        }
    }

    /** An enum's constructor: javac gives it implicit name and ordinal parameters. */
    enum Color {
        @JsonProperty("r")
        RED("r"),
        GREEN("g") {
            @Override
            String shade() {
                return "dark";
            }
        };

        Color(@Default("d") @Size(max = 1) String code) {}

        String shade() {
            return "";
        }
    }

    /** Record components: their annotations, their accessors', fields' and canonical parameters' copies. */
    record Item(
            @Query @Size(max = 5) String name,
            @Min(0) int n,
            List<@Size(max = 3) String> tags,
            @Field(alias = "x") Optional<@Email String> mail,
            @Unknown String other,
            Map<String, List<@NotNull Item>> children) {
        Item {
            if (n < 0) {
                throw new IllegalArgumentException("n");
            }
        }
    }

    record Plain(int a, @Default("1") String b) {}

    record WithCanonical(@Size(max = 2) String a, @Min(1) int b) {
        WithCanonical(@Size(max = 2) String a, @Min(1) int b) {
            this.a = a;
            this.b = b;
        }
    }

    /** Local and anonymous classes: their constructors' implicit parameters cannot be counted reliably. */
    static Object localAndAnonymous(String captured) {
        final class Local {
            Local(@Query String a) {
                System.out.println(captured + a);
            }
        }
        record LocalRecord(@Size(max = 1) String a) {}
        Object anonymous = new Object() {
            @Every
            void m(@Min(1) int x) {}
        };
        return List.of(new Local("x"), new LocalRecord("y"), anonymous);
    }
}
