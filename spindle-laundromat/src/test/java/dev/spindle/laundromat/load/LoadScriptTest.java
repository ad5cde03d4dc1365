package dev.spindle.laundromat.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.Spindle;
import dev.spindle.laundromat.Laundromat;
import dev.spindle.laundromat.LaundromatConfig;
import dev.spindle.testservers.MariaDbServer;
import dev.spindle.testservers.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A small bounded run of the load script against a real service: its report has every figure, and adds up. */
class LoadScriptTest {
    @Test
    void aSmallRunReportsThroughputPercentilesAndLag() {
        try (RedisServer redis = RedisServer.start();
                MariaDbServer db = MariaDbServer.builder()
                        .user("load", "load-password", "mysql_native_password")
                        .start();
                Laundromat shop = Laundromat.start(LaundromatConfig.builder()
                        .redisUrl(redis.url())
                        .mysqlUrl("mysql://load:load-password@127.0.0.1:" + db.port() + "/laundromat?sslMode=DISABLED")
                        .machines(20)
                        .speed(600)
                        .rateLimit(1000, Duration.ofSeconds(10))
                        .build())) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
            LoadScript load = new LoadScript(shop.baseUrl(), 60, 12, 2, Duration.ofSeconds(120), out);
            Spindle.run(load::run);
            String report = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(report.contains("100%  60/60 customers"), report);
            for (String row : new String[] {"register", "login", "start", "poll", "all"}) {
                assertTrue(
                        Pattern.compile("(?m)^  " + row + " +\\d+ +[\\d.]+ +[\\d.]+ +[\\d.]+ +[\\d.]+$")
                                .matcher(report)
                                .find(),
                        row + " row missing: " + report);
            }
            assertTrue(report.contains("the load's loop"), report);
            Matcher done = Pattern.compile("(\\d+) washes started").matcher(report);
            assertTrue(done.find(), report);
            assertEquals(120, Integer.parseInt(done.group(1)), report); // two washes for each of 60 customers
            assertTrue(report.contains("0 failed requests"), report);
            String last = report.strip().lines().reduce((a, b) -> b).orElseThrow();
            assertTrue(last.startsWith(LoadScript.SUMMARY_PREFIX), last);
            JsonNode summary;
            try {
                summary = new ObjectMapper().readTree(last.substring(LoadScript.SUMMARY_PREFIX.length()));
            } catch (java.io.IOException e) {
                throw new AssertionError("the summary line is not JSON: " + last, e);
            }
            assertEquals(120, summary.get("started").asInt(), last);
            assertEquals(0, summary.get("errors").asInt(), last);
            assertEquals(60, summary.at("/latencyMs/register/count").asInt(), last);
            assertTrue(summary.get("reqPerSec").asDouble() > 0, last);
            assertTrue(
                    summary.at("/latencyMs/all/p99").asDouble()
                            >= summary.at("/latencyMs/all/p50").asDouble(),
                    last);
        }
    }

    @Test
    void onlyLoopbackIsDriven() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new LoadScript("http://example.com", 10, 1, 1, Duration.ofSeconds(1), System.out));
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new LoadScript("http://127.0.0.1:1", 1_000_000, 1, 1, Duration.ofSeconds(1), System.out));
    }
}
