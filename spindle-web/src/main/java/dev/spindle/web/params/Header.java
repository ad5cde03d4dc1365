package dev.spindle.web.params;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A request header; the parameter's name has its underscores turned to dashes ({@code user_agent} reads {@code user-agent}) and is matched without regard to case. Repeated headers fill a {@code List}.
 *
 * {@snippet :
 * @Get("/") String ua(@Header("user-agent") Optional<String> userAgent)
 * }
 *
 * <p>Constraints are Jakarta Validation's annotations beside this one ({@code @Min}, {@code @Max}, {@code @Size},
 * {@code @Pattern}, {@code @Positive}...); a default is {@link Default}; {@code Optional<T>} makes it not required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Header {
    /** The name on the wire (default: the Java parameter's name, underscores as dashes). */
    String value() default "";

    /** Described in OpenAPI. */
    String description() default "";

    /** An example value for OpenAPI (as text). */
    String example() default "";

    /** Marked deprecated in OpenAPI. */
    boolean deprecated() default false;

    /** Whether it appears in OpenAPI. */
    boolean includeInSchema() default true;

    /** Whether underscores in the Java name become dashes (FastAPI's {@code convert_underscores}). */
    boolean convertUnderscores() default true;
}
