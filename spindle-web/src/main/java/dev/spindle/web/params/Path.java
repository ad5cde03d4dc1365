package dev.spindle.web.params;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A path parameter: the segment named in braces in the route's path, converted to the parameter's type (a value that does not convert answers 422).
 *
 * {@snippet :
 * @Get("/items/{itemId}") Item read(@Path int itemId)
 * }
 *
 * <p>Constraints are Jakarta Validation's annotations beside this one ({@code @Min}, {@code @Max}, {@code @Size},
 * {@code @Pattern}, {@code @Positive}...); a default is {@link Default}; {@code Optional<T>} makes it not required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Path {
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
