package dev.spindle.http.client.internal;

import java.net.URI;
import java.util.Locale;

/**
 * Where a connection goes: scheme, host and port (RFC 6454's origin), the pool's key. Two URLs with the same origin
 * may share connections; different origins never do.
 */
public record Origin(String scheme, String host, int port) {
    /**
     * The origin of an absolute http or https URL.
     *
     * @throws IllegalArgumentException for a relative URL, another scheme, or no host
     */
    public static Origin of(URI url) {
        String scheme = url.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException("the URL " + url + " is relative and the client has no base URL");
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("unsupported URL scheme " + scheme + " in " + url
                    + " (this client speaks http and https, and uses no proxy)");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the URL " + url + " has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = url.getPort();
        return new Origin(scheme, host.toLowerCase(Locale.ROOT), port < 0 ? defaultPort(scheme) : port);
    }

    static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }

    public boolean isTls() {
        return scheme.equals("https");
    }

    /** The Host header's value: the host (bracketed if IPv6) and the port unless it is the scheme's default. */
    public String hostHeader() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == defaultPort(scheme) ? h : h + ":" + port;
    }

    @Override
    public String toString() {
        return scheme + "://" + hostHeader();
    }
}
