package dev.spindle.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A PrintStream that remembers what was printed, for asserting on an example's output. */
final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** Every line printed, with the {@code [0.30s] } time stamps removed. */
    List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8)
                .lines()
                .map(l -> l.replaceFirst("^\\[\\d+\\.\\d\\ds\\] ", ""))
                .toList();
    }

    /** The lines that carried a time stamp (the timeline's messages), stamps removed. */
    List<String> timelineLines() {
        return bytes.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.matches("^\\[\\d+\\.\\d\\ds\\] .*"))
                .map(l -> l.replaceFirst("^\\[\\d+\\.\\d\\ds\\] ", ""))
                .toList();
    }
}
