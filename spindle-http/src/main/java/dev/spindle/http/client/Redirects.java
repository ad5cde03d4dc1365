package dev.spindle.http.client;

import dev.spindle.http.client.internal.Origin;
import java.net.URI;
import java.net.URISyntaxException;

/** The redirect rules (RFC 9110 §15.4, and what browsers and httpx do where it leaves a choice). */
final class Redirects {
    private Redirects() {}

    /**
     * The request that follows {@code response} to {@code current} at {@code url}, with an absolute URL; null if it
     * cannot be followed (a 307 or 308 with a body that cannot be sent again).
     *
     * @throws ProtocolError for a Location that is not a valid http or https URL
     */
    static ClientRequest next(ClientRequest current, URI url, ClientResponse response) {
        String location = response.headers().get("Location").strip();
        URI next;
        try {
            next = url.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ProtocolError("the redirect from " + url + " has an invalid Location \"" + location + "\"", e);
        }
        if (next.getFragment() == null && url.getRawFragment() != null) {
            next = URI.create(next + "#" + url.getRawFragment()); // RFC 9110 §10.2.2: the fragment carries over
        }
        Origin to;
        try {
            to = Origin.of(next);
        } catch (IllegalArgumentException e) {
            throw new ProtocolError("cannot follow the redirect from " + url + ": " + e.getMessage(), e);
        }
        int status = response.status();
        String method = current.method();
        boolean toGet = (status == 303 && !method.equals("HEAD"))
                || ((status == 301 || status == 302) && method.equals("POST"));
        if (!toGet && current.content() != null && !current.content().isReplayable()) {
            return null; // 307/308 (or 301/302 of a PUT) with a streamed body: the caller gets the redirect
        }
        ClientRequest.Builder b = current.toBuilder().url(next.toString());
        if (toGet) {
            b.method("GET").content(null);
            b.removeHeaders("Content-Type", "Content-Encoding", "Content-Language", "Content-Location");
        }
        if (!to.equals(Origin.of(url))) {
            b.removeHeaders("Authorization", "Cookie", "Proxy-Authorization");
        }
        return b.build();
    }
}
