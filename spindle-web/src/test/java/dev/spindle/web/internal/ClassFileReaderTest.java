package dev.spindle.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.web.internal.ClassFileReader.ClassInfo;
import dev.spindle.web.internal.ClassFileReader.ClassLiteral;
import dev.spindle.web.internal.ClassFileReader.EnumConstant;
import dev.spindle.web.internal.ClassFileReader.Member;
import dev.spindle.web.internal.ClassFileReader.RawAnnotation;
import dev.spindle.web.internal.ClassFileReader.RawTypeAnnotation;
import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.Annotation;
import java.lang.classfile.AnnotationValue;
import java.lang.classfile.AttributedElement;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.TypeAnnotation;
import java.lang.classfile.attribute.RecordComponentInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ClassFileReader against the JDK's class-file API on the fixtures' class files (every kind of element value,
 * parameter annotations with javac's implicit parameters, type annotations of every target with type paths),
 * spindle-web's and some of the JDK's; and what it makes of a few on its own.
 */
class ClassFileReaderTest {
    static byte[] bytes(Class<?> c) throws IOException {
        try (InputStream in =
                c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    static ClassInfo read(Class<?> c) throws IOException {
        return ClassFileReader.read(bytes(c));
    }

    static List<Class<?>> fixtures() throws ClassNotFoundException {
        List<Class<?>> out = new ArrayList<>(List.of(AnnotationFixtures.class.getDeclaredClasses()));
        out.add(AnnotationFixtures.class);
        out.add(AnnotationFixtures.Generic.In.class);
        out.add(AnnotationFixtures.Color.GREEN.getClass());
        for (Object local : (List<?>) AnnotationFixtures.localAndAnonymous("c")) {
            out.add(local.getClass());
        }
        return out;
    }

    @Test
    void sameAsTheClassFileApi() throws Exception {
        List<Class<?>> classes = fixtures();
        classes.addAll(List.of(
                ClassFileReader.class,
                Annotations.class,
                KnownAnnotations.class,
                Compiler.class,
                dev.spindle.web.Get.class,
                jakarta.validation.constraints.Pattern.class,
                String.class,
                Thread.class,
                java.util.HashMap.class,
                Record.class));
        for (Class<?> c : classes) {
            byte[] bytes = bytes(c);
            ClassModel model = ClassFile.of().parse(bytes);
            ClassInfo info = ClassFileReader.read(bytes);
            String where = c.getName();
            assertEquals(model.thisClass().asInternalName(), info.name(), where);
            assertEquals(annotations(model), info.annotations(), where);
            assertEquals(model.fields().size(), info.fields().size(), where);
            for (int i = 0; i < model.fields().size(); i++) {
                FieldModel f = model.fields().get(i);
                assertMember(
                        f.fieldName().stringValue(),
                        f.fieldType().stringValue(),
                        f,
                        info.fields().get(i),
                        where);
            }
            assertEquals(model.methods().size(), info.methods().size(), where);
            for (int i = 0; i < model.methods().size(); i++) {
                MethodModel m = model.methods().get(i);
                assertMember(
                        m.methodName().stringValue(),
                        m.methodType().stringValue(),
                        m,
                        info.methods().get(i),
                        where);
            }
            List<RecordComponentInfo> components = model.findAttribute(Attributes.record())
                    .map(r -> r.components())
                    .orElse(List.of());
            assertEquals(components.size(), info.components().size(), where);
            for (int i = 0; i < components.size(); i++) {
                RecordComponentInfo rc = components.get(i);
                assertMember(
                        rc.name().stringValue(),
                        rc.descriptor().stringValue(),
                        rc,
                        info.components().get(i),
                        where);
            }
        }
    }

    private static void assertMember(String name, String descriptor, AttributedElement e, Member m, String where) {
        where = where + "." + name + descriptor;
        assertEquals(name, m.name(), where);
        assertEquals(descriptor, m.descriptor(), where);
        assertEquals(annotations(e), m.annotations(), where);
        List<List<RawAnnotation>> params = e.findAttribute(Attributes.runtimeVisibleParameterAnnotations())
                .map(a -> a.parameterAnnotations().stream()
                        .map(ClassFileReaderTest::raw)
                        .toList())
                .orElse(null);
        assertEquals(params, m.parameterAnnotations(), where);
        List<RawTypeAnnotation> types = e.findAttribute(Attributes.runtimeVisibleTypeAnnotations())
                .map(a -> a.annotations().stream().map(ClassFileReaderTest::raw).toList())
                .orElse(List.of());
        assertEquals(types, m.typeAnnotations(), where);
    }

    // ---- the JDK's model as ClassFileReader's values -------------------------------------------------------

    private static List<RawAnnotation> annotations(AttributedElement e) {
        return e.findAttribute(Attributes.runtimeVisibleAnnotations())
                .map(a -> raw(a.annotations()))
                .orElse(List.of());
    }

    private static List<RawAnnotation> raw(List<Annotation> annotations) {
        return annotations.stream().map(ClassFileReaderTest::raw).toList();
    }

    private static RawAnnotation raw(Annotation a) {
        return new RawAnnotation(
                a.className().stringValue(),
                a.elements().stream().map(x -> x.name().stringValue()).toList(),
                a.elements().stream().map(x -> value(x.value())).toList());
    }

    private static Object value(AnnotationValue v) {
        if (v instanceof AnnotationValue.OfConstant c) {
            return c.resolvedValue();
        } else if (v instanceof AnnotationValue.OfEnum e) {
            return new EnumConstant(
                    e.className().stringValue(), e.constantName().stringValue());
        } else if (v instanceof AnnotationValue.OfClass c) {
            return new ClassLiteral(c.className().stringValue());
        } else if (v instanceof AnnotationValue.OfAnnotation a) {
            return raw(a.annotation());
        } else if (v instanceof AnnotationValue.OfArray a) {
            return a.values().stream().map(ClassFileReaderTest::value).toList();
        }
        throw new AssertionError(v);
    }

    private static RawTypeAnnotation raw(TypeAnnotation t) {
        int index = -1;
        if (t.targetInfo() instanceof TypeAnnotation.FormalParameterTarget f) {
            index = f.formalParameterIndex();
        } else if (t.targetInfo() instanceof TypeAnnotation.TypeParameterTarget p) {
            index = p.typeParameterIndex();
        } else if (t.targetInfo() instanceof TypeAnnotation.TypeParameterBoundTarget p) {
            index = p.typeParameterIndex();
        } else if (t.targetInfo() instanceof TypeAnnotation.SupertypeTarget s) {
            index = s.supertypeIndex();
        } else if (t.targetInfo() instanceof TypeAnnotation.ThrowsTarget th) {
            index = th.throwsTargetIndex();
        }
        StringBuilder path = new StringBuilder();
        for (TypeAnnotation.TypePathComponent p : t.targetPath()) {
            switch (p.typePathKind()) {
                case ARRAY -> path.append('[');
                case INNER_TYPE -> path.append('.');
                case WILDCARD -> path.append('*');
                case TYPE_ARGUMENT -> path.append(p.typeArgumentIndex()).append(';');
            }
        }
        return new RawTypeAnnotation(
                t.targetInfo().targetType().targetTypeValue(), index, path.toString(), raw(t.annotation()));
    }

    // ---- what it reads, on its own -----------------------------------------------------------------------------

    private static Member method(ClassInfo info, String name) {
        return info.methods().stream()
                .filter(m -> m.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void everyKindOfElementValue() throws Exception {
        RawAnnotation every = method(read(AnnotationFixtures.Kinds.class), "all")
                .annotations()
                .getFirst();
        assertEquals("Ldev/spindle/web/internal/AnnotationFixtures$Every;", every.descriptor());
        List<String> names = every.names();
        assertEquals((byte) -7, every.values().get(names.indexOf("b")));
        assertEquals('\n', every.values().get(names.indexOf("c")));
        assertEquals(Short.MIN_VALUE, every.values().get(names.indexOf("s")));
        assertEquals(Integer.MAX_VALUE, every.values().get(names.indexOf("i")));
        assertEquals(Long.MIN_VALUE, every.values().get(names.indexOf("j")));
        assertEquals(Float.NaN, every.values().get(names.indexOf("f")));
        assertEquals(Double.NEGATIVE_INFINITY, every.values().get(names.indexOf("d")));
        assertEquals(false, every.values().get(names.indexOf("z")));
        assertEquals(
                "quote \" and é and \u0000 and \uD83D\uDE00", every.values().get(names.indexOf("str")));
        assertEquals(new ClassLiteral("[Ljava/lang/String;"), every.values().get(names.indexOf("cls")));
        assertEquals(
                new EnumConstant("Ljava/lang/annotation/ElementType;", "RECORD_COMPONENT"),
                every.values().get(names.indexOf("e")));
        RawAnnotation nested = (RawAnnotation) every.values().get(names.indexOf("an"));
        assertEquals("Ldev/spindle/web/ApiResponse;", nested.descriptor());
        assertEquals(List.of("status", "description", "model"), nested.names());
        assertEquals(List.of(404, "gone", new ClassLiteral("Ljava/util/Map;")), nested.values());
        assertEquals(
                List.of(
                        new ClassLiteral("I"),
                        new ClassLiteral("V"),
                        new ClassLiteral("[[I"),
                        new ClassLiteral("Ljava/util/Map$Entry;")),
                every.values().get(names.indexOf("classes")));
        assertEquals(List.of(), every.values().get(names.indexOf("ss")));
        assertEquals(List.of(1L << 40), every.values().get(names.indexOf("js")));
        // a CLASS-retention annotation is not runtime-visible
        assertEquals(
                1,
                method(read(AnnotationFixtures.Kinds.class), "all")
                        .annotations()
                        .size());
        // defaults are not written
        assertEquals(
                List.of(),
                method(read(AnnotationFixtures.Kinds.class), "defaults")
                        .annotations()
                        .getFirst()
                        .names());
    }

    @Test
    void typePaths() throws Exception {
        Member plain = method(read(AnnotationFixtures.Params.class), "plain");
        List<String> found = new ArrayList<>();
        for (RawTypeAnnotation t : plain.typeAnnotations()) {
            assertEquals(ClassFileReader.METHOD_FORMAL_PARAMETER, t.target());
            found.add(
                    t.index() + ":" + t.path() + ":" + simpleName(t.annotation().descriptor()));
        }
        assertEquals(
                List.of(
                        "2::Size", // @Size(max = 3) List<...>
                        "4:[:NotBlank", // @NotBlank String @Size(max = 2) []: the element type (javac's order)
                        "2:0;:Size", // List<@Size(min = 1) String>
                        "3:1;*:NotNull", // Map<String, ? extends @NotNull Number>
                        "4::Size", // String @Size(max = 2) []: the array
                        "5:0;:Min",
                        "5:0;:Max",
                        "7:0;*:Size", // Map<? super @Size(max = 1) String, ...>
                        "7:1;:NotNull", // int @NotNull [] @Size(min = 1) []: the outer array
                        "7:1;[:Size"), // ... its component
                found);
        Member nested = method(read(AnnotationFixtures.Params.class), "nested");
        List<String> paths = new ArrayList<>();
        for (RawTypeAnnotation t : nested.typeAnnotations()) {
            paths.add(t.index() + ":" + t.path());
        }
        // Inner is an inner class (one nested step); Nested, Map.Entry static (none); In inner in Generic<String>;
        // javac writes first those that are also declaration annotations (@NotNull Inner c)
        assertEquals(List.of("2:.", "0:.", "1:", "3:.", "3:0;", "3:.0;", "4:"), paths);
        Member returns = method(read(AnnotationFixtures.Params.class), "returns");
        assertEquals(
                List.of(ClassFileReader.METHOD_RETURN, ClassFileReader.METHOD_RETURN),
                returns.typeAnnotations().stream()
                        .map(RawTypeAnnotation::target)
                        .toList());
        assertEquals(
                List.of("0;", ""), // javac's order: the one that is also a declaration annotation last
                returns.typeAnnotations().stream().map(RawTypeAnnotation::path).toList());
    }

    @Test
    void recordComponentsAndTheirCopies() throws Exception {
        ClassInfo item = read(AnnotationFixtures.Item.class);
        assertEquals(
                List.of("name", "n", "tags", "mail", "other", "children"),
                item.components().stream().map(Member::name).toList());
        Member tags = item.components().get(2);
        assertEquals("Ljava/util/List;", tags.descriptor());
        assertEquals(List.of(), tags.annotations());
        assertEquals(ClassFileReader.FIELD, tags.typeAnnotations().getFirst().target());
        assertEquals("0;", tags.typeAnnotations().getFirst().path());
        Member children = item.components().get(5);
        assertEquals("1;0;", children.typeAnnotations().getFirst().path());
        // the compact canonical constructor's parameters carry the components' parameter annotations
        Member ctor = item.methods().stream()
                .filter(m -> m.name().equals("<init>"))
                .findFirst()
                .orElseThrow();
        assertEquals(6, ctor.parameterAnnotations().size());
        assertEquals(
                List.of("Query", "Size"),
                ctor.parameterAnnotations().getFirst().stream()
                        .map(a -> simpleName(a.descriptor()))
                        .toList());
    }

    @Test
    void implicitParametersOfConstructors() throws Exception {
        // what javac writes: the count leaves out the implicit outer instance, an enum's name and ordinal
        Member inner = read(AnnotationFixtures.Inner.class).methods().stream()
                .filter(m -> m.descriptor()
                        .equals("(Ldev/spindle/web/internal/AnnotationFixtures;Ljava/lang/String;"
                                + "Ljava/util/List;)V"))
                .findFirst()
                .orElseThrow();
        assertTrue(inner.parameterAnnotations().size() <= 3, "javac writes at most the descriptor's count");
        Member color = read(AnnotationFixtures.Color.class).methods().stream()
                .filter(m -> m.name().equals("<init>"))
                .findFirst()
                .orElseThrow();
        assertEquals("(Ljava/lang/String;ILjava/lang/String;)V", color.descriptor());
        assertTrue(color.parameterAnnotations().size() < 3, "an enum's implicit parameters are not counted");
    }

    @Test
    void malformedClassFiles() throws Exception {
        byte[] good = bytes(AnnotationFixtures.Kinds.class);
        assertThrows(IllegalArgumentException.class, () -> ClassFileReader.read(new byte[] {1, 2, 3, 4, 5}));
        for (int cut : new int[] {0, 3, 9, 40, good.length / 2, good.length - 1}) {
            byte[] truncated = Arrays.copyOf(good, cut);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ClassFileReader.read(truncated), "cut " + cut);
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        }
        byte[] badTag = good.clone();
        badTag[10] = 99; // the first constant pool entry's tag
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassFileReader.read(badTag));
        assertEquals("unknown constant pool tag 99 at entry 1", e.getMessage());
    }

    @Test
    void noAnnotationsAtAll() throws Exception {
        Member m = read(ClassFileReaderTest.class).methods().stream()
                .filter(x -> x.name().equals("simpleName"))
                .findFirst()
                .orElseThrow();
        assertEquals(List.of(), m.annotations());
        assertNull(m.parameterAnnotations());
        assertEquals(List.of(), m.typeAnnotations());
    }

    private static String simpleName(String descriptor) {
        return descriptor.substring(
                Math.max(descriptor.lastIndexOf('/'), descriptor.lastIndexOf('$')) + 1, descriptor.length() - 1);
    }
}
