package dev.spindle.web.params;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A query parameter ({@code ?q=...}); repeated keys fill a {@code List}.
 *
 * {@snippet :
 * @Get("/items") List<Item> list(@Query @Default("0") int skip, @Query @Max(100) @Default("10") int limit, @Query Optional<String> q, @Query List<String> tag)
 * }
 *
 * <p>Constraints are Jakarta Validation's annotations beside this one ({@code @Min}, {@code @Max}, {@code @Size},
 * {@code @Pattern}, {@code @Positive}...); a default is {@link Default}; {@code Optional<T>} makes it not required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Query {
    /** The name on the wire (default: the Java parameter's name). */
    String value() default "";

    /** Described in OpenAPI. */
    String description() default "";

    /** An example value for OpenAPI (as text). */
    String example() default "";

    /** Marked deprecated in OpenAPI. */
    boolean deprecated() default false;

    /** Whether it appears in OpenAPI. */
    boolean includeInSchema() default true;
}
