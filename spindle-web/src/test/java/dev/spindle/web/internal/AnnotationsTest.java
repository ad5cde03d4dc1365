package dev.spindle.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.spindle.web.ApiResponse;
import dev.spindle.web.App;
import dev.spindle.web.Delete;
import dev.spindle.web.Get;
import dev.spindle.web.OnWorker;
import dev.spindle.web.Post;
import dev.spindle.web.Router;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.depends.Provides;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.Field;
import dev.spindle.web.params.Header;
import dev.spindle.web.params.Query;
import dev.spindle.web.testing.TestClient;
import dev.spindle.web.testing.TestResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.AnnotatedTypeVariable;
import java.lang.reflect.AnnotatedWildcardType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Annotations read from class files equal reflection's, both ways, for every element of spindle-web's classes and
 * its tests' (the test apps, the fixtures); the annotation types it knows are fully implemented; a typical app is
 * declared, compiled, documented and served without reading any annotation by reflection.
 */
class AnnotationsTest {

    // ---- every kind of element ---------------------------------------------------------------------------------

    /** {@code @Every} implemented here as KnownAnnotations implements the types it knows. */
    static final class EveryImpl extends PlainAnnotation implements AnnotationFixtures.Every {
        EveryImpl(Shape s, Object[] v, String[] w) {
            super(s, v, w);
        }

        // @formatter:off
        @Override
        public byte b() {
            return (Byte) get("b");
        }

        @Override
        public char c() {
            return (Character) get("c");
        }

        @Override
        public short s() {
            return (Short) get("s");
        }

        @Override
        public int i() {
            return (Integer) get("i");
        }

        @Override
        public long j() {
            return (Long) get("j");
        }

        @Override
        public float f() {
            return (Float) get("f");
        }

        @Override
        public double d() {
            return (Double) get("d");
        }

        @Override
        public boolean z() {
            return (Boolean) get("z");
        }

        @Override
        public String str() {
            return (String) get("str");
        }

        @Override
        public Class<?> cls() {
            return (Class<?>) get("cls");
        }

        @Override
        public java.lang.annotation.ElementType e() {
            return (java.lang.annotation.ElementType) get("e");
        }

        @Override
        public ApiResponse an() {
            return (ApiResponse) get("an");
        }

        @Override
        public byte[] bs() {
            return (byte[]) get("bs");
        }

        @Override
        public char[] cs() {
            return (char[]) get("cs");
        }

        @Override
        public short[] ss() {
            return (short[]) get("ss");
        }

        @Override
        public int[] is() {
            return (int[]) get("is");
        }

        @Override
        public long[] js() {
            return (long[]) get("js");
        }

        @Override
        public float[] fs() {
            return (float[]) get("fs");
        }

        @Override
        public double[] ds() {
            return (double[]) get("ds");
        }

        @Override
        public boolean[] zs() {
            return (boolean[]) get("zs");
        }

        @Override
        public String[] strs() {
            return (String[]) get("strs");
        }

        @Override
        public Class<?>[] classes() {
            return (Class<?>[]) get("classes");
        }

        @Override
        public java.lang.annotation.ElementType[] es() {
            return (java.lang.annotation.ElementType[]) get("es");
        }

        @Override
        public ApiResponse[] ans() {
            return (ApiResponse[]) get("ans");
        }
        // @formatter:on
    }

    private static Annotation every(Method m) throws IOException {
        ClassFileReader.RawAnnotation raw = ClassFileReaderTest.read(m.getDeclaringClass()).methods().stream()
                .filter(x -> x.name().equals(m.getName()))
                .findFirst()
                .orElseThrow()
                .annotations()
                .getFirst();
        Annotations.ClassData data = new Annotations.ClassData(m.getDeclaringClass());
        PlainAnnotation.Shape shape = new PlainAnnotation.Shape(AnnotationFixtures.Every.class, -1);
        Object[] values = data.values(shape, raw);
        assertNotNull(values, m.getName());
        return new EveryImpl(shape, values, raw.names().toArray(new String[0]));
    }

    @Test
    void everyKindOfElementAsReflectionHasIt() throws Exception {
        for (String name : List.of("all", "defaults")) {
            Method m = AnnotationFixtures.Kinds.class.getDeclaredMethod(name);
            Annotation proxy = m.getAnnotation(AnnotationFixtures.Every.class);
            Annotation ours = every(m);
            assertSameAnnotation(proxy, ours, name);
            for (Method element : AnnotationFixtures.Every.class.getDeclaredMethods()) {
                Object expected = element.invoke(proxy);
                Object actual = element.invoke(ours);
                assertTrue(PlainAnnotation.valueEquals(expected, actual), name + "." + element.getName());
                if (actual.getClass().isArray() && java.lang.reflect.Array.getLength(actual) > 0) {
                    assertFalse(actual == element.invoke(ours), "an array is copied on each read");
                }
            }
        }
        // one value differs: not equal either way
        Annotation all = every(AnnotationFixtures.Kinds.class.getDeclaredMethod("all"));
        Annotation defaults = AnnotationFixtures.Kinds.class
                .getDeclaredMethod("defaults")
                .getAnnotation(AnnotationFixtures.Every.class);
        assertFalse(all.equals(defaults));
        assertFalse(defaults.equals(all));
    }

    // ---- the known types -------------------------------------------------------------------------------------

    @Test
    void knownTypesAreFullyImplemented() throws Exception {
        for (Class<?> type : KnownAnnotations.types()) {
            PlainAnnotation.Shape shape = KnownAnnotations.shape(type);
            assertNotNull(shape, type.getName());
            assertSame(type, shape.type);
            Retention retention = type.getAnnotation(Retention.class);
            assertEquals(RetentionPolicy.RUNTIME, retention.value(), type.getName());
            Object[] values = shape.defaults.clone();
            for (int i = 0; i < values.length; i++) {
                Class<?> r = shape.members[i].getReturnType();
                // a default that is an annotation would make a proxy when read (Method.getDefaultValue)
                assertFalse(
                        shape.defaults[i] != null
                                && (r.isAnnotation()
                                        || (r.isArray() && r.getComponentType().isAnnotation())
                                                && java.lang.reflect.Array.getLength(shape.defaults[i]) > 0),
                        shape.members[i].toString());
                if (values[i] == null) {
                    values[i] = sample(r);
                }
            }
            Annotation a = KnownAnnotations.make(shape, values, new String[0]);
            assertInstanceOf(type, a);
            assertSame(type, a.annotationType());
            for (int i = 0; i < values.length; i++) {
                assertTrue(
                        PlainAnnotation.valueEquals(values[i], shape.members[i].invoke(a)),
                        shape.members[i].toString());
            }
        }
        assertNull(KnownAnnotations.shape(AnnotationFixtures.Unknown.class));
        assertNull(KnownAnnotations.shape(Retention.class));
    }

    /** A value for an element without default. */
    private static Object sample(Class<?> type) {
        if (type == String.class) {
            return "v";
        } else if (type == int.class) {
            return 7;
        } else if (type == long.class) {
            return 7L;
        } else if (type.isArray()) {
            return java.lang.reflect.Array.newInstance(type.getComponentType(), 0);
        }
        throw new AssertionError("no sample value of " + type);
    }

    // ---- equal to reflection, both ways, everywhere ----------------------------------------------------------

    private int compared;
    private int readFromFile;
    /** Elements whose annotations are all of known types, yet read by reflection. */
    private final List<String> missed = new ArrayList<>();

    @Test
    void sameAsReflectionForEveryElementOfSpindleWebAndItsTests() throws Exception {
        List<Class<?>> classes = new ArrayList<>();
        classes.addAll(classesUnder(Annotations.class));
        classes.addAll(classesUnder(AnnotationsTest.class));
        classes.addAll(ClassFileReaderTest.fixtures());
        assertTrue(classes.size() > 300, "found " + classes.size() + " classes");
        for (Class<?> c : classes) {
            compare(c);
        }
        // not a vacuous pass: every element annotated with known types only was read from its class file, but
        // for what the JDK reads with special rules (see compare)
        assertTrue(readFromFile > 300, readFromFile + " of " + compared);
        assertEquals(List.of(), missed);
    }

    private static List<Class<?>> classesUnder(Class<?> anchor) throws IOException, URISyntaxException {
        Path root = Path.of(
                anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(p).toString().replace('/', '.');
                name = name.substring(0, name.length() - ".class".length());
                if (name.endsWith("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                try {
                    out.add(Class.forName(name, false, anchor.getClassLoader()));
                } catch (ClassNotFoundException | LinkageError e) {
                    // a class whose dependencies are absent here: nothing to compare
                }
            }
        }
        return out;
    }

    /** A null among the annotations expected: the element may be read by reflection (the JDK's special rules). */
    private static final Annotation[] MAY_FALL_BACK = {null};

    private void compare(Class<?> c) {
        String where = c.getName();
        try {
            c.getDeclaredMethods();
            c.getDeclaredFields();
            c.getDeclaredConstructors();
        } catch (LinkageError e) {
            return; // a signature naming a class absent here
        }
        Class<?> s = c.getSuperclass();
        boolean mayInherit = s != null && s != Object.class && s != Record.class && s != Enum.class;
        count(
                where,
                () -> assertSameAnnotations(c.getAnnotations(), Annotations.of(c), where),
                mayInherit ? MAY_FALL_BACK : c.getAnnotations());
        for (java.lang.reflect.Field f : c.getDeclaredFields()) {
            String w = where + "." + f.getName();
            count(w, () -> assertSameAnnotations(f.getAnnotations(), Annotations.of(f), w), f.getAnnotations());
        }
        for (Method m : c.getDeclaredMethods()) {
            String w = where + "." + Annotations.key(m);
            count(w, () -> assertSameAnnotations(m.getAnnotations(), Annotations.of(m), w), m.getAnnotations());
            count(
                    w + " returns",
                    () -> assertSameType(m.getAnnotatedReturnType(), Annotations.returnType(m), w + " returns"),
                    deep(m.getAnnotatedReturnType()));
            compareParameters(m, w);
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            compareParameters(k, where + "." + Annotations.key(k));
        }
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                String w = where + "." + rc.getName();
                count(w, () -> assertSameAnnotations(rc.getAnnotations(), Annotations.of(rc), w), rc.getAnnotations());
                count(
                        w + " type",
                        () -> assertSameType(rc.getAnnotatedType(), Annotations.type(rc), w + " type"),
                        deep(rc.getAnnotatedType()));
            }
        }
        if (c.isAnnotation()) {
            @SuppressWarnings("unchecked")
            Class<? extends Annotation> a = (Class<? extends Annotation>) c;
            for (Class<? extends Annotation> meta :
                    List.of(Retention.class, jakarta.validation.Constraint.class, Deprecated.class)) {
                assertEquals(
                        a.isAnnotationPresent(meta),
                        Annotations.metaPresent(a, meta),
                        where + " @" + meta.getSimpleName());
            }
        }
    }

    private void compareParameters(Executable e, String where) {
        // the JDK's special rules for the constructors of inner, local and anonymous classes and of enums
        Class<?> c = e.getDeclaringClass();
        boolean special = e instanceof Constructor
                && (c.isEnum()
                        || (c.getEnclosingClass() != null
                                && !(c.isMemberClass() && java.lang.reflect.Modifier.isStatic(c.getModifiers()))));
        Annotation[][] expected = e.getParameterAnnotations();
        List<Annotation> all = new ArrayList<>();
        for (Annotation[] p : expected) {
            all.addAll(List.of(p));
        }
        count(
                where + " parameters",
                () -> {
                    Annotation[][] actual = Annotations.parameterAnnotations(e);
                    assertEquals(expected.length, actual.length, where);
                    for (int i = 0; i < expected.length; i++) {
                        assertSameAnnotations(expected[i], actual[i], where + " parameter " + i);
                    }
                },
                special && !all.isEmpty() ? MAY_FALL_BACK : all.toArray(new Annotation[0]));
        AnnotatedType[] expectedTypes = e.getAnnotatedParameterTypes();
        all.clear();
        for (AnnotatedType t : expectedTypes) {
            all.addAll(List.of(deep(t)));
        }
        count(
                where + " parameter types",
                () -> {
                    AnnotatedType[] actualTypes = Annotations.parameterTypes(e);
                    assertEquals(expectedTypes.length, actualTypes.length, where);
                    for (int i = 0; i < expectedTypes.length; i++) {
                        assertSameType(expectedTypes[i], actualTypes[i], where + " parameter " + i + " type");
                    }
                },
                special && !all.isEmpty() ? MAY_FALL_BACK : all.toArray(new Annotation[0]));
    }

    /**
     * Runs one comparison. If reflection found annotations, counts it, and whether they came from the class file;
     * notes it as missed if they are all of known types but were read by reflection.
     */
    private void count(String where, Runnable comparison, Annotation[] reflected) {
        int before = Annotations.fallbacks();
        comparison.run();
        if (reflected.length > 0) {
            compared++;
            boolean fromFile = Annotations.fallbacks() == before;
            readFromFile += fromFile ? 1 : 0;
            boolean known = true;
            for (Annotation a : reflected) {
                known &= a != null && KnownAnnotations.shape(a.annotationType()) != null;
            }
            if (known && !fromFile) {
                missed.add(where);
            }
        }
    }

    /** The annotations of {@code t} at every level. */
    private static Annotation[] deep(AnnotatedType t) {
        List<Annotation> out = new ArrayList<>(List.of(t.getAnnotations()));
        if (t instanceof AnnotatedParameterizedType p) {
            for (AnnotatedType a : p.getAnnotatedActualTypeArguments()) {
                out.addAll(List.of(deep(a)));
            }
        } else if (t instanceof AnnotatedArrayType a) {
            out.addAll(List.of(deep(a.getAnnotatedGenericComponentType())));
        } else if (t instanceof AnnotatedWildcardType w) {
            for (AnnotatedType b : w.getAnnotatedUpperBounds()) {
                out.addAll(List.of(deep(b)));
            }
            for (AnnotatedType b : w.getAnnotatedLowerBounds()) {
                out.addAll(List.of(deep(b)));
            }
        }
        if (!(t instanceof AnnotatedTypeVariable)
                && !(t instanceof AnnotatedArrayType)
                && !(t instanceof AnnotatedWildcardType)
                && t.getAnnotatedOwnerType() != null) {
            out.addAll(List.of(deep(t.getAnnotatedOwnerType())));
        }
        return out.toArray(new Annotation[0]);
    }

    static void assertSameAnnotations(Annotation[] expected, Annotation[] actual, String where) {
        assertEquals(expected.length, actual.length, where + ": " + List.of(expected) + " vs " + List.of(actual));
        for (int i = 0; i < expected.length; i++) {
            assertSameAnnotation(expected[i], actual[i], where);
        }
    }

    static void assertSameAnnotation(Annotation expected, Annotation actual, String where) {
        assertSame(expected.annotationType(), actual.annotationType(), where);
        assertTrue(expected.equals(actual), where + ": reflection's equals ours: " + expected + " vs " + actual);
        assertTrue(actual.equals(expected), where + ": ours equals reflection's: " + actual + " vs " + expected);
        assertEquals(expected.hashCode(), actual.hashCode(), where + " hashCode");
        assertEquals(expected.toString(), actual.toString(), where + " toString");
        if (!Proxy.isProxyClass(actual.getClass())) {
            assertInstanceOf(PlainAnnotation.class, actual, where);
        }
    }

    /** The same kind of type, the same annotations at every level, equal both ways, the same hash and text. */
    static void assertSameType(AnnotatedType expected, AnnotatedType actual, String where) {
        assertEquals(expected.getType(), actual.getType(), where);
        assertSameAnnotations(expected.getAnnotations(), actual.getAnnotations(), where);
        assertEquals(
                expected instanceof AnnotatedParameterizedType, actual instanceof AnnotatedParameterizedType, where);
        assertEquals(expected instanceof AnnotatedArrayType, actual instanceof AnnotatedArrayType, where);
        assertEquals(expected instanceof AnnotatedWildcardType, actual instanceof AnnotatedWildcardType, where);
        assertEquals(expected instanceof AnnotatedTypeVariable, actual instanceof AnnotatedTypeVariable, where);
        if (expected instanceof AnnotatedParameterizedType p) {
            AnnotatedType[] e = p.getAnnotatedActualTypeArguments();
            AnnotatedType[] a = ((AnnotatedParameterizedType) actual).getAnnotatedActualTypeArguments();
            assertEquals(e.length, a.length, where);
            for (int i = 0; i < e.length; i++) {
                assertSameType(e[i], a[i], where + "<" + i + ">");
            }
        } else if (expected instanceof AnnotatedArrayType arr) {
            assertSameType(
                    arr.getAnnotatedGenericComponentType(),
                    ((AnnotatedArrayType) actual).getAnnotatedGenericComponentType(),
                    where + "[]");
        } else if (expected instanceof AnnotatedWildcardType w) {
            AnnotatedWildcardType a = (AnnotatedWildcardType) actual;
            assertEquals(w.getAnnotatedUpperBounds().length, a.getAnnotatedUpperBounds().length, where);
            for (int i = 0; i < w.getAnnotatedUpperBounds().length; i++) {
                assertSameType(w.getAnnotatedUpperBounds()[i], a.getAnnotatedUpperBounds()[i], where + " extends");
            }
            assertEquals(w.getAnnotatedLowerBounds().length, a.getAnnotatedLowerBounds().length, where);
            for (int i = 0; i < w.getAnnotatedLowerBounds().length; i++) {
                assertSameType(w.getAnnotatedLowerBounds()[i], a.getAnnotatedLowerBounds()[i], where + " super");
            }
        }
        AnnotatedType owner = expected.getAnnotatedOwnerType();
        if (owner == null) {
            assertNull(actual.getAnnotatedOwnerType(), where + " owner");
        } else {
            assertSameType(owner, actual.getAnnotatedOwnerType(), where + " owner");
        }
        assertTrue(expected.equals(actual), where + ": reflection's equals ours: " + expected + " vs " + actual);
        assertTrue(actual.equals(expected), where + ": ours equals reflection's");
        assertEquals(expected.hashCode(), actual.hashCode(), where + " hashCode");
        assertEquals(expected.toString(), actual.toString(), where + " toString");
    }

    // ---- a few by name ---------------------------------------------------------------------------------------

    @Test
    void typeAnnotationsDeepInTheType() throws Exception {
        Method plain = null;
        for (Method m : AnnotationFixtures.Params.class.getDeclaredMethods()) {
            if (m.getName().equals("plain")) {
                plain = m;
            }
        }
        int before = Annotations.fallbacks();
        AnnotatedType[] types = Annotations.parameterTypes(plain);
        assertEquals(before, Annotations.fallbacks(), "all known types: no reflection");
        AnnotatedParameterizedType list = (AnnotatedParameterizedType) types[2];
        assertEquals(3, list.getAnnotation(Size.class).max());
        assertEquals(
                1,
                list.getAnnotatedActualTypeArguments()[0]
                        .getAnnotation(Size.class)
                        .min());
        AnnotatedArrayType array = (AnnotatedArrayType) types[4];
        assertEquals(2, array.getAnnotation(Size.class).max());
        assertNotNull(array.getAnnotatedGenericComponentType().getAnnotation(NotBlank.class));
        AnnotatedType optional = ((AnnotatedParameterizedType) types[5]).getAnnotatedActualTypeArguments()[0];
        assertEquals(1, optional.getAnnotation(Min.class).value());
        assertEquals(9, optional.getAnnotation(Max.class).value());
        assertInstanceOf(PlainAnnotatedType.class, types[5]);
    }

    @Test
    void unknownAnnotationsAreReadByReflection() throws Exception {
        Method m = AnnotationFixtures.Kinds.class.getDeclaredMethod("mixed");
        int before = Annotations.fallbacks();
        Annotation[] anns = Annotations.of(m);
        assertEquals(before + 1, Annotations.fallbacks());
        assertSameAnnotations(m.getAnnotations(), anns, "mixed");
        assertTrue(Proxy.isProxyClass(anns[0].getClass()));
        // a record component with one: only that element is read by reflection
        RecordComponent[] rcs = AnnotationFixtures.Item.class.getRecordComponents();
        before = Annotations.fallbacks();
        Annotations.of(rcs[0]);
        Annotations.type(rcs[2]);
        assertEquals(before, Annotations.fallbacks());
        Annotations.of(rcs[4]); // @Unknown does not apply to record components: only to their type
        assertEquals(before, Annotations.fallbacks());
        assertSameType(rcs[4].getAnnotatedType(), Annotations.type(rcs[4]), "other");
        assertEquals(before + 1, Annotations.fallbacks());
    }

    // ---- a typical app: no reflection at all -----------------------------------------------------------------

    enum Kind {
        @JsonProperty("tool")
        TOOL,
        FOOD
    }

    record NewItem(
            @Size(min = 1, max = 50) String name,
            Optional<String> description,
            @Min(0) double price,
            List<@Size(max = 10) String> tags,
            @Field(alias = "in_stock") @Default("true") boolean inStock,
            Kind kind) {}

    record Paging(
            @Query @Default("0") @Min(0) int skip,
            @Query @Default("20") @Max(100) int limit) {}

    static final class Db {
        @Provides
        String session(@Header("x-tenant") @Default("t") String tenant) {
            return "session-" + tenant;
        }
    }

    static final class Routes {
        @Get("/items/{id}")
        NewItem read(@Min(1) int id, @Query Optional<String> q, @Header Optional<String> xTrace) {
            return new NewItem("hammer", Optional.empty(), 9.5, List.of("x"), true, Kind.TOOL);
        }

        @Post(value = "/items", status = 201)
        @ApiResponse(status = 409, description = "Conflict")
        Map<String, Object> create(NewItem item, @Depends(Db.class) String session) {
            return Map.of("name", item.name(), "kind", item.kind(), "session", session);
        }

        @Get("/items")
        List<NewItem> list(@Depends Paging page, @Query List<@Size(max = 3) String> tag) {
            return List.of();
        }

        @Delete(value = "/items/{id}", status = 204)
        @OnWorker
        void delete(int id) {}
    }

    @Test
    void aTypicalAppReadsNoAnnotationByReflection() throws Exception {
        int before = Annotations.fallbacks();
        App app = new App().title("typical");
        app.include(new Router("/v1").tags("items").include(new Routes()));
        app.startup();
        byte[] openapi = app.openapi();
        assertTrue(new String(openapi, java.nio.charset.StandardCharsets.UTF_8).contains("\"tool\""));
        try (TestClient client = TestClient.of(app)) {
            TestResponse read = client.get("/v1/items/3");
            assertEquals(200, read.status(), read.text());
            assertEquals("tool", read.json().get("kind").asText());
            TestResponse created =
                    client.post("/v1/items", Map.of("name", "saw", "price", 3, "tags", List.of("a"), "kind", "tool"));
            assertEquals(201, created.status(), created.text());
            assertEquals("tool", created.json().get("kind").asText());
            TestResponse invalid = client.post("/v1/items", Map.of("name", "", "price", -1, "kind", "food"));
            assertEquals(422, invalid.status(), invalid.text());
        }
        assertEquals(before, Annotations.fallbacks(), "elements read by reflection (each makes proxy classes)");
    }

    @Test
    void declarationOrderFromTheSameRead() {
        List<String> keys = Annotations.methodKeys(Routes.class);
        assertEquals(
                List.of("read", "create", "list", "delete"),
                keys.stream()
                        .filter(k -> !k.startsWith("<"))
                        .map(k -> k.substring(0, k.indexOf('(')))
                        .toList());
        assertArrayEquals(new String[0], Annotations.methodKeys(int.class).toArray(new String[0]));
    }
}
