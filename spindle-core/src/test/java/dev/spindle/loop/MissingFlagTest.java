package dev.spindle.loop;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without {@code --add-opens java.base/java.lang=ALL-UNNAMED} Spindle fails at once and says how to fix it. */
class MissingFlagTest {
    public static void main(String[] args) {
        dev.spindle.Spindle.run(() -> System.out.println("should not get here"));
    }

    @Test
    void theFirstUseFailsWithAMessageNamingTheFlagAndWhereToPutIt() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        List.of(java, "-cp", System.getProperty("java.class.path"), MissingFlagTest.class.getName()))
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, p.exitValue());
        assertTrue(out.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), out);
        assertTrue(out.contains("JDK_JAVA_OPTIONS"), out);
        assertTrue(out.contains("Add-Opens: java.base/java.lang"), out);
        assertTrue(out.contains("argLine"), out);
        assertTrue(!out.contains("should not get here"), out);
    }
}
