package dev.spindle.laundromat.api;

import dev.spindle.laundromat.store.Store;
import dev.spindle.web.HTTPException;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.depends.Provides;
import dev.spindle.web.security.HTTPAuthorizationCredentials;
import dev.spindle.web.security.HTTPBearer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dependency that authenticates a request: its {@code Authorization: Bearer} token (through spindle-web's
 * {@link HTTPBearer}) looked up among the tokens login handed out. Without a token, or with an unknown one: 401 with
 * {@code WWW-Authenticate: Bearer}.
 *
 * {@snippet :
 * @Get("/washes")
 * List<WashOut> history(@Depends(CurrentCustomer.class) Caller caller) { ... }
 * }
 *
 * <p>Known tokens are cached in memory (up to {@value #CACHE_SIZE}; then the cache starts over), so a busy customer
 * costs one database read per process, not one per request.
 */
public final class CurrentCustomer {
    static final int CACHE_SIZE = 100_000;

    private final Store store;
    private final Map<String, Long> cache = new ConcurrentHashMap<>();

    public CurrentCustomer(Store store) {
        this.store = store;
    }

    @Provides
    public Caller caller(@Depends(HTTPBearer.class) HTTPAuthorizationCredentials credentials) {
        String token = credentials.credentials();
        Long id = cache.get(token);
        if (id == null) {
            if (token.length() != 43) {
                throw unauthorized();
            }
            id = store.customerOfToken(token).orElseThrow(CurrentCustomer::unauthorized);
            if (cache.size() >= CACHE_SIZE) {
                cache.clear();
            }
            cache.put(token, id);
        }
        return new Caller(id);
    }

    private static HTTPException unauthorized() {
        return new HTTPException(401, "Invalid or expired token", Map.of("WWW-Authenticate", "Bearer"));
    }
}
