package dev.spindle.http;

/**
 * The protocol version a request came with. HTTP/2 is reserved for the h2 codec to come; nothing makes it yet.
 *
 * {@snippet :
 * if (req.version() == HttpVersion.HTTP_1_0) {
 *     res.closeConnection(); // an old client: no chunked, no keep-alive unless it asked
 * }
 * }
 */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1"),
    HTTP_2("HTTP/2");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** As it appears on the wire: {@code "HTTP/1.1"}. */
    @Override
    public String toString() {
        return text;
    }
}
