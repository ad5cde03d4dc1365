package dev.spindle.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a method as the handler of {@code GET} requests to a path (FastAPI's {@code @app.get}).
 * The method's parameters say what it reads (see {@link dev.spindle.web.params}); its return value is the response
 * body (serialized as JSON unless it is a {@link dev.spindle.web.responses.Response}).
 *
 * {@snippet :
 * @Get("/items/{itemId}")
 * Item handle(@Path int itemId) { ... }
 * }
 *
 * <p>Analysed once when the object holding the method is {@linkplain Router#include(Object) included}; nothing about
 * the method is looked up again per request.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Get {
    /** The path, with parameters in braces: {@code "/items/{itemId}"}, {@code "/files/{rest:path}"}. */
    String value();

    /** The status of a successful response (0: 200, or what a returned {@code Response} says). */
    int status() default 0;

    /** The record type whose fields alone leave in the response (default: the method's return type, if a record). */
    Class<?> responseModel() default Void.class;

    /** OpenAPI tags, added to the router's. */
    String[] tags() default {};

    /** OpenAPI summary (default: from the method name, "Read Item" for {@code readItem}). */
    String summary() default "";

    /** OpenAPI description. */
    String description() default "";

    /** The successful response's description in OpenAPI. */
    String responseDescription() default "Successful Response";

    /** OpenAPI operationId (default: method name, path and method, as FastAPI makes it). */
    String operationId() default "";

    /** Marks the operation deprecated in OpenAPI. */
    boolean deprecated() default false;

    /** Whether the operation appears in OpenAPI. */
    boolean includeInSchema() default true;
}
