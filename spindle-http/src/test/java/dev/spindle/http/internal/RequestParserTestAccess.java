package dev.spindle.http.internal;

import dev.spindle.http.HttpLimits;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/** The parser test's limits and corpus, for the fuzz test that replays the corpus over sockets. */
public final class RequestParserTestAccess {
    private RequestParserTestAccess() {}

    public static HttpLimits limits() {
        return RequestParserTest.LIMITS;
    }

    /** Each case as {status, why, request}. */
    public static List<Object[]> corpus() {
        return RequestParserTest.refused().map(Arguments::get).toList();
    }
}
