package dev.spindle.web.responses;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.spindle.http.BodyWriter;
import dev.spindle.http.EventStream;
import dev.spindle.http.Headers;
import dev.spindle.web.internal.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a handler answers when a plain return value is not enough (Starlette's {@code Response} classes): a status,
 * headers, cookies and a body that is fixed (JSON, HTML, text, bytes), streamed, server-sent events, JSON lines, a
 * file or a redirect. Mutable, chained; built on one request's coroutine.
 *
 * {@snippet :
 * return Response.json(item).status(201).header("Location", "/items/" + id);
 * return Response.html("<h1>Hello</h1>");
 * return Response.redirect("/login");                            // 307
 * return Response.file(Path.of("report.pdf")).attachment("report.pdf");
 * return Response.stream("text/csv", out -> rows.forEach(r -> out.write(r + "\n")));
 * return Response.events(events -> events.send("tick", "1", null));
 * }
 *
 * <p>Declared as a handler's parameter, a {@code Response} is FastAPI's "temporal" response: set its status, headers
 * and cookies there while returning a plain value, and they are applied to the response sent.
 *
 * <p>A {@link #json} body is serialized with the framework's mapper as it stands, without a response model's
 * filtering: return the value itself to have the route's model applied.
 */
public final class Response {
    /** Writes a streamed body, in the handler's coroutine, after the head is sent. */
    @FunctionalInterface
    public interface StreamBody {
        void writeTo(BodyWriter out) throws Exception;
    }

    /** Sends server-sent events, in the handler's coroutine, after the head is sent. */
    @FunctionalInterface
    public interface EventSource {
        void run(EventStream events) throws Exception;
    }

    private int status;
    private final Headers headers = new Headers();
    private String mediaType;
    private byte[] body;
    private StreamBody stream;
    private EventSource events;
    private Path file;

    /** An empty response (status 200 unless set; as a parameter, it changes nothing until set). */
    public Response() {}

    /** A body of bytes with a media type. */
    public static Response bytes(byte[] body, String mediaType) {
        Response r = new Response();
        r.body = Objects.requireNonNull(body, "body");
        r.mediaType = mediaType;
        return r;
    }

    /** {@code value} as JSON ({@code application/json}). */
    public static Response json(Object value) {
        try {
            return bytes(Json.MAPPER.writeValueAsBytes(value), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** HTML ({@code text/html; charset=utf-8}). */
    public static Response html(String html) {
        return bytes(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
    }

    /** Plain text ({@code text/plain; charset=utf-8}). */
    public static Response text(String text) {
        return bytes(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    /** No body, status 204. */
    public static Response noContent() {
        return new Response().status(204);
    }

    /** A redirect with status 307 (the method and body are kept, as Starlette's {@code RedirectResponse}). */
    public static Response redirect(String location) {
        return redirect(location, 307);
    }

    /**
     * A redirect with {@code status} (301, 302, 303, 307 or 308).
     *
     * @throws IllegalArgumentException for another status or a location with control characters
     */
    public static Response redirect(String location, int status) {
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            throw new IllegalArgumentException("a redirect's status is 301, 302, 303, 307 or 308, not " + status);
        }
        Response r = new Response().status(status);
        r.headers.set("Location", encodeLocation(location));
        r.body = new byte[0];
        return r;
    }

    /** A streamed body (chunked) of {@code mediaType}, written by {@code body}. */
    public static Response stream(String mediaType, StreamBody body) {
        Response r = new Response();
        r.mediaType = mediaType;
        r.stream = Objects.requireNonNull(body, "body");
        return r;
    }

    /** Server-sent events ({@code text/event-stream}), each flushed as sent. */
    public static Response events(EventSource source) {
        Response r = new Response();
        r.events = Objects.requireNonNull(source, "source");
        return r;
    }

    /**
     * JSON lines ({@code application/jsonl}): each item as one line of JSON, written as the iterable yields it (a
     * generator that blocks between items streams them).
     */
    public static Response jsonLines(Iterable<?> items) {
        Objects.requireNonNull(items, "items");
        return stream("application/jsonl", out -> {
            for (Object item : items) {
                out.write(Json.MAPPER.writeValueAsBytes(item));
                out.write(NEWLINE);
                out.flush();
            }
        });
    }

    /**
     * A file, with its Content-Type guessed from its name, ETag, Last-Modified, ranges and conditional requests (404
     * if it does not exist).
     */
    public static Response file(Path file) {
        Response r = new Response();
        r.file = Objects.requireNonNull(file, "file");
        return r;
    }

    /** Adds {@code Content-Disposition: attachment} with {@code filename} (RFC 6266, UTF-8 names encoded). */
    public Response attachment(String filename) {
        boolean ascii = filename.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\');
        headers.set(
                "Content-Disposition",
                ascii
                        ? "attachment; filename=\"" + filename + "\""
                        : "attachment; filename*=utf-8''" + percentEncode(filename));
        return this;
    }

    /** Sets the status (100..599). */
    public Response status(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100..599: " + status);
        }
        this.status = status;
        return this;
    }

    /** The status, or 0 if not set. */
    public int status() {
        return status;
    }

    /** Sets a header, replacing others of that name. */
    public Response header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    /** The headers (mutable). */
    public Headers headers() {
        return headers;
    }

    /** Sets the media type (Content-Type). */
    public Response mediaType(String mediaType) {
        this.mediaType = mediaType;
        return this;
    }

    public String mediaType() {
        return mediaType;
    }

    /** Adds a {@code Set-Cookie}. */
    public Response setCookie(Cookie cookie) {
        headers.add("Set-Cookie", cookie.toHeaderValue());
        return this;
    }

    /** Adds a {@code Set-Cookie} with Starlette's defaults (Path=/, SameSite=lax). */
    public Response setCookie(String name, String value) {
        return setCookie(Cookie.of(name, value));
    }

    /** Deletes cookie {@code name} (Path=/). */
    public Response deleteCookie(String name) {
        return setCookie(Cookie.delete(name));
    }

    /** Deletes a cookie set with a path and domain (they must match the ones it was set with). */
    public Response deleteCookie(String name, String path, String domain) {
        return setCookie(Cookie.delete(name).path(path).domain(domain));
    }

    /** The fixed body, or {@code null} for other kinds. */
    public byte[] body() {
        return body;
    }

    /** Replaces the body with fixed bytes (middleware rewriting a response). */
    public Response body(byte[] body) {
        this.body = Objects.requireNonNull(body, "body");
        this.stream = null;
        this.events = null;
        this.file = null;
        return this;
    }

    /** The stream writer of a streamed body, or {@code null}. */
    public StreamBody streamBody() {
        return stream;
    }

    /** Replaces the streamed body's writer (a middleware wrapping it, say). */
    public Response streamBody(StreamBody body) {
        this.stream = Objects.requireNonNull(body, "body");
        this.body = null;
        return this;
    }

    /** The event source of an event stream, or {@code null}. */
    public EventSource eventSource() {
        return events;
    }

    /** The file of a file response, or {@code null}. */
    public Path filePath() {
        return file;
    }

    /** Copies {@code from}'s status (if set), headers and cookies into this response (FastAPI's temporal response). */
    public Response mergeFrom(Response from) {
        if (from.status != 0 && status == 0) {
            status = from.status;
        }
        for (int i = 0; i < from.headers.size(); i++) {
            String n = from.headers.name(i);
            if (n.equalsIgnoreCase("Set-Cookie")) {
                headers.add(n, from.headers.value(i));
            } else {
                headers.set(n, from.headers.value(i));
            }
        }
        return this;
    }

    @Override
    public String toString() {
        String kind = body != null
                ? body.length + " bytes"
                : stream != null ? "stream" : events != null ? "events" : file != null ? "file " + file : "empty";
        return "Response[" + (status == 0 ? 200 : status) + ", " + mediaType + ", " + kind + "]";
    }

    private static final byte[] NEWLINE = {'\n'};

    private static String encodeLocation(String location) {
        Objects.requireNonNull(location, "location");
        StringBuilder b = new StringBuilder(location.length());
        for (int i = 0; i < location.length(); i++) {
            char c = location.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("a redirect location must not hold control characters");
            }
            if (c > 0x7e || c == ' ') {
                b.append(percentEncode(String.valueOf(c)));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String percentEncode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }
}
