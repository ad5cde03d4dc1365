package dev.spindle.web.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.annotation.OptBoolean;
import dev.spindle.web.ApiResponse;
import dev.spindle.web.ApiResponses;
import dev.spindle.web.Delete;
import dev.spindle.web.Get;
import dev.spindle.web.Head;
import dev.spindle.web.OnWorker;
import dev.spindle.web.Options;
import dev.spindle.web.Patch;
import dev.spindle.web.Post;
import dev.spindle.web.Put;
import dev.spindle.web.WebSocketRoute;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.depends.Provides;
import dev.spindle.web.params.Body;
import dev.spindle.web.params.Cookie;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.Field;
import dev.spindle.web.params.File;
import dev.spindle.web.params.Form;
import dev.spindle.web.params.Header;
import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import jakarta.validation.Payload;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertFalse;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.FutureOrPresent;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Negative;
import jakarta.validation.constraints.NegativeOrZero;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Null;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The annotation types spindle-web reads at startup, each with a tiny final class implementing it over
 * {@link PlainAnnotation}, so that {@link Annotations} can make their instances without a {@link java.lang.reflect.Proxy}
 * class: spindle-web's own (routes, parameters, dependencies, responses), Jakarta Validation's built-in constraints
 * and {@code @Valid}, Jackson's {@code @JsonProperty} and {@code @JsonValue}, {@code @Deprecated}. An element carrying
 * any other annotation type (a custom constraint, {@code @Nullable}) is read by reflection.
 *
 * <p>No lambdas nor type switches here: each would spin a class at startup, the cost this avoids.
 */
final class KnownAnnotations {
    private KnownAnnotations() {}

    /** The known types; a type's index here is its {@link PlainAnnotation.Shape#kind}, on which {@link #make} switches. */
    private static final Class<?>[] TYPES = {
        Get.class, // 0
        Post.class,
        Put.class,
        Delete.class,
        Patch.class,
        Head.class, // 5
        Options.class,
        WebSocketRoute.class,
        ApiResponse.class,
        ApiResponses.class,
        OnWorker.class, // 10
        Provides.class,
        Depends.class,
        Path.class,
        Query.class,
        Header.class, // 15
        Cookie.class,
        Form.class,
        File.class,
        Body.class,
        Default.class, // 20
        Field.class,
        AssertFalse.class,
        AssertTrue.class,
        DecimalMax.class,
        DecimalMin.class, // 25
        Digits.class,
        Email.class,
        Future.class,
        FutureOrPresent.class,
        Max.class, // 30
        Min.class,
        Negative.class,
        NegativeOrZero.class,
        NotBlank.class,
        NotEmpty.class, // 35
        NotNull.class,
        Null.class,
        Past.class,
        PastOrPresent.class,
        Pattern.class, // 40
        Positive.class,
        PositiveOrZero.class,
        Size.class,
        Valid.class,
        JsonProperty.class, // 45
        JsonValue.class,
        Deprecated.class,
    };

    /** The implementation of each of {@link #TYPES}, at the same index. */
    private static final Class<?>[] IMPLEMENTATIONS = {
        GetImpl.class,
        PostImpl.class,
        PutImpl.class,
        DeleteImpl.class,
        PatchImpl.class,
        HeadImpl.class,
        OptionsImpl.class,
        WebSocketRouteImpl.class,
        ApiResponseImpl.class,
        ApiResponsesImpl.class,
        OnWorkerImpl.class,
        ProvidesImpl.class,
        DependsImpl.class,
        PathImpl.class,
        QueryImpl.class,
        HeaderImpl.class,
        CookieImpl.class,
        FormImpl.class,
        FileImpl.class,
        BodyImpl.class,
        DefaultImpl.class,
        FieldImpl.class,
        AssertFalseImpl.class,
        AssertTrueImpl.class,
        DecimalMaxImpl.class,
        DecimalMinImpl.class,
        DigitsImpl.class,
        EmailImpl.class,
        FutureImpl.class,
        FutureOrPresentImpl.class,
        MaxImpl.class,
        MinImpl.class,
        NegativeImpl.class,
        NegativeOrZeroImpl.class,
        NotBlankImpl.class,
        NotEmptyImpl.class,
        NotNullImpl.class,
        NullImpl.class,
        PastImpl.class,
        PastOrPresentImpl.class,
        PatternImpl.class,
        PositiveImpl.class,
        PositiveOrZeroImpl.class,
        SizeImpl.class,
        ValidImpl.class,
        JsonPropertyImpl.class,
        JsonValueImpl.class,
        DeprecatedImpl.class,
    };

    /** Each known type's shape, made when first needed; {@link #UNUSABLE} if it cannot be implemented here. */
    private static final Object[] SHAPES = new Object[TYPES.length];

    private static final Object UNUSABLE = new Object();

    /** The known types, for tests. */
    static Class<?>[] types() {
        return TYPES.clone();
    }

    /** The shape of {@code type}, or null if it is not known here (its instances then come from reflection). */
    static synchronized PlainAnnotation.Shape shape(Class<?> type) {
        for (int kind = 0; kind < TYPES.length; kind++) {
            if (TYPES[kind] == type) {
                Object s = SHAPES[kind];
                if (s == null) {
                    s = SHAPES[kind] = shapeOf(type.asSubclass(Annotation.class), kind);
                }
                return s == UNUSABLE ? null : (PlainAnnotation.Shape) s;
            }
        }
        return null;
    }

    /**
     * A shape, if every element has its method here: the annotation type found at run time may be a newer version
     * (a Jackson annotation with one more element) than the one compiled against, which reflection must then read.
     */
    private static Object shapeOf(Class<? extends Annotation> type, int kind) {
        PlainAnnotation.Shape shape = new PlainAnnotation.Shape(type, kind);
        for (Method m : shape.members) {
            try {
                if (Modifier.isAbstract(
                        IMPLEMENTATIONS[kind].getMethod(m.getName()).getModifiers())) {
                    return UNUSABLE;
                }
            } catch (NoSuchMethodException e) {
                return UNUSABLE;
            }
        }
        return shape;
    }

    /** An instance of {@code shape}'s type with {@code values} (by {@link PlainAnnotation.Shape#names}). */
    static Annotation make(PlainAnnotation.Shape shape, Object[] values, String[] written) {
        PlainAnnotation.Shape s = shape;
        Object[] v = values;
        String[] w = written;
        return switch (shape.kind) {
            case 0 -> new GetImpl(s, v, w);
            case 1 -> new PostImpl(s, v, w);
            case 2 -> new PutImpl(s, v, w);
            case 3 -> new DeleteImpl(s, v, w);
            case 4 -> new PatchImpl(s, v, w);
            case 5 -> new HeadImpl(s, v, w);
            case 6 -> new OptionsImpl(s, v, w);
            case 7 -> new WebSocketRouteImpl(s, v, w);
            case 8 -> new ApiResponseImpl(s, v, w);
            case 9 -> new ApiResponsesImpl(s, v, w);
            case 10 -> new OnWorkerImpl(s, v, w);
            case 11 -> new ProvidesImpl(s, v, w);
            case 12 -> new DependsImpl(s, v, w);
            case 13 -> new PathImpl(s, v, w);
            case 14 -> new QueryImpl(s, v, w);
            case 15 -> new HeaderImpl(s, v, w);
            case 16 -> new CookieImpl(s, v, w);
            case 17 -> new FormImpl(s, v, w);
            case 18 -> new FileImpl(s, v, w);
            case 19 -> new BodyImpl(s, v, w);
            case 20 -> new DefaultImpl(s, v, w);
            case 21 -> new FieldImpl(s, v, w);
            case 22 -> new AssertFalseImpl(s, v, w);
            case 23 -> new AssertTrueImpl(s, v, w);
            case 24 -> new DecimalMaxImpl(s, v, w);
            case 25 -> new DecimalMinImpl(s, v, w);
            case 26 -> new DigitsImpl(s, v, w);
            case 27 -> new EmailImpl(s, v, w);
            case 28 -> new FutureImpl(s, v, w);
            case 29 -> new FutureOrPresentImpl(s, v, w);
            case 30 -> new MaxImpl(s, v, w);
            case 31 -> new MinImpl(s, v, w);
            case 32 -> new NegativeImpl(s, v, w);
            case 33 -> new NegativeOrZeroImpl(s, v, w);
            case 34 -> new NotBlankImpl(s, v, w);
            case 35 -> new NotEmptyImpl(s, v, w);
            case 36 -> new NotNullImpl(s, v, w);
            case 37 -> new NullImpl(s, v, w);
            case 38 -> new PastImpl(s, v, w);
            case 39 -> new PastOrPresentImpl(s, v, w);
            case 40 -> new PatternImpl(s, v, w);
            case 41 -> new PositiveImpl(s, v, w);
            case 42 -> new PositiveOrZeroImpl(s, v, w);
            case 43 -> new SizeImpl(s, v, w);
            case 44 -> new ValidImpl(s, v, w);
            case 45 -> new JsonPropertyImpl(s, v, w);
            case 46 -> new JsonValueImpl(s, v, w);
            case 47 -> new DeprecatedImpl(s, v, w);
            default -> throw new IllegalArgumentException("no annotation kind " + shape.kind);
        };
    }

    // ---- spindle-web's own ---------------------------------------------------------------------------------

    /** The elements common to {@code @Get}, {@code @Post}... */
    abstract static class RouteBase extends PlainAnnotation {
        RouteBase(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        public String value() {
            return (String) get("value");
        }

        public int status() {
            return (Integer) get("status");
        }

        public Class<?> responseModel() {
            return (Class<?>) get("responseModel");
        }

        public String[] tags() {
            return (String[]) get("tags");
        }

        public String summary() {
            return (String) get("summary");
        }

        public String description() {
            return (String) get("description");
        }

        public String responseDescription() {
            return (String) get("responseDescription");
        }

        public String operationId() {
            return (String) get("operationId");
        }

        public boolean deprecated() {
            return (Boolean) get("deprecated");
        }

        public boolean includeInSchema() {
            return (Boolean) get("includeInSchema");
        }
    }

    /** {@code @Get}'s elements read from a class file. */
    static final class GetImpl extends RouteBase implements Get {
        GetImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Post}'s elements read from a class file. */
    static final class PostImpl extends RouteBase implements Post {
        PostImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Put}'s elements read from a class file. */
    static final class PutImpl extends RouteBase implements Put {
        PutImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Delete}'s elements read from a class file. */
    static final class DeleteImpl extends RouteBase implements Delete {
        DeleteImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Patch}'s elements read from a class file. */
    static final class PatchImpl extends RouteBase implements Patch {
        PatchImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Head}'s elements read from a class file. */
    static final class HeadImpl extends RouteBase implements Head {
        HeadImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Options}'s elements read from a class file. */
    static final class OptionsImpl extends RouteBase implements Options {
        OptionsImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @WebSocketRoute}'s elements read from a class file. */
    static final class WebSocketRouteImpl extends PlainAnnotation implements WebSocketRoute {
        WebSocketRouteImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public String value() {
            return (String) get("value");
        }
    }

    /** {@code @ApiResponse}'s elements read from a class file. */
    static final class ApiResponseImpl extends PlainAnnotation implements ApiResponse {
        ApiResponseImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public int status() {
            return (Integer) get("status");
        }

        @Override
        public String description() {
            return (String) get("description");
        }

        @Override
        public Class<?> model() {
            return (Class<?>) get("model");
        }
    }

    /** {@code @ApiResponses}'s elements read from a class file. */
    static final class ApiResponsesImpl extends PlainAnnotation implements ApiResponses {
        ApiResponsesImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public ApiResponse[] value() {
            return (ApiResponse[]) get("value");
        }
    }

    /** {@code @OnWorker}'s elements read from a class file. */
    static final class OnWorkerImpl extends PlainAnnotation implements OnWorker {
        OnWorkerImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Provides}'s elements read from a class file. */
    static final class ProvidesImpl extends PlainAnnotation implements Provides {
        ProvidesImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Depends}'s elements read from a class file. */
    static final class DependsImpl extends PlainAnnotation implements Depends {
        DependsImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public Class<?> value() {
            return (Class<?>) get("value");
        }

        @Override
        public boolean useCache() {
            return (Boolean) get("useCache");
        }

        @Override
        public String[] scopes() {
            return (String[]) get("scopes");
        }
    }

    /** The elements common to the parameter sources ({@code @Query}, {@code @Header}...). */
    abstract static class SourceBase extends PlainAnnotation {
        SourceBase(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        public String value() {
            return (String) get("value");
        }

        public String description() {
            return (String) get("description");
        }

        public String example() {
            return (String) get("example");
        }

        public boolean deprecated() {
            return (Boolean) get("deprecated");
        }

        public boolean includeInSchema() {
            return (Boolean) get("includeInSchema");
        }
    }

    /** {@code @Path}'s elements read from a class file. */
    static final class PathImpl extends SourceBase implements Path {
        PathImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Query}'s elements read from a class file. */
    static final class QueryImpl extends SourceBase implements Query {
        QueryImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Header}'s elements read from a class file. */
    static final class HeaderImpl extends SourceBase implements Header {
        HeaderImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public boolean convertUnderscores() {
            return (Boolean) get("convertUnderscores");
        }
    }

    /** {@code @Cookie}'s elements read from a class file. */
    static final class CookieImpl extends SourceBase implements Cookie {
        CookieImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Form}'s elements read from a class file. */
    static final class FormImpl extends SourceBase implements Form {
        FormImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @File}'s elements read from a class file. */
    static final class FileImpl extends SourceBase implements File {
        FileImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Body}'s elements read from a class file. */
    static final class BodyImpl extends SourceBase implements Body {
        BodyImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public boolean embed() {
            return (Boolean) get("embed");
        }

        @Override
        public String mediaType() {
            return (String) get("mediaType");
        }
    }

    /** {@code @Default}'s elements read from a class file. */
    static final class DefaultImpl extends PlainAnnotation implements Default {
        DefaultImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public String value() {
            return (String) get("value");
        }
    }

    /** {@code @Field}'s elements read from a class file. */
    static final class FieldImpl extends PlainAnnotation implements Field {
        FieldImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public String alias() {
            return (String) get("alias");
        }

        @Override
        public String title() {
            return (String) get("title");
        }

        @Override
        public String description() {
            return (String) get("description");
        }

        @Override
        public String example() {
            return (String) get("example");
        }

        @Override
        public boolean deprecated() {
            return (Boolean) get("deprecated");
        }
    }

    // ---- Jakarta Validation's ------------------------------------------------------------------------------

    /** The elements every constraint has. */
    abstract static class ConstraintBase extends PlainAnnotation {
        ConstraintBase(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        public String message() {
            return (String) get("message");
        }

        public Class<?>[] groups() {
            return (Class<?>[]) get("groups");
        }

        @SuppressWarnings("unchecked")
        public Class<? extends Payload>[] payload() {
            return (Class<? extends Payload>[]) get("payload");
        }
    }

    /** {@code @AssertFalse}'s elements read from a class file. */
    static final class AssertFalseImpl extends ConstraintBase implements AssertFalse {
        AssertFalseImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @AssertTrue}'s elements read from a class file. */
    static final class AssertTrueImpl extends ConstraintBase implements AssertTrue {
        AssertTrueImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @DecimalMax}'s elements read from a class file. */
    static final class DecimalMaxImpl extends ConstraintBase implements DecimalMax {
        DecimalMaxImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public String value() {
            return (String) get("value");
        }

        @Override
        public boolean inclusive() {
            return (Boolean) get("inclusive");
        }
    }

    /** {@code @DecimalMin}'s elements read from a class file. */
    static final class DecimalMinImpl extends ConstraintBase implements DecimalMin {
        DecimalMinImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public String value() {
            return (String) get("value");
        }

        @Override
        public boolean inclusive() {
            return (Boolean) get("inclusive");
        }
    }

    /** {@code @Digits}'s elements read from a class file. */
    static final class DigitsImpl extends ConstraintBase implements Digits {
        DigitsImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public int integer() {
            return (Integer) get("integer");
        }

        @Override
        public int fraction() {
            return (Integer) get("fraction");
        }
    }

    /** {@code @Email}'s elements read from a class file. */
    static final class EmailImpl extends ConstraintBase implements Email {
        EmailImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public String regexp() {
            return (String) get("regexp");
        }

        @Override
        public Pattern.Flag[] flags() {
            return (Pattern.Flag[]) get("flags");
        }
    }

    /** {@code @Future}'s elements read from a class file. */
    static final class FutureImpl extends ConstraintBase implements Future {
        FutureImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @FutureOrPresent}'s elements read from a class file. */
    static final class FutureOrPresentImpl extends ConstraintBase implements FutureOrPresent {
        FutureOrPresentImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Max}'s elements read from a class file. */
    static final class MaxImpl extends ConstraintBase implements Max {
        MaxImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public long value() {
            return (Long) get("value");
        }
    }

    /** {@code @Min}'s elements read from a class file. */
    static final class MinImpl extends ConstraintBase implements Min {
        MinImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public long value() {
            return (Long) get("value");
        }
    }

    /** {@code @Negative}'s elements read from a class file. */
    static final class NegativeImpl extends ConstraintBase implements Negative {
        NegativeImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @NegativeOrZero}'s elements read from a class file. */
    static final class NegativeOrZeroImpl extends ConstraintBase implements NegativeOrZero {
        NegativeOrZeroImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @NotBlank}'s elements read from a class file. */
    static final class NotBlankImpl extends ConstraintBase implements NotBlank {
        NotBlankImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @NotEmpty}'s elements read from a class file. */
    static final class NotEmptyImpl extends ConstraintBase implements NotEmpty {
        NotEmptyImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @NotNull}'s elements read from a class file. */
    static final class NotNullImpl extends ConstraintBase implements NotNull {
        NotNullImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Null}'s elements read from a class file. */
    static final class NullImpl extends ConstraintBase implements Null {
        NullImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Past}'s elements read from a class file. */
    static final class PastImpl extends ConstraintBase implements Past {
        PastImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @PastOrPresent}'s elements read from a class file. */
    static final class PastOrPresentImpl extends ConstraintBase implements PastOrPresent {
        PastOrPresentImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Pattern}'s elements read from a class file. */
    static final class PatternImpl extends ConstraintBase implements Pattern {
        PatternImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public String regexp() {
            return (String) get("regexp");
        }

        @Override
        public Pattern.Flag[] flags() {
            return (Pattern.Flag[]) get("flags");
        }
    }

    /** {@code @Positive}'s elements read from a class file. */
    static final class PositiveImpl extends ConstraintBase implements Positive {
        PositiveImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @PositiveOrZero}'s elements read from a class file. */
    static final class PositiveOrZeroImpl extends ConstraintBase implements PositiveOrZero {
        PositiveOrZeroImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    /** {@code @Size}'s elements read from a class file. */
    static final class SizeImpl extends ConstraintBase implements Size {
        SizeImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public int min() {
            return (Integer) get("min");
        }

        @Override
        public int max() {
            return (Integer) get("max");
        }
    }

    /** {@code @Valid}'s elements read from a class file. */
    static final class ValidImpl extends PlainAnnotation implements Valid {
        ValidImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }
    }

    // ---- Jackson's and the JDK's ---------------------------------------------------------------------------

    /** {@code @JsonProperty}'s elements read from a class file. */
    static final class JsonPropertyImpl extends PlainAnnotation implements JsonProperty {
        JsonPropertyImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public String value() {
            return (String) get("value");
        }

        @Override
        public String namespace() {
            return (String) get("namespace");
        }

        @Override
        public boolean required() {
            return (Boolean) get("required");
        }

        @Override
        public OptBoolean isRequired() {
            return (OptBoolean) get("isRequired");
        }

        @Override
        public int index() {
            return (Integer) get("index");
        }

        @Override
        public String defaultValue() {
            return (String) get("defaultValue");
        }

        @Override
        public Access access() {
            return (Access) get("access");
        }
    }

    /** {@code @JsonValue}'s elements read from a class file. */
    static final class JsonValueImpl extends PlainAnnotation implements JsonValue {
        JsonValueImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public boolean value() {
            return (Boolean) get("value");
        }
    }

    /** {@code @Deprecated}'s elements read from a class file. */
    static final class DeprecatedImpl extends PlainAnnotation implements Deprecated {
        DeprecatedImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        @Override
        public String since() {
            return (String) get("since");
        }

        @Override
        public boolean forRemoval() {
            return (Boolean) get("forRemoval");
        }
    }
}
