package peers;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The Date header's value, formatted once a second on a daemon thread (as TechEmpower's JVM entries cache it). */
final class HttpDate {
    private static volatile String now = format();

    static {
        Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "http-date");
                    t.setDaemon(true);
                    return t;
                })
                .scheduleAtFixedRate(() -> now = format(), 1, 1, TimeUnit.SECONDS);
    }

    private HttpDate() {}

    static String now() {
        return now;
    }

    private static String format() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(java.time.ZoneOffset.UTC));
    }
}
