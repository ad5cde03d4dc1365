package dev.spindle.web.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Methods in the order they are written in the source. Reflection promises no order, but routes match in
 * declaration order ({@code /users/me} before {@code /users/{id}}), so the class file is read once (javac keeps the
 * source order there).
 *
 * <p>The class file is walked by hand (constant pool, then the methods' names and descriptors, JVMS §4): only those
 * two strings per method are wanted, and the JDK's class-file API cost a few dozen classes and some 15 ms of an
 * app's start-up to parse the same. A class file this cannot read (a newer constant tag) falls back to reflection's
 * order, sorted by name.
 */
final class DeclarationOrder {
    private DeclarationOrder() {}

    static List<Method> of(Class<?> type, List<Method> methods) {
        Map<String, Integer> order = new HashMap<>();
        String resource = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            if (in != null) {
                List<String> keys = methodKeys(in.readAllBytes());
                for (int i = 0; i < keys.size(); i++) {
                    order.putIfAbsent(keys.get(i), i);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            order.clear(); // fall back to the order reflection gives, sorted by name for stability
        }
        List<Method> sorted = new ArrayList<>(methods);
        sorted.sort((a, b) -> {
            int c = Integer.compare(
                    order.getOrDefault(key(a), Integer.MAX_VALUE), order.getOrDefault(key(b), Integer.MAX_VALUE));
            return c != 0 ? c : a.getName().compareTo(b.getName());
        });
        return sorted;
    }

    /** {@code name + descriptor} of each method of a class file, in the file's order. */
    static List<String> methodKeys(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IllegalArgumentException("not a class file");
        }
        in.skipNBytes(4); // minor, major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF(); // modified UTF-8 with its u2 length: readUTF's own format
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++; // a long or double takes two entries
                }
                default -> throw new IllegalArgumentException("unknown constant pool tag " + tag);
            }
        }
        in.skipNBytes(6); // access flags, this class, super class
        in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
        int fields = in.readUnsignedShort();
        for (int f = 0; f < fields; f++) {
            in.skipNBytes(6);
            skipAttributes(in);
        }
        int methods = in.readUnsignedShort();
        List<String> keys = new ArrayList<>(methods);
        for (int m = 0; m < methods; m++) {
            in.skipNBytes(2); // access flags
            String name = utf8[in.readUnsignedShort()];
            String descriptor = utf8[in.readUnsignedShort()];
            keys.add(name + descriptor);
            skipAttributes(in);
        }
        return keys;
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        for (int a = 0; a < n; a++) {
            in.skipNBytes(2);
            in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
        }
    }

    private static String key(Method m) {
        StringBuilder b = new StringBuilder(m.getName()).append('(');
        for (Class<?> t : m.getParameterTypes()) {
            b.append(t.descriptorString());
        }
        return b.append(')').append(m.getReturnType().descriptorString()).toString();
    }
}
