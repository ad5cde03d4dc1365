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
            try (EventStream events = out.eventStream()) {
                r.eventSource().run(events);
            }
        } else if (r.streamBody() != null) {
            try (BodyWriter body = out.stream()) {
                r.streamBody().writeTo(body);
            }
        } else if (r.filePath() != null) {
            out.sendFile(r.filePath());
        } else if (r.body() != null && status != 204 && status != 304 && status >= 200) {
            out.send(r.body());
        } else {
            out.send();
        }
    }
}
