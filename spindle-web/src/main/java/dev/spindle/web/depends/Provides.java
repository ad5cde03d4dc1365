package dev.spindle.web.depends;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of a dependency class that provides its value; its parameters are typed parameters like a
 * handler's. One per class; may be static.
 *
 * {@snippet :
 * public final class CurrentUser {
 *     @Provides
 *     public User provide(@Depends(OAuth2Scheme.class) String token) {
 *         return users.byToken(token).orElseThrow(() -> new HTTPException(401, "Invalid token"));
 *     }
 * }
 * }
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Provides {}
