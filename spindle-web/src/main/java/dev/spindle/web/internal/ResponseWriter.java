package dev.spindle.web.internal;

import dev.spindle.http.BodyWriter;
import dev.spindle.http.EventStream;
import dev.spindle.http.Headers;
import dev.spindle.web.responses.Response;

/** Sends a {@link Response} through spindle-http's response: head, then the body of its kind. */
final class ResponseWriter {
    private ResponseWriter() {}

    static void write(Response r, Exchange ex) throws Exception {
        dev.spindle.http.Response out = ex.out;
        int status = r.status() == 0 ? 200 : r.status();
        out.status(status);
        Headers h = r.headers();
        Headers target = out.headers();
        for (int i = 0; i < h.size(); i++) {
            String n = h.name(i);
            if (n.equalsIgnoreCase("Set-Cookie") || n.equalsIgnoreCase("Vary") || n.equalsIgnoreCase("Link")) {
                target.add(n, h.value(i));
            } else {
                target.set(n, h.value(i));
            }
        }
        if (r.mediaType() != null && !h.contains("Content-Type")) {
            out.contentType(r.mediaType());
        }
        if (r.eventSource() != null) {
            EventStream events = out.eventStream();
            Throwable failure = null;
            try {
                r.eventSource().run(events);
            } catch (Throwable t) {
                failure = t;
                throw t;
            } finally {
                closeAfter(events, failure);
            }
        } else if (r.streamBody() != null) {
            BodyWriter body = out.stream();
            Throwable failure = null;
            try {
                r.streamBody().writeTo(body);
            } catch (Throwable t) {
                failure = t;
                throw t;
            } finally {
                closeAfter(body, failure);
            }
        } else if (r.filePath() != null) {
            out.sendFile(r.filePath());
        } else if (r.body() != null && status != 204 && status != 304 && status >= 200) {
            out.send(r.body());
        } else {
            out.send();
        }
    }

    /**
     * Closes a stream after its body ran. Not try-with-resources: a lost connection's stream throws the very
     * {@code ConnectionLost} instance the body got (core's StreamWriter keeps and rethrows one), and adding an
     * exception to itself as suppressed throws IllegalArgumentException, which turned a client going away into a
     * logged handler failure.
     */
    private static void closeAfter(AutoCloseable stream, Throwable failure) throws Exception {
        try {
            stream.close();
        } catch (Exception e) {
            if (failure == null) {
                throw e;
            }
            if (e != failure) {
                failure.addSuppressed(e);
            }
        }
    }
}
