package dev.spindle.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.task.Coroutine;
import dev.spindle.test.TestLoop;
import dev.spindle.test.TestOptions;
import dev.spindle.testservers.FreePorts;
import dev.spindle.testservers.MariaDbServer;
import dev.spindle.testservers.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The tutorial in {@code docs/tutorial/} cannot rot: every {@code ```java} block of it is the marked region of a
 * program in {@code dev.spindle.tutorial}, and every program's output printed in it is what the program prints.
 *
 * <p>The markers, HTML comments on the line before a fenced block (invisible when the page is rendered):
 * <ul>
 *   <li>{@code <!-- source: X.java -->} before a {@code ```java} block: the block must equal, line for line, the part
 *       of {@code X.java} between {@code // tutorial:begin} and {@code // tutorial:end} (its common indentation
 *       removed). A {@code ```java} block without this marker fails the test.
 *   <li>{@code <!-- output: X -->} before a {@code ```text} block: program {@code X} is run and what it prints must
 *       equal the block. A program whose {@code main} is just {@code run(X::func);} runs its {@code func} on a
 *       virtual-time {@link TestLoop} instead (same semantics as {@code run}, but sleeps take no real time, the time
 *       stamps are exact, and tasks left running or failures nobody looked at fail the test); any other {@code main}
 *       is called as it is, in this JVM.
 *   <li>{@code <!-- output: X (real time) -->}: {@code main} is called as it is, on the real clock (programs that
 *       talk to servers). {@code <!-- output: X (own JVM) -->}: {@code main} runs in a child JVM (a program that picks
 *       this JVM's I/O backend).
 *   <li>{@code <!-- requests: X -->} before a {@code ```text} block of {@code $ curl URL} lines, each followed by the
 *       body it answers: {@code X} is started in a child JVM as a server on a free port ({@code -Dport=}), every URL
 *       is requested over a real socket and the body compared.
 * </ul>
 * Redis and MariaDB, for the chapters that need them, are real servers started here (spindle-testservers); their
 * addresses reach the programs through the {@code redis.url} and {@code mysql.url} system properties.
 */
class TutorialDocsTest {
    private static final Path DOCS = findDocs();
    private static final Path SOURCES =
            DOCS.resolve("../../examples/src/main/java/dev/spindle/tutorial").normalize();
    private static final Pattern MARKER = Pattern.compile("^<!--\\s*(source|output|requests):\\s*(.+?)\\s*-->$");
    private static final Pattern FENCE = Pattern.compile("^```(\\w*)\\s*$");

    private static RedisServer redis;
    private static MariaDbServer mariadb;

    /** One fenced block of a page, with the marker line before it (or null). */
    record Block(Path page, int line, String language, String marker, String text) {
        String where() {
            return page.getFileName() + ":" + line;
        }
    }

    @TestFactory
    Stream<DynamicTest> everyBlockOfTheTutorial() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path page : pages()) {
            for (Block b : blocks(page)) {
                if (b.marker() == null) {
                    if (b.language().equals("java")) {
                        tests.add(DynamicTest.dynamicTest(
                                b.where() + " java block",
                                () -> fail(b.where()
                                        + ": a ```java block needs a <!-- source: X.java --> line before it, naming the"
                                        + " program whose tutorial region it shows")));
                    }
                    continue;
                }
                Matcher m = MARKER.matcher(b.marker());
                if (!m.matches()) {
                    continue; // another comment
                }
                String kind = m.group(1);
                String arg = m.group(2);
                String name = b.where() + " " + kind + " " + arg;
                switch (kind) {
                    case "source" -> tests.add(DynamicTest.dynamicTest(name, () -> checkSource(b, arg)));
                    case "output" -> tests.add(DynamicTest.dynamicTest(name, () -> checkOutput(b, arg)));
                    case "requests" -> tests.add(DynamicTest.dynamicTest(name, () -> checkRequests(b, arg)));
                    default -> throw new IllegalStateException(kind);
                }
            }
        }
        return tests.stream();
    }

    /** Every program of the tutorial package is shown somewhere, and the index links every chapter. */
    @Test
    void everyProgramIsInTheTutorialAndEveryChapterInTheIndex() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path page : pages()) {
            all.append(Files.readString(page));
        }
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path f : files.toList()) {
                String file = f.getFileName().toString();
                if (file.endsWith(".java") && !file.equals("package-info.java")) {
                    assertTrue(
                            all.indexOf("<!-- source: " + file + " -->") >= 0, file + " is not shown in the tutorial");
                }
            }
        }
        String index = Files.readString(DOCS.resolve("README.md"));
        for (Path page : pages()) {
            String file = page.getFileName().toString();
            if (!file.equals("README.md")) {
                assertTrue(index.contains("(" + file + ")"), "docs/tutorial/README.md does not link " + file);
            }
        }
    }

    @AfterAll
    static void stopServers() {
        if (redis != null) {
            redis.close();
        }
        if (mariadb != null) {
            mariadb.close();
        }
    }

    // ---- the checks -------------------------------------------------------------------------------------------------

    private static void checkSource(Block b, String file) throws IOException {
        assertEquals("java", b.language(), b.where() + ": a source marker must be followed by a ```java block");
        Path source = SOURCES.resolve(file);
        assertTrue(Files.isRegularFile(source), b.where() + ": no program " + source);
        assertEquals(region(source), b.text(), b.where() + ": the block differs from the tutorial region of " + file);
    }

    private static void checkOutput(Block b, String arg) throws Exception {
        assertEquals("text", b.language(), b.where() + ": an output marker must be followed by a ```text block");
        String program = arg.replaceFirst("\\s*\\(.*\\)$", "");
        String mode = arg.contains("(") ? arg.substring(arg.indexOf('(') + 1, arg.lastIndexOf(')')) : "";
        String printed =
                switch (mode) {
                    case "" -> runInProcess(program, true);
                    case "real time" -> runInProcess(program, false);
                    case "own JVM" -> runInChildJvm(program);
                    default -> throw new AssertionError(b.where() + ": unknown run mode (" + mode + ")");
                };
        assertEquals(b.text(), normalize(printed), b.where() + ": " + program + " printed something else");
    }

    private static void checkRequests(Block b, String program) throws Exception {
        assertEquals("text", b.language(), b.where() + ": a requests marker must be followed by a ```text block");
        List<String[]> exchanges = new ArrayList<>(); // {url, expected body}
        for (String line : b.text().split("\n", -1)) {
            if (line.startsWith("$ curl ")) {
                exchanges.add(new String[] {line.substring("$ curl ".length()).replace("'", ""), ""});
            } else {
                assertFalse(exchanges.isEmpty(), b.where() + ": the block must start with a $ curl line");
                String[] last = exchanges.getLast();
                last[1] = last[1].isEmpty() ? line : last[1] + "\n" + line;
            }
        }
        assertFalse(exchanges.isEmpty(), b.where() + ": no $ curl lines");
        int port = FreePorts.find();
        Path log = Files.createTempFile("tutorial-" + program, ".log");
        Process server = childJvm(program, List.of("-Dport=" + port), log);
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            awaitPort(server, port, log);
            for (String[] e : exchanges) {
                URI uri = URI.create(e[0].replace("127.0.0.1:8000", "127.0.0.1:" + port));
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(e[1], r.body(), b.where() + ": " + program + " answered GET " + e[0] + " otherwise");
            }
        } finally {
            stop(server);
            Files.deleteIfExists(log);
        }
    }

    // ---- running programs -------------------------------------------------------------------------------------------

    private static String runInProcess(String program, boolean virtualWhereItCan) throws Exception {
        startServersFor(program);
        Class<?> type = Class.forName("dev.spindle.tutorial." + program);
        String region = region(SOURCES.resolve(program + ".java"));
        boolean mainIsRunFunc = Pattern.compile(
                        "public static void main\\(String\\[\\] args\\) \\{\\s*run\\(" + program + "::func\\);\\s*}")
                .matcher(region)
                .find();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            if (virtualWhereItCan && mainIsRunFunc) {
                Method func = type.getDeclaredMethod("func");
                func.setAccessible(true);
                Coroutine<Object> body = () -> invoke(func, null);
                // no slow-step check: a first step that loads many classes may be slow on a loaded machine
                TestOptions options =
                        TestOptions.defaults().withSlowStepLimit(Duration.ZERO).withTimeout(Duration.ofSeconds(60));
                TestLoop.create(options).run(program + ".func", body);
            } else {
                Method main = type.getMethod("main", String[].class);
                invoke(main, (Object) new String[0]);
            }
        } finally {
            System.out.flush();
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Object invoke(Method m, Object arg) throws Exception {
        try {
            return arg == null ? m.invoke(null) : m.invoke(null, arg);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** Starts the servers a program talks to, once per JVM, and tells the programs where they are. */
    private static void startServersFor(String program) {
        if (program.contains("Redis") && redis == null) {
            redis = RedisServer.start();
            System.setProperty("redis.url", redis.url());
        }
        if (program.contains("MySql") && mariadb == null) {
            mariadb = MariaDbServer.builder()
                    .user("app", "secret", "mysql_native_password")
                    .start();
            System.setProperty(
                    "mysql.url", "mysql://app:secret@127.0.0.1:" + mariadb.port() + "/test?sslMode=DISABLED");
        }
    }

    private static String runInChildJvm(String program) throws Exception {
        Path log = Files.createTempFile("tutorial-" + program, ".log");
        try {
            Process p = childJvm(program, List.of(), log);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                stop(p);
                fail(program + " did not end within 120 s; it printed:\n" + Files.readString(log));
            }
            String printed = Files.readString(log);
            assertEquals(0, p.exitValue(), program + " failed:\n" + printed);
            return printed;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** {@code java --add-opens ... -cp <this JVM's class path> <props> dev.spindle.tutorial.X}, output to a file. */
    private static Process childJvm(String program, List<String> properties, Path output) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(
                java, "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(properties);
        cmd.add("dev.spindle.tutorial." + program);
        return new ProcessBuilder(cmd)
                .redirectErrorStream(false)
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static void awaitPort(Process server, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("the server ended before listening; it printed:\n" + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail("the server did not listen on " + port + " within 120 s; it printed:\n" + Files.readString(log));
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: a graceful shutdown
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    // ---- reading the pages and the sources --------------------------------------------------------------------------

    private static List<Path> pages() throws IOException {
        try (Stream<Path> files = Files.list(DOCS)) {
            List<Path> pages =
                    files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
            assertFalse(pages.isEmpty(), "no pages in " + DOCS);
            return pages;
        }
    }

    /** The fenced blocks of a page; a block's marker is the last non-blank line before its opening fence. */
    static List<Block> blocks(Path page) throws IOException {
        List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                if (!lines.get(i).isBlank()) {
                    previous = lines.get(i).strip();
                }
                continue;
            }
            int start = i;
            List<String> text = new ArrayList<>();
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                text.add(lines.get(i));
            }
            if (i == lines.size()) {
                throw new AssertionError(page.getFileName() + ":" + (start + 1) + ": a code block is never closed");
            }
            String marker = previous != null && previous.startsWith("<!--") ? previous : null;
            blocks.add(new Block(page, start + 1, open.group(1), marker, String.join("\n", text)));
            previous = null;
        }
        return blocks;
    }

    /** The lines between {@code // tutorial:begin} and {@code // tutorial:end}, common indentation removed. */
    static String region(Path source) {
        List<String> lines;
        try {
            lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int begin = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.equals("// tutorial:begin")) {
                assertEquals(-1, begin, source.getFileName() + ": more than one // tutorial:begin");
                begin = i;
            } else if (l.equals("// tutorial:end")) {
                end = i;
            }
        }
        assertTrue(begin >= 0 && end > begin, source.getFileName() + ": no // tutorial:begin ... // tutorial:end");
        List<String> region = lines.subList(begin + 1, end);
        int indent = region.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        return String.join(
                "\n",
                region.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }

    /** Unix line ends, no trailing blanks on a line, no blank lines at the end. */
    static String normalize(String s) {
        return s.replace("\r\n", "\n")
                .lines()
                .map(String::stripTrailing)
                .reduce((a, b) -> a + "\n" + b)
                .orElse("")
                .stripTrailing();
    }

    private static Path findDocs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs/tutorial"))) {
                return dir.resolve("docs/tutorial");
            }
        }
        throw new IllegalStateException("no docs/tutorial above " + Path.of("").toAbsolutePath());
    }
}
