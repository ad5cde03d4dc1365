package dev.spindle.laundromat.page;

import dev.spindle.web.Get;
import dev.spindle.web.responses.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The web page at {@code /}: plain HTML and JavaScript (no build step), read once from the class path. It signs a
 * customer in (registering the name if new), draws the machines, fills and empties them live from {@code /ws}
 * (falling back to {@code /events}), and starts washes with a form.
 *
 * {@snippet :
 * app.include(new PageRoutes());   // GET / is the page
 * }
 */
public final class PageRoutes {
    private final String page;

    public PageRoutes() {
        try (InputStream in = PageRoutes.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("index.html is missing from the class path beside PageRoutes");
            }
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(value = "/", includeInSchema = false)
    public Response index() {
        return Response.html(page);
    }
}
