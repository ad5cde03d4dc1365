package dev.spindle.laundromat.api;

import dev.spindle.laundromat.api.Models.Credentials;
import dev.spindle.laundromat.api.Models.CustomerOut;
import dev.spindle.laundromat.api.Models.NotificationOut;
import dev.spindle.laundromat.api.Models.Token;
import dev.spindle.laundromat.store.Customer;
import dev.spindle.laundromat.store.Store;
import dev.spindle.mysql.Row;
import dev.spindle.web.Get;
import dev.spindle.web.HTTPException;
import dev.spindle.web.Post;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.Query;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * Customers: register, log in (a bearer token), read one's ready notifications.
 *
 * {@snippet :
 * POST /customers {"name": "ada", "password": "correct horse"}  -> 201 {"id": 1, "name": "ada"}
 * POST /token     {"name": "ada", "password": "correct horse"}  -> 200 {"accessToken": "...", "tokenType": "bearer"}
 * GET  /notifications  (Authorization: Bearer ...)              -> 200 [{"wash": 7, "message": "...", ...}]
 * }
 */
public final class CustomerRoutes {
    private final Store store;

    public CustomerRoutes(Store store) {
        this.store = store;
    }

    @Post(value = "/customers", status = 201, tags = "customers", summary = "Register a customer")
    public CustomerOut register(Credentials body) {
        byte[] salt = Passwords.salt();
        byte[] hash = Passwords.hash(body.password(), salt);
        long id = store.addCustomer(body.name(), hash, salt)
                .orElseThrow(() -> new HTTPException(409, "the name " + body.name() + " is taken"));
        return new CustomerOut(id, body.name());
    }

    @Post(value = "/token", tags = "customers", summary = "Log in: a bearer token")
    public Token login(Credentials body) {
        Customer c = store.customerByName(body.name()).orElse(null);
        if (c == null || !Passwords.matches(body.password(), c.salt(), c.passwordHash())) {
            throw new HTTPException(401, "Incorrect name or password", Map.of("WWW-Authenticate", "Bearer"));
        }
        String token = Passwords.token();
        store.addToken(token, c.id());
        return new Token(token, "bearer");
    }

    @Get(value = "/me", tags = "customers", summary = "Who the token belongs to")
    public CustomerOut me(@Depends(RateLimited.class) Caller caller) {
        return new CustomerOut(caller.id(), store.customerName(caller.id()).orElse("?"));
    }

    @Get(value = "/notifications", tags = "customers", summary = "My ready notifications, newest first")
    public List<NotificationOut> notifications(
            @Depends(RateLimited.class) Caller caller, @Query @Default("50") @Min(1) @Max(500) int limit) {
        return store.notificationsOf(caller.id(), limit).stream()
                .map(CustomerRoutes::notification)
                .toList();
    }

    private static NotificationOut notification(Row r) {
        return new NotificationOut(
                r.getLong("wash_id"), r.getString("message"), r.get("created_at", LocalDateTime.class));
    }
}
