package dev.spindle.http.internal;

import dev.spindle.http.EventStream;
import java.time.Duration;

/** Server-sent events over a chunked body; every event is one chunk, flushed before {@code send} returns. */
final class ServerEventStream implements EventStream {
    private final ChunkedBodyWriter body;
    private final StringBuilder event = new StringBuilder(128);

    ServerEventStream(ChunkedBodyWriter body) {
        this.body = body;
    }

    @Override
    public void send(String data) {
        send(null, data, null);
    }

    @Override
    public void send(String eventType, String data, String id) {
        java.util.Objects.requireNonNull(data, "data");
        event.setLength(0);
        if (eventType != null) {
            field("event", eventType);
        }
        if (id != null) {
            if (id.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("an event id must not contain NUL");
            }
            field("id", id);
        }
        // each line of the data becomes a data: line (CRLF, CR and LF all end a line in the format)
        int start = 0;
        int n = data.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? data.charAt(i) : '\n';
            if (c == '\r' || c == '\n') {
                event.append("data: ").append(data, start, i).append('\n');
                if (c == '\r' && i + 1 < n && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        emit();
    }

    @Override
    public void comment(String text) {
        event.setLength(0);
        for (String line : text.split("\r\n|\r|\n", -1)) {
            event.append(": ").append(line).append('\n');
        }
        emit();
    }

    @Override
    public void retry(Duration delay) {
        event.setLength(0);
        event.append("retry: ").append(delay.toMillis()).append("\n");
        emit();
    }

    private void field(String name, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("an event's " + name + " must not contain CR or LF: " + value);
        }
        event.append(name).append(": ").append(value).append('\n');
    }

    private void emit() {
        event.append('\n');
        body.write(event.toString());
        body.flush();
    }

    @Override
    public void close() {
        body.close();
    }
}
