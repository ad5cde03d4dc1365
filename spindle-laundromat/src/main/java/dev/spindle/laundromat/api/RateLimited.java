package dev.spindle.laundromat.api;

import dev.spindle.laundromat.notify.RateLimiter;
import dev.spindle.web.HTTPException;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.depends.Provides;
import java.util.Map;

/**
 * The dependency of every customer route: {@link CurrentCustomer}, then one hit on the customer's rate limit in
 * Redis. Past the limit: 429 with {@code Retry-After} (seconds until the window ends).
 *
 * {@snippet :
 * @Post(value = "/washes", status = 201)
 * WashOut start(@Depends(RateLimited.class) Caller caller, StartWash body) { ... }
 * }
 */
public final class RateLimited {
    private final RateLimiter limiter;

    public RateLimited(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Provides
    public Caller check(@Depends(CurrentCustomer.class) Caller caller) {
        RateLimiter.Decision d = limiter.hit("customer:" + caller.id());
        if (!d.allowed()) {
            throw new HTTPException(
                    429,
                    "Too many requests: " + d.limit() + " per "
                            + limiter.window().toSeconds() + " s",
                    Map.of("Retry-After", String.valueOf(d.retryAfterSeconds())));
        }
        return caller;
    }
}
