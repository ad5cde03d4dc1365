package dev.spindle.web.middleware;

import dev.spindle.web.Request;
import dev.spindle.web.responses.Response;
import java.util.List;
import java.util.Locale;

/**
 * Refuses requests whose {@code Host} is not one of the allowed names (HTTP Host header attacks), 400 "Invalid host
 * header" (Starlette's {@code TrustedHostMiddleware}). Patterns: exact names, {@code *.example.com} for subdomains,
 * {@code *} for any. With {@code wwwRedirect}, a request to {@code example.com} when only {@code www.example.com}
 * is allowed is redirected there.
 *
 * {@snippet :
 * app.addMiddleware(new TrustedHostMiddleware(List.of("example.com", "*.example.com"), true));
 * }
 */
public final class TrustedHostMiddleware implements Middleware {
    private final List<String> allowed;
    private final boolean wwwRedirect;

    public TrustedHostMiddleware(List<String> allowedHosts, boolean wwwRedirect) {
        for (String p : allowedHosts) {
            if (p.indexOf('*', 1) >= 0 || (p.startsWith("*") && !p.equals("*") && !p.startsWith("*."))) {
                throw new IllegalArgumentException("a wildcard is '*' or leads '*.domain': " + p);
            }
        }
        this.allowed =
                allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.wwwRedirect = wwwRedirect;
    }

    public TrustedHostMiddleware(List<String> allowedHosts) {
        this(allowedHosts, true);
    }

    @Override
    public Response dispatch(Request request, CallNext next) throws Exception {
        if (allowed.contains("*")) {
            return next.call(request);
        }
        String hostHeader = request.header("Host");
        String host = hostHeader == null ? "" : hostHeader.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(0, end + 1);
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        boolean redirect = false;
        for (String p : allowed) {
            if (host.equals(p) || (p.startsWith("*.") && host.endsWith(p.substring(1)))) {
                return next.call(request);
            }
            if (wwwRedirect && p.equals("www." + host)) {
                redirect = true;
            }
        }
        if (redirect) {
            String q = request.rawQuery();
            return Response.redirect(
                    request.scheme() + "://www." + hostHeader + request.raw().path() + (q.isEmpty() ? "" : "?" + q),
                    307);
        }
        return Response.text("Invalid host header").status(400);
    }
}
