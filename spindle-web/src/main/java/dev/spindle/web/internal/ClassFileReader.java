package dev.spindle.web.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what spindle-web needs of a class file, walking its bytes by hand (JVMS §4): the methods' names and
 * descriptors in the file's order (the routes' declaration order, see {@link DeclarationOrder}) and the
 * runtime-visible annotations of the class, its fields, methods, method parameters and record components, with
 * their type annotations (JVMS §4.7.16 to §4.7.20) and element values. Pure bytes in, values out: no class is loaded
 * here; {@link Annotations} turns these values into annotation instances.
 *
 * <p>Why: reflection makes every annotation type it reads a {@link java.lang.reflect.Proxy} class (some 4 ms each at
 * startup, ClassFile API code run in the interpreter, and the AOT cache does not keep them), and the JDK's own
 * class-file API costs dozens of classes and some 15 ms to parse the same. The file is read once per class.
 *
 * <p>Malformed or unknown input (a truncated file, a constant pool tag or an element value tag this does not know)
 * throws {@link IllegalArgumentException}; the caller then falls back to reflection for the whole class.
 */
final class ClassFileReader {
    /**
     * What a class file holds for spindle-web: the class's name (internal form, {@code dev/spindle/web/App}), its
     * annotations, its fields and record components, its methods in the file's order.
     */
    record ClassInfo(
            String name,
            List<RawAnnotation> annotations,
            List<Member> fields,
            List<Member> methods,
            List<Member> components) {
        /** {@code name + descriptor} of each method, in the file's order. */
        List<String> methodKeys() {
            List<String> keys = new ArrayList<>(methods.size());
            for (Member m : methods) {
                keys.add(m.name() + m.descriptor());
            }
            return keys;
        }
    }

    /**
     * A field, method or record component. {@code parameterAnnotations} is null when the method has no
     * RuntimeVisibleParameterAnnotations attribute (then no parameter is annotated); when present it holds as many
     * entries as the attribute says, which javac makes fewer than the descriptor's for some constructors (the
     * implicit outer instance of an inner class, an enum's name and ordinal).
     */
    record Member(
            String name,
            String descriptor,
            List<RawAnnotation> annotations,
            List<List<RawAnnotation>> parameterAnnotations,
            List<RawTypeAnnotation> typeAnnotations) {}

    /**
     * An annotation as written: its type's descriptor ({@code Ljakarta/validation/constraints/Min;}) and its
     * explicit elements in the file's order (defaults are not written). A value is a {@link Byte}, {@link Character},
     * {@link Short}, {@link Boolean}, {@link Integer}, {@link Long}, {@link Float}, {@link Double} or {@link String}
     * constant, an {@link EnumConstant}, a {@link ClassLiteral}, a nested {@link RawAnnotation} or a {@link List} of
     * values (an array).
     */
    record RawAnnotation(String descriptor, List<String> names, List<Object> values) {}

    /** An enum constant as an element value: its type's descriptor and the constant's name. */
    record EnumConstant(String descriptor, String name) {}

    /** A class literal as an element value: its descriptor ({@code Ljava/lang/String;}, {@code I}, {@code V}). */
    record ClassLiteral(String descriptor) {}

    /**
     * A type annotation (JVMS §4.7.20): its {@code target_type} ({@link #FIELD}, {@link #METHOD_RETURN},
     * {@link #METHOD_FORMAL_PARAMETER}...), the target's index where it has one (the formal parameter's, else -1) and
     * its type path, written {@code [} for an array's element type, {@code .} for a nested type, {@code *} for a
     * wildcard's bound and {@code N;} for type argument N: {@code List<@Size(max = 3) String>} is {@code "0;"}.
     */
    record RawTypeAnnotation(int target, int index, String path, RawAnnotation annotation) {}

    /** The {@code target_type}s of type annotations this reads (JVMS table 4.7.20-A, B). */
    static final int FIELD = 0x13, METHOD_RETURN = 0x14, METHOD_FORMAL_PARAMETER = 0x16;

    private final byte[] b;
    private int pos;
    /** The offset of each constant pool entry (its tag), by index. */
    private int[] offsets;
    /** Utf8 entries, decoded when first used (most of a pool's strings are never needed here). */
    private String[] strings;

    private ClassFileReader(byte[] classFile) {
        this.b = classFile;
    }

    /** Reads {@code classFile}; throws {@link IllegalArgumentException} if it is malformed or of an unknown shape. */
    static ClassInfo read(byte[] classFile) {
        return new ClassFileReader(classFile).classFile();
    }

    private ClassInfo classFile() {
        if (u4() != 0xCAFEBABE) {
            throw new IllegalArgumentException("not a class file");
        }
        skip(4); // minor, major version
        constantPool();
        skip(2); // access flags
        String thisClass = utf8(u2(entry(u2(), 7))); // a Class entry, naming a Utf8 one
        skip(2); // super class
        skip(2 * u2()); // interfaces
        List<Member> fields = members();
        List<Member> methods = members();
        List<RawAnnotation> annotations = List.of();
        List<Member> components = List.of();
        int attributes = u2();
        for (int a = 0; a < attributes; a++) {
            String name = utf8(u2());
            int end = attributeEnd();
            if (name.equals("RuntimeVisibleAnnotations")) {
                annotations = annotations();
            } else if (name.equals("Record")) {
                int n = u2();
                components = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    components.add(member(utf8(u2()), utf8(u2())));
                }
            } else {
                pos = end;
            }
            expectEnd(end, name);
        }
        return new ClassInfo(thisClass, annotations, fields, methods, components);
    }

    private void constantPool() {
        int count = u2();
        offsets = new int[count];
        strings = new String[count];
        for (int i = 1; i < count; i++) {
            offsets[i] = pos;
            int tag = u1();
            switch (tag) {
                case 1 -> skip(u2()); // Utf8: u2 length, then the bytes
                case 7, 8, 16, 19, 20 -> skip(2);
                case 15 -> skip(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> skip(4);
                case 5, 6 -> {
                    skip(8);
                    i++; // a long or double takes two entries
                }
                default -> throw new IllegalArgumentException("unknown constant pool tag " + tag + " at entry " + i);
            }
        }
    }

    private List<Member> members() {
        int n = u2();
        List<Member> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            skip(2); // access flags
            String name = utf8(u2());
            out.add(member(name, utf8(u2())));
        }
        return out;
    }

    /** The attributes of a field, method or record component, from its {@code attributes_count} on. */
    private Member member(String name, String descriptor) {
        List<RawAnnotation> annotations = List.of();
        List<List<RawAnnotation>> parameters = null;
        List<RawTypeAnnotation> types = List.of();
        int attributes = u2();
        for (int a = 0; a < attributes; a++) {
            String attribute = utf8(u2());
            int end = attributeEnd();
            if (attribute.equals("RuntimeVisibleAnnotations")) {
                annotations = annotations();
            } else if (attribute.equals("RuntimeVisibleParameterAnnotations")) {
                int n = u1();
                parameters = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    parameters.add(annotations());
                }
            } else if (attribute.equals("RuntimeVisibleTypeAnnotations")) {
                types = typeAnnotations();
            } else {
                pos = end; // Code, Signature, MethodParameters...: not needed
            }
            expectEnd(end, attribute);
        }
        return new Member(name, descriptor, annotations, parameters, types);
    }

    private int attributeEnd() {
        int length = u4();
        if (length < 0 || length > b.length - pos) {
            throw new IllegalArgumentException("attribute length " + (length & 0xFFFFFFFFL) + " past the end of the"
                    + " class file at offset " + pos);
        }
        return pos + length;
    }

    private void expectEnd(int end, String attribute) {
        if (pos != end) {
            throw new IllegalArgumentException(attribute + " attribute ends at " + pos + ", its length says " + end);
        }
    }

    private List<RawAnnotation> annotations() {
        int n = u2();
        if (n == 0) {
            return List.of();
        }
        List<RawAnnotation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(annotation());
        }
        return out;
    }

    private RawAnnotation annotation() {
        String type = utf8(u2());
        int n = u2();
        List<String> names = new ArrayList<>(n);
        List<Object> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(utf8(u2()));
            values.add(elementValue());
        }
        return new RawAnnotation(type, names, values);
    }

    private Object elementValue() {
        int tag = u1();
        switch (tag) {
            case 'B':
                return (byte) integer(u2());
            case 'C':
                return (char) integer(u2());
            case 'S':
                return (short) integer(u2());
            case 'Z':
                return integer(u2()) != 0;
            case 'I':
                return integer(u2());
            case 'J':
                return Long.valueOf(long8(entry(u2(), 5)));
            case 'F':
                return Float.intBitsToFloat(int4(entry(u2(), 4)));
            case 'D':
                return Double.longBitsToDouble(long8(entry(u2(), 6)));
            case 's':
                return utf8(u2());
            case 'e':
                return new EnumConstant(utf8(u2()), utf8(u2()));
            case 'c':
                return new ClassLiteral(utf8(u2()));
            case '@':
                return annotation();
            case '[': {
                int n = u2();
                List<Object> values = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    values.add(elementValue());
                }
                return values;
            }
            default:
                throw new IllegalArgumentException("unknown element value tag " + tag + " at offset " + (pos - 1));
        }
    }

    private List<RawTypeAnnotation> typeAnnotations() {
        int n = u2();
        List<RawTypeAnnotation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int target = u1();
            int index = -1;
            switch (target) {
                case 0x00, 0x01, 0x16 -> index = u1(); // type parameter, formal parameter
                case 0x10, 0x17 -> index = u2(); // supertype, throws
                case 0x11, 0x12 -> { // a type parameter's bound: the parameter, then the bound
                    index = u1();
                    skip(1);
                }
                case 0x13, 0x14, 0x15 -> {} // field or record component, return type, receiver
                // the rest sit in a Code attribute, not read here; known so that a wrong tag is still an error
                case 0x40, 0x41 -> skip(6 * u2());
                case 0x42, 0x43, 0x44, 0x45, 0x46 -> skip(2);
                case 0x47, 0x48, 0x49, 0x4A, 0x4B -> skip(3);
                default ->
                    throw new IllegalArgumentException(
                            "unknown type annotation target " + target + " at offset " + (pos - 1));
            }
            out.add(new RawTypeAnnotation(target, index, typePath(), annotation()));
        }
        return out;
    }

    private String typePath() {
        int length = u1();
        if (length == 0) {
            return "";
        }
        StringBuilder path = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++) {
            int kind = u1();
            int argument = u1();
            if (kind == 3) {
                path.append(argument).append(';');
            } else if (argument != 0 || kind > 3) {
                throw new IllegalArgumentException(
                        "bad type path step " + kind + "," + argument + " at offset " + (pos - 2));
            } else {
                path.append(kind == 0 ? '[' : kind == 1 ? '.' : '*');
            }
        }
        return path.toString();
    }

    // ---- the constant pool ---------------------------------------------------------------------------------

    /** The offset of entry {@code index}'s contents, checking that it has {@code tag}. */
    private int entry(int index, int tag) {
        if (index <= 0 || index >= offsets.length || offsets[index] == 0 || (b[offsets[index]] & 0xFF) != tag) {
            throw new IllegalArgumentException("constant pool entry " + index + " is not of tag " + tag);
        }
        return offsets[index] + 1;
    }

    /** The u2 at offset {@code at} (inside the constant pool). */
    private int u2(int at) {
        if (at + 2 > b.length) {
            throw new IllegalArgumentException("class file truncated at offset " + at);
        }
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private int integer(int index) {
        return int4(entry(index, 3));
    }

    /** A Utf8 entry: modified UTF-8 (JVMS §4.4.7), which is plain ASCII in nearly every class file. */
    private String utf8(int index) {
        int at = entry(index, 1);
        String s = strings[index];
        if (s != null) {
            return s;
        }
        int length = ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
        int start = at + 2;
        int end = start + length;
        if (end > b.length) {
            throw new IllegalArgumentException("constant pool entry " + index + " runs past the end of the file");
        }
        boolean ascii = true;
        for (int i = start; i < end; i++) {
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        }
        s = ascii ? new String(b, start, length, StandardCharsets.ISO_8859_1) : modifiedUtf8(start, end, index);
        strings[index] = s;
        return s;
    }

    private String modifiedUtf8(int start, int end, int index) {
        char[] out = new char[end - start];
        int n = 0;
        for (int i = start; i < end; ) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                out[n++] = (char) c;
                i++;
            } else if ((c & 0xE0) == 0xC0 && i + 1 < end) {
                out[n++] = (char) (((c & 0x1F) << 6) | (b[i + 1] & 0x3F));
                i += 2;
            } else if ((c & 0xF0) == 0xE0 && i + 2 < end) {
                out[n++] = (char) (((c & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F));
                i += 3;
            } else {
                throw new IllegalArgumentException("bad modified UTF-8 in constant pool entry " + index);
            }
        }
        return new String(out, 0, n);
    }

    // ---- bytes -----------------------------------------------------------------------------------------------

    private void need(int n) {
        if (n > b.length - pos) {
            throw new IllegalArgumentException("class file truncated at offset " + pos);
        }
    }

    private void skip(int n) {
        need(n);
        pos += n;
    }

    private int u1() {
        need(1);
        return b[pos++] & 0xFF;
    }

    private int u2() {
        need(2);
        int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    private int u4() {
        need(4);
        int v = int4(pos);
        pos += 4;
        return v;
    }

    private int int4(int at) {
        if (at + 4 > b.length) {
            throw new IllegalArgumentException("class file truncated at offset " + at);
        }
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private long long8(int at) {
        return ((long) int4(at) << 32) | (int4(at + 4) & 0xFFFFFFFFL);
    }
}
