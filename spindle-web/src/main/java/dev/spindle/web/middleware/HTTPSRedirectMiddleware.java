package dev.spindle.web.middleware;

import dev.spindle.web.Request;
import dev.spindle.web.responses.Response;

/**
 * Redirects plain-HTTP requests to HTTPS (307, the same host without port 80, path and query kept), as Starlette's
 * {@code HTTPSRedirectMiddleware}. The scheme is the connection's: behind a TLS-terminating proxy, put a middleware
 * that trusts its forwarding headers first, or do not use this one.
 *
 * {@snippet :
 * app.addMiddleware(new HTTPSRedirectMiddleware());
 * }
 */
public final class HTTPSRedirectMiddleware implements Middleware {
    @Override
    public Response dispatch(Request request, CallNext next) throws Exception {
        if (request.scheme().equals("https")) {
            return next.call(request);
        }
        String host = request.header("Host");
        if (host == null || host.isEmpty()) {
            return Response.text("Invalid host header").status(400);
        }
        if (host.endsWith(":80")) {
            host = host.substring(0, host.length() - 3);
        }
        String q = request.rawQuery();
        return Response.redirect("https://" + host + request.raw().path() + (q.isEmpty() ? "" : "?" + q), 307);
    }
}
