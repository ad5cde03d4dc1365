package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.web.testing.TestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * FastAPI's tutorial requests sent by Python's httpx (Debian's python3-httpx) to the Spindle port of the tutorial
 * apps ({@link TutorialApp}): every status and body must be what FastAPI's documentation shows.
 */
class FastApiTutorialTest {
    @Test
    void httpxGetsFastApisAnswers() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import httpx")
                .redirectErrorStream(true)
                .start();
        if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            throw new AssertionError("this test needs /usr/bin/python3 with httpx: apt-get install python3-httpx");
        }
        Path script = Path.of("src/test/resources/python/fastapi_tutorial.py");
        try (TestClient client = TestClient.serve(TutorialApp.app())) {
            Process p = new ProcessBuilder(python.toString(), script.toString(), client.baseUrl())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "the httpx script did not finish");
            assertEquals(0, p.exitValue(), out);
            System.out.print(out);
            Files.size(script);
        }
    }
}
