package dev.spindle.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ClassFiles reads the same bytes as Class.getResourceAsStream, from directories, jars and the JDK's image. */
class ClassFilesTest {
    private static byte[] resource(Class<?> c) throws Exception {
        try (InputStream in =
                c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void sameBytesAsTheClassLoaderGives() throws Exception {
        for (Class<?> c : List.of(
                Annotations.class, // a directory (target/classes)
                AnnotationFixtures.Item.class, // another (target/test-classes)
                jakarta.validation.constraints.Min.class, // a jar
                com.fasterxml.jackson.annotation.JsonProperty.class,
                com.fasterxml.jackson.core.JsonFactory.class, // a multi-release jar
                String.class, // the JDK's image, through getResourceAsStream
                AnnotationFixtures.Color.GREEN.getClass())) {
            byte[] bytes = ClassFiles.bytes(c);
            assertNotNull(bytes, c.getName());
            assertArrayEquals(resource(c), bytes, c.getName());
            // read from the code source, but the JDK's own classes
            assertEquals(c != String.class, ClassFiles.fromCodeSource(c) != null, c.getName());
        }
    }

    @Test
    void aClassOfAnotherUrlClassLoader() throws Exception {
        URL location = Annotations.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {location}, null)) {
            Class<?> c = Class.forName(ClassFileReader.class.getName(), false, loader);
            assertArrayEquals(resource(c), ClassFiles.bytes(c));
            assertNotNull(ClassFiles.fromCodeSource(c));
        }
    }
}
