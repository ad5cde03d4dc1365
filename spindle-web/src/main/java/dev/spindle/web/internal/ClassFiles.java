package dev.spindle.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;

/**
 * The bytes of a loaded class's class file, for {@link Annotations}: read from the jar or directory the class was
 * loaded from (its {@link CodeSource}), the jar kept open, rather than through {@link Class#getResourceAsStream}.
 * That one goes through a URL and a {@code JarURLConnection} for every class, some 0.5 ms each at startup in the
 * interpreter and tens of milliseconds for the first (the URL handlers' set-up), where this reads an entry of an open
 * jar in a tenth of a millisecond.
 *
 * <p>Only for classes of the JDK's own class loaders and of {@link URLClassLoader}s, whose code source is where their
 * bytes were read; any other class (the JDK's, another loader's, a code source that is not a local file) is read
 * through {@link Class#getResourceAsStream}, as is a class this does not find.
 */
final class ClassFiles {
    private ClassFiles() {}

    /** Open jars and class directories by code source location; {@link #NOT_LOCAL} for one not readable here. */
    private static final Map<String, Object> SOURCES = new HashMap<>();

    private static final Object NOT_LOCAL = new Object();

    /** The bytes of {@code type}'s class file, or null if none is found. */
    static byte[] bytes(Class<?> type) throws IOException {
        byte[] bytes = fromCodeSource(type);
        if (bytes != null) {
            return bytes;
        }
        String name = type.getName();
        try (InputStream in = type.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
            return in == null ? null : in.readAllBytes();
        }
    }

    /** The bytes read from {@code type}'s code source, or null if it cannot be read there. */
    static byte[] fromCodeSource(Class<?> type) throws IOException {
        ClassLoader loader = type.getClassLoader();
        if (loader == null
                || !(loader instanceof URLClassLoader
                        || loader.getClass().getName().startsWith("jdk.internal.loader."))) {
            return null;
        }
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        URL location = cs == null ? null : cs.getLocation();
        if (location == null || !location.getProtocol().equals("file")) {
            return null;
        }
        Object source = source(location);
        String entry = type.getName().replace('.', '/') + ".class";
        if (source instanceof JarFile jar) {
            JarEntry e = jar.getJarEntry(entry); // the versioned entry of a multi-release jar, as the loader reads
            if (e == null) {
                return null;
            }
            try (InputStream in = jar.getInputStream(e)) {
                return in.readAllBytes();
            }
        } else if (source instanceof Path dir) {
            try {
                return Files.readAllBytes(dir.resolve(entry));
            } catch (NoSuchFileException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * The jar (opened once, kept open as the class loader keeps its own; it shares the loader's index of the file)
     * or directory at {@code location}.
     */
    private static synchronized Object source(URL location) {
        String key = location.toString();
        Object source = SOURCES.get(key);
        if (source == null) {
            try {
                Path path = Path.of(location.toURI());
                source = Files.isDirectory(path)
                        ? path
                        : new JarFile(path.toFile(), false, ZipFile.OPEN_READ, Runtime.version());
            } catch (IOException | URISyntaxException | IllegalArgumentException e) {
                source = NOT_LOCAL;
            }
            SOURCES.put(key, source);
        }
        return source;
    }
}
