package dev.spindle.web.depends;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A parameter whose value a dependency provides (FastAPI's {@code Depends}). The dependency is a class: either one
 * with a method marked {@link Provides} (its result is the value), or a record or class whose constructor's
 * parameters are themselves typed parameters (FastAPI's "classes as dependencies"). Its own parameters are resolved
 * the same way: query, headers, other dependencies...
 *
 * {@snippet :
 * record CommonParams(@Query Optional<String> q, @Query @Default("0") int skip, @Query @Default("100") int limit) {}
 *
 * @Get("/items")
 * Map<String, Object> items(@Depends CommonParams commons) { ... }
 *
 * @Get("/users/me")
 * User me(@Depends(CurrentUser.class) User user) { ... }
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Once per request.</b> A dependency used several times in one request's tree is called once and its value
 *       shared, unless {@code useCache = false}.
 *   <li><b>Instances.</b> The provider class's instance is the one {@linkplain dev.spindle.web.App#provide given to the
 *       app}, else one made with its no-argument constructor at startup.
 *   <li><b>Cleanup.</b> A provider returning {@link Yield} has its teardown run after the response is sent, or,
 *       when the handler fails, before the error is answered, with the error.
 *   <li><b>Tests.</b> {@link dev.spindle.web.App#dependencyOverrides()} replaces a dependency.
 * </ul>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
public @interface Depends {
    /** The dependency class (default: the parameter's type). */
    Class<?> value() default Void.class;

    /** Whether the value is shared within one request. */
    boolean useCache() default true;

    /** OAuth2 scopes this use requires (FastAPI's {@code Security(dep, scopes=[...])}). */
    String[] scopes() default {};
}
