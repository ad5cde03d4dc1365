package dev.spindle.web.params;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Metadata of a record component for OpenAPI and the wire (pydantic's {@code Field}): its JSON name, title,
 * description and example. Constraints stay Jakarta Validation annotations.
 *
 * {@snippet :
 * record Item(
 *         @Field(description = "The item's name", example = "Foo") @Size(max = 50) String name,
 *         @Field(alias = "is_offer") Optional<Boolean> isOffer) {}
 * }
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER})
public @interface Field {
    /** The name in JSON (default: the component's name, or Jackson's {@code @JsonProperty}). */
    String alias() default "";

    String title() default "";

    String description() default "";

    /** An example value, as JSON text ({@code "\"Foo\""} or {@code "Foo"} for a string, {@code "3.5"}). */
    String example() default "";

    boolean deprecated() default false;
}
