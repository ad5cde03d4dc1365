package dev.spindle.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import dev.spindle.web.testing.TestClient;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openapitools.codegen.DefaultGenerator;
import org.openapitools.codegen.config.CodegenConfigurator;

/**
 * The client check: openapi-generator (from Maven Central) generates a Java client (its {@code native}
 * library, on the JDK's HttpClient) from the running app's document; the client is compiled with javax.tools and
 * calls the app over a socket, and the answers come back typed.
 */
class OpenApiClientTest {
    record Item(String name, Optional<String> description, double price) {}

    static final class Routes {
        @Get(value = "/items/{item_id}", tags = "items")
        Item readItem(@Path("item_id") int itemId, @Query Optional<String> q) {
            return new Item("item-" + itemId + q.map(x -> "-" + x).orElse(""), Optional.of("described"), 2.5);
        }

        @Post(value = "/items", tags = "items", status = 201)
        Item createItem(Item item) {
            return new Item(item.name().toUpperCase(java.util.Locale.ROOT), item.description(), item.price() * 2);
        }
    }

    @Test
    void aGeneratedJavaClientCompilesAndCallsTheApp(@TempDir java.nio.file.Path dir) throws Exception {
        App app = new App().title("Client test").include(new Routes());
        try (TestClient client = TestClient.serve(app)) {
            java.nio.file.Path spec = dir.resolve("openapi.json");
            Files.write(spec, client.get("/openapi.json").body());

            java.nio.file.Path out = dir.resolve("client");
            CodegenConfigurator config = new CodegenConfigurator()
                    .setGeneratorName("java")
                    .setLibrary("native")
                    .setInputSpec(spec.toString())
                    .setOutputDir(out.toString())
                    .setApiPackage("gen.api")
                    .setModelPackage("gen.model")
                    .setInvokerPackage("gen")
                    .addAdditionalProperty("hideGenerationTimestamp", true)
                    .addAdditionalProperty("openApiNullable", false)
                    .addAdditionalProperty("useJakartaEe", true);
            List<File> files =
                    new DefaultGenerator().opts(config.toClientOptInput()).generate();
            assertTrue(!files.isEmpty(), "nothing generated");

            java.nio.file.Path classes = dir.resolve("classes");
            Files.createDirectories(classes);
            List<File> sources;
            try (Stream<java.nio.file.Path> s = Files.walk(out.resolve("src/main/java"))) {
                sources = s.filter(p -> p.toString().endsWith(".java"))
                        .map(java.nio.file.Path::toFile)
                        .toList();
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
                List<String> options = new ArrayList<>(List.of(
                        "-d",
                        classes.toString(),
                        "-classpath",
                        System.getProperty("java.class.path"),
                        "-nowarn",
                        "-proc:none"));
                boolean ok = javac.getTask(
                                null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromFiles(sources))
                        .call();
                assertTrue(ok, () -> "the generated client does not compile: " + diagnostics.getDiagnostics());
            }

            try (URLClassLoader loader =
                    new URLClassLoader(new URL[] {classes.toUri().toURL()}, OpenApiClientTest.class.getClassLoader())) {
                Class<?> apiClientType = loader.loadClass("gen.ApiClient");
                Object apiClient = apiClientType.getConstructor().newInstance();
                apiClientType.getMethod("updateBaseUri", String.class).invoke(apiClient, client.baseUrl());
                Class<?> itemsApi = loader.loadClass("gen.api.ItemsApi");
                Object api = itemsApi.getConstructor(apiClientType).newInstance(apiClient);

                Method read = find(itemsApi, "readItem", 2);
                Object item = read.invoke(api, 42, "x");
                assertEquals("item-42-x", item.getClass().getMethod("getName").invoke(item));
                // "type": "number" (as FastAPI writes a float) is a BigDecimal in the generated client
                assertEquals(
                        new BigDecimal("2.5"),
                        item.getClass().getMethod("getPrice").invoke(item));
                assertEquals(
                        "described", item.getClass().getMethod("getDescription").invoke(item));

                Class<?> input = loader.loadClass("gen.model.ItemInput");
                Object body = input.getConstructor().newInstance();
                input.getMethod("setName", String.class).invoke(body, "foo");
                input.getMethod("setPrice", BigDecimal.class).invoke(body, new BigDecimal("1.25"));
                Object created = find(itemsApi, "createItem", 1).invoke(api, body);
                assertEquals("FOO", created.getClass().getMethod("getName").invoke(created));
                assertEquals(0, new BigDecimal("2.5").compareTo((BigDecimal)
                                created.getClass().getMethod("getPrice").invoke(created)));

                Object empty = input.getConstructor().newInstance(); // no name, no price: the app answers 422
                Method create = find(itemsApi, "createItem", 1);
                InvocationTargetException bad = org.junit.jupiter.api.Assertions.assertThrows(
                        InvocationTargetException.class, () -> create.invoke(api, empty));
                Throwable apiException = bad.getCause();
                assertEquals("gen.ApiException", apiException.getClass().getName());
                assertEquals(422, apiException.getClass().getMethod("getCode").invoke(apiException));
            }
        }
    }

    /**
     * The generated operation method whose name starts with {@code prefix} (its name ends with path and method) and
     * that takes {@code params} parameters (another overload takes extra headers).
     */
    private static Method find(Class<?> api, String prefix, int params) {
        for (Method m : api.getMethods()) {
            if (m.getName().startsWith(prefix)
                    && !m.getName().endsWith("WithHttpInfo")
                    && m.getParameterCount() == params) {
                return m;
            }
        }
        throw new AssertionError("no operation " + prefix + "* in " + List.of(api.getMethods()));
    }
}
