package dev.spindle.web.params;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The request body (JSON) read into the parameter's type, typically a record. One body parameter is the whole body; with several, or {@code embed = true}, each is the body's key of its name (FastAPI's {@code Body(embed=True)}).
 *
 * {@snippet :
 * @Put("/items/{id}") Item update(@Path int id, @Body Item item)
 * }
 *
 * <p>Constraints are Jakarta Validation's annotations beside this one ({@code @Min}, {@code @Max}, {@code @Size},
 * {@code @Pattern}, {@code @Positive}...); a default is {@link Default}; {@code Optional<T>} makes it not required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Body {
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

    /** Whether the value is under its name in the body ({@code {"item": {...}}}) rather than the whole body. */
    boolean embed() default false;

    /** The media type in OpenAPI. */
    String mediaType() default "application/json";
}
