package dev.spindle.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An extra response of a route in the OpenAPI document (FastAPI's {@code responses={404: {"model": Message}}}): a
 * status the handler may answer besides its successful one, with its description and, if it has a JSON body, the
 * record that describes it. Documentation only: what the handler returns is not checked against it. Repeatable;
 * {@link Router#responses(int, String, Class)} declares one for every route of a router.
 *
 * {@snippet :
 * record Message(String message) {}
 *
 * @ApiResponse(status = 404, description = "Item not found", model = Message.class)
 * @Get("/items/{item_id}")
 * Item readItem(@Path("item_id") int itemId) { ... }
 * }
 *
 * <p>A route's own extra response replaces its router's for the same status; one for the route's successful status
 * is ignored (that one comes from the route).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(ApiResponses.class)
public @interface ApiResponse {
    /** The HTTP status. */
    int status();

    /** The description (default: the status's reason phrase, {@code "Not Found"}). */
    String description() default "";

    /** The record of the JSON body ({@code Void}: the response has no documented body). */
    Class<?> model() default Void.class;
}
