package dev.spindle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A module's public API written out as text, one line per public type and member, so that every change to it shows
 * in review. Every module keeps its list in {@code api/<module>.api} and checks it with a test that calls
 * {@link #check}; after an intended change, regenerate with {@code -Dspindle.updateApi=true}. Shared through
 * spindle-core's test-jar.
 */
public final class ApiSurface {
    private ApiSurface() {}

    /**
     * Compares the public API of the classes beside {@code anchor} (the same jar or classes directory, packages named
     * {@code internal} left out) with the committed list {@code api/<module>.api}.
     */
    public static void check(Class<?> anchor, String module) throws Exception {
        Path apiFile = Path.of("api", module + ".api");
        String actual = String.join("\n", describe(anchor)) + "\n";
        if (Boolean.getBoolean("spindle.updateApi")) {
            Files.createDirectories(apiFile.getParent());
            Files.writeString(apiFile, actual);
        }
        String expected = Files.exists(apiFile) ? Files.readString(apiFile) : "";
        assertEquals(
                expected,
                actual,
                "the public API changed: review, then regenerate " + apiFile + " with -Dspindle.updateApi=true");
    }

    public static List<String> describe(Class<?> anchor)
            throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(
                anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> classNames;
        try (Stream<Path> files = Files.walk(root)) {
            classNames = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .filter(n -> !n.contains(".internal.") && !n.endsWith("package-info"))
                    .sorted()
                    .toList();
        }
        List<String> out = new ArrayList<>();
        for (String name : classNames) {
            Class<?> c = Class.forName(name, false, anchor.getClassLoader());
            if (!Modifier.isPublic(c.getModifiers()) || (c.getEnclosingClass() != null && !isVisible(c))) {
                continue;
            }
            out.add(Modifier.toString(c.getModifiers() & ~Modifier.INTERFACE) + " " + kind(c) + " " + c.getTypeName()
                    + supertypes(c));
            List<String> members = new ArrayList<>();
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (isVisible(k.getModifiers())) {
                    members.add("  " + k.toGenericString());
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (isVisible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    members.add("  " + m.toGenericString());
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (isVisible(f.getModifiers()) && !f.isSynthetic()) {
                    members.add("  " + f.toGenericString());
                }
            }
            members.sort(null);
            out.addAll(members);
        }
        return out;
    }

    private static boolean isVisible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String kind(Class<?> c) {
        if (c.isAnnotation()) {
            return "@interface";
        }
        if (c.isInterface()) {
            return "interface";
        }
        if (c.isEnum()) {
            return "enum";
        }
        if (c.isRecord()) {
            return "record";
        }
        return "class";
    }

    private static String supertypes(Class<?> c) {
        StringBuilder sb = new StringBuilder();
        if (c.getGenericSuperclass() != null && c.getSuperclass() != Object.class && !c.isEnum() && !c.isRecord()) {
            sb.append(" extends ").append(c.getGenericSuperclass().getTypeName());
        }
        var interfaces = c.getGenericInterfaces();
        if (interfaces.length > 0) {
            sb.append(c.isInterface() ? " extends " : " implements ");
            for (int i = 0; i < interfaces.length; i++) {
                sb.append(i > 0 ? ", " : "").append(interfaces[i].getTypeName());
            }
        }
        return sb.toString();
    }
}
