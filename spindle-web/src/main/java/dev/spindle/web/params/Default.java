package dev.spindle.web.params;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a parameter or a record field takes when the request does not carry it, written as the wire would carry
 * it ({@code "10"}, {@code "true"}, an enum's value); converted and checked once at startup. A parameter or field
 * with a default is not required.
 *
 * {@snippet :
 * @Get("/items") List<Item> list(@Query @Default("0") int skip, @Query @Default("10") int limit)
 * record Item(String name, @Default("0.0") double tax) {}
 * }
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Default {
    String value();
}
