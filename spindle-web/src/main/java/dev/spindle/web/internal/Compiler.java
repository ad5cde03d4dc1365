package dev.spindle.web.internal;

import dev.spindle.web.App;
import dev.spindle.web.BackgroundTasks;
import dev.spindle.web.Request;
import dev.spindle.web.SecurityScopes;
import dev.spindle.web.depends.Depends;
import dev.spindle.web.depends.Provides;
import dev.spindle.web.params.Body;
import dev.spindle.web.params.Cookie;
import dev.spindle.web.params.Default;
import dev.spindle.web.params.File;
import dev.spindle.web.params.Form;
import dev.spindle.web.params.Header;
import dev.spindle.web.params.Path;
import dev.spindle.web.params.Query;
import dev.spindle.web.params.UploadFile;
import dev.spindle.web.responses.Response;
import dev.spindle.web.security.SecurityScheme;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Analyses handlers and dependencies at startup (FastAPI's {@code get_dependant}): each parameter's source, name,
 * reader, default; each dependency class's provider method or constructor, once per class. Every mistake is reported
 * here, naming the method and parameter, so that a running app cannot meet it.
 */
public final class Compiler {
    private final Map<Class<?>, Object> provided;
    private final Map<Class<?>, DependencyNode> nodes = new HashMap<>();
    private final List<Class<?>> building = new ArrayList<>();

    public Compiler(Map<Class<?>, Object> provided) {
        this.provided = provided;
    }

    /** A handler method on {@code receiver} (null for static) for a route whose path names {@code pathNames}. */
    public Invocable handler(Object receiver, Method m, List<String> pathNames) {
        String where = m.getDeclaringClass().getSimpleName() + "." + m.getName();
        Invocable.Maker h = handle(m, receiver);
        ParamSpec[] params = params(m, pathNames, where);
        return new Invocable(where, h, params);
    }

    /** A router- or app-level dependency, run for its effect. */
    public ParamSpec dependencyParam(Class<?> type, String where) {
        ParamSpec p = new ParamSpec(
                ParamSpec.Kind.DEPENDS,
                type.getSimpleName(),
                type.getSimpleName(),
                "",
                Types.of(type),
                null,
                true,
                null,
                null,
                new java.lang.annotation.Annotation[0]);
        try {
            p.dependency = dependency(type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** The node of dependency class {@code type} (one per class). */
    public DependencyNode dependency(Class<?> type) {
        DependencyNode node = nodes.get(type);
        if (node != null) {
            return node;
        }
        if (building.contains(type)) {
            throw new IllegalArgumentException("dependency cycle: " + building + " -> " + type.getName());
        }
        building.add(type);
        try {
            node = build(type, provided.get(type));
        } finally {
            building.remove(type);
        }
        nodes.put(type, node);
        return node;
    }

    /** A node for an override: a {@link Supplier}, or an object with a {@link Provides} method. */
    public DependencyNode override(Class<?> key, Object replacement) {
        if (replacement instanceof Supplier<?> s) {
            MethodHandle h = MethodHandles.dropArguments(
                    MethodHandles.constant(Supplier.class, s).asType(MethodType.methodType(Object.class)),
                    0,
                    Object[].class);
            MethodHandle call = MethodHandles.filterReturnValue(h, SUPPLIER_GET);
            return new DependencyNode(
                    key,
                    new Invocable("override of " + key.getSimpleName(), call, new ParamSpec[0]),
                    replacement instanceof SecurityScheme sc ? sc : null);
        }
        return build(
                replacement instanceof Class<?> c ? c : replacement.getClass(),
                replacement instanceof Class<?> ? null : replacement);
    }

    private static final MethodHandle SUPPLIER_GET;

    static {
        try {
            SUPPLIER_GET = MethodHandles.publicLookup()
                    .findVirtual(Supplier.class, "get", MethodType.methodType(Object.class))
                    .asType(MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private DependencyNode build(Class<?> type, Object instance) {
        Method provider = null;
        // not Record's methods either: none is a provider, and reading them would read its class file
        for (Class<?> c = type; c != null && c != Object.class && c != Record.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (Annotations.present(m, Provides.class) && !m.isBridge()) {
                    if (provider != null && !overrides(provider, m)) {
                        throw new IllegalArgumentException(type.getName() + " has more than one @Provides method");
                    }
                    if (provider == null) {
                        provider = m;
                    }
                }
            }
        }
        String where = type.getSimpleName();
        if (provider != null) {
            Object receiver = null;
            if (!Modifier.isStatic(provider.getModifiers())) {
                receiver = instance != null ? instance : newInstance(type);
            }
            Invocable inv = new Invocable(
                    where + "." + provider.getName(),
                    handle(provider, receiver),
                    params(provider, List.of(), where + "." + provider.getName()));
            return new DependencyNode(type, inv, receiver instanceof SecurityScheme s ? s : null);
        }
        if (instance != null) {
            // a given instance without @Provides is the value itself
            MethodHandle h =
                    MethodHandles.dropArguments(MethodHandles.constant(Object.class, instance), 0, Object[].class);
            return new DependencyNode(type, new Invocable(where, h, new ParamSpec[0]), null);
        }
        // a class as dependency: its constructor's parameters are typed parameters
        Executable ctor = constructor(type);
        MethodHandles.Lookup lookup;
        try {
            lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot reach " + ctor + " (is its package open?)", e);
        }
        ParamSpec[] params;
        if (type.isRecord()) {
            RecordComponent[] rcs = type.getRecordComponents();
            params = new ParamSpec[rcs.length];
            for (int i = 0; i < rcs.length; i++) {
                params[i] = param(rcs[i].getName(), Annotations.type(rcs[i]), Annotations.of(rcs[i]), List.of(), where);
            }
        } else {
            params = params(ctor, List.of(), where);
        }
        int n = params.length;
        Invocable.Maker h = () -> spread(lookup.unreflectConstructor((Constructor<?>) ctor), n);
        return new DependencyNode(type, new Invocable(where, h, params), null);
    }

    private static boolean overrides(Method a, Method b) {
        return a.getName().equals(b.getName()) && java.util.Arrays.equals(a.getParameterTypes(), b.getParameterTypes());
    }

    private static Executable constructor(Class<?> type) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException(type.getName() + " is abstract: a dependency needs a @Provides method,"
                    + " a constructor, or an instance given to App.provide");
        }
        if (type.isRecord()) {
            Class<?>[] types = java.util.Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getType)
                    .toArray(Class<?>[]::new);
            try {
                return type.getDeclaredConstructor(types);
            } catch (NoSuchMethodException e) {
                throw new AssertionError(e);
            }
        }
        Constructor<?>[] ctors = type.getDeclaredConstructors();
        if (ctors.length != 1) {
            for (Constructor<?> c : ctors) {
                if (c.getParameterCount() == 0) {
                    return c;
                }
            }
            throw new IllegalArgumentException(type.getName() + " has several constructors: a dependency class needs"
                    + " one (or a no-argument one)");
        }
        return ctors[0];
    }

    private static Object newInstance(Class<?> type) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            return lookup.findConstructor(type, MethodType.methodType(void.class))
                    .invoke();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(
                    type.getName() + " needs a no-argument constructor, or an instance" + " given to App.provide", e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalArgumentException("cannot make " + type.getName(), t);
        }
    }

    /**
     * How to make {@code m}'s handle on its first call (see {@link Invocable}): the access check (the private lookup)
     * and the receiver check happen now, so a mistake still fails at startup; the handle's adaptation waits.
     */
    private static Invocable.Maker handle(Method m, Object receiver) {
        MethodHandles.Lookup lookup;
        try {
            lookup = MethodHandles.privateLookupIn(m.getDeclaringClass(), MethodHandles.lookup());
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot reach " + m + " (is its package open to spindle-web?)", e);
        }
        boolean isStatic = Modifier.isStatic(m.getModifiers());
        if (!isStatic && receiver == null) {
            throw new IllegalArgumentException(m + " is an instance method: include an instance");
        }
        return () -> {
            MethodHandle h = lookup.unreflect(m);
            return spread(isStatic ? h : h.bindTo(receiver), m.getParameterCount());
        };
    }

    private static MethodHandle spread(MethodHandle h, int n) {
        MethodHandle g =
                h.asType(h.type().changeReturnType(h.type().returnType() == void.class ? void.class : Object.class));
        g = g.asSpreader(Object[].class, n);
        return g.asType(MethodType.methodType(Object.class, Object[].class));
    }

    private ParamSpec[] params(Executable e, List<String> pathNames, String where) {
        Parameter[] ps = e.getParameters();
        // read from the class file, not by reflection: see Annotations
        Annotation[][] anns = Annotations.parameterAnnotations(e);
        AnnotatedType[] types = Annotations.parameterTypes(e);
        ParamSpec[] out = new ParamSpec[ps.length];
        for (int i = 0; i < ps.length; i++) {
            Parameter p = ps[i];
            String explicit = explicitName(anns[i]);
            if (!p.isNamePresent() && explicit == null && needsName(p, anns[i])) {
                throw new IllegalArgumentException(where + ": parameter " + i + " has no name: compile with"
                        + " -parameters or name it (@Query(\"q\"))");
            }
            out[i] = param(p.getName(), types[i], anns[i], pathNames, where);
        }
        for (ParamSpec p : out) {
            if (p.kind == ParamSpec.Kind.BODY) {
                // embedded if asked; also, per route, when the route's whole tree has several (Route.embedBodies)
                p.embedded = p.meta instanceof Body b && b.embed();
            }
        }
        return out;
    }

    private static boolean needsName(Parameter p, Annotation[] anns) {
        Class<?> t = p.getType();
        return !(t == Request.class
                || t == dev.spindle.http.Request.class
                || t == Response.class
                || t == BackgroundTasks.class
                || t == SecurityScopes.class
                || t == App.class
                || hasDepends(anns));
    }

    private static boolean hasDepends(Annotation[] anns) {
        for (Annotation a : anns) {
            if (a instanceof Depends) {
                return true;
            }
        }
        return false;
    }

    private static String explicitName(Annotation[] anns) {
        for (Annotation a : anns) {
            String v = ""; // an instanceof chain, not a type switch, which spins a class at startup
            if (a instanceof Path x) {
                v = x.value();
            } else if (a instanceof Query x) {
                v = x.value();
            } else if (a instanceof Header x) {
                v = x.value();
            } else if (a instanceof Cookie x) {
                v = x.value();
            } else if (a instanceof Form x) {
                v = x.value();
            } else if (a instanceof File x) {
                v = x.value();
            } else if (a instanceof Body x) {
                v = x.value();
            }
            if (!v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** Classifies one parameter (or record component of a dependency record). */
    ParamSpec param(String javaName, AnnotatedType at, Annotation[] anns, List<String> pathNames, String where) {
        String w = where + "(" + javaName + ")";
        Class<?> raw = Readers.rawClass(at.getType());
        Annotation source = null;
        Depends depends = null;
        Default def = null;
        for (Annotation a : anns) {
            if (a instanceof Path
                    || a instanceof Query
                    || a instanceof Header
                    || a instanceof Cookie
                    || a instanceof Form
                    || a instanceof File
                    || a instanceof Body) {
                if (source != null) {
                    throw new IllegalArgumentException(w + ": more than one source annotation");
                }
                source = a;
            } else if (a instanceof Depends d) {
                depends = d;
            } else if (a instanceof Default d) {
                def = d;
            }
        }
        String explicit = explicitName(anns);
        String name = explicit != null ? explicit : javaName;
        if (depends != null) {
            Class<?> depClass = depends.value() == Void.class ? raw : depends.value();
            ParamSpec p =
                    new ParamSpec(ParamSpec.Kind.DEPENDS, javaName, name, "", at, null, true, null, depends, anns);
            try {
                p.dependency = dependency(depClass);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(w + ": " + e.getMessage(), e);
            }
            p.useCache = depends.useCache();
            p.scopes = List.of(depends.scopes());
            return p;
        }
        if (source == null) {
            ParamSpec.Kind special = null;
            if (raw == Request.class) special = ParamSpec.Kind.REQUEST;
            else if (raw == dev.spindle.http.Request.class) special = ParamSpec.Kind.HTTP_REQUEST;
            else if (raw == Response.class) special = ParamSpec.Kind.RESPONSE;
            else if (raw == BackgroundTasks.class) special = ParamSpec.Kind.BACKGROUND;
            else if (raw == SecurityScopes.class) special = ParamSpec.Kind.SCOPES;
            else if (raw == App.class) special = ParamSpec.Kind.APP;
            else if (raw == dev.spindle.http.websocket.WebSocket.class) special = ParamSpec.Kind.WEBSOCKET;
            if (special != null) {
                return new ParamSpec(special, javaName, name, "", at, null, false, null, null, anns);
            }
        }
        boolean isFile = source instanceof File || (source == null && isUploadType(at));
        if (isFile) {
            return fileParam(javaName, name, at, anns, source, w);
        }
        ParamSpec.Kind kind;
        String loc;
        if (source instanceof Path || (source == null && pathNames.contains(name))) {
            kind = ParamSpec.Kind.PATH;
            loc = "path";
            if (!pathNames.contains(name)) {
                throw new IllegalArgumentException(
                        w + ": @Path \"" + name + "\" is not in the route's path " + pathNames);
            }
        } else if (source instanceof Query) {
            kind = ParamSpec.Kind.QUERY;
            loc = "query";
        } else if (source instanceof Header h) {
            kind = ParamSpec.Kind.HEADER;
            loc = "header";
            if (explicit == null && h.convertUnderscores()) {
                name = headerName(javaName);
            }
        } else if (source instanceof Cookie) {
            kind = ParamSpec.Kind.COOKIE;
            loc = "cookie";
        } else if (source instanceof Form) {
            kind = ParamSpec.Kind.FORM;
            loc = "body";
        } else if (source instanceof Body || (source == null && isBodyType(at))) {
            kind = ParamSpec.Kind.BODY;
            loc = "body";
        } else {
            kind = ParamSpec.Kind.QUERY;
            loc = "query";
        }
        if (raw.isRecord() && kind != ParamSpec.Kind.BODY && kind != ParamSpec.Kind.PATH) {
            return modelParam(javaName, name, at, anns, source, kind, loc, w);
        }
        Reader reader;
        try {
            reader = Readers.of(at, anns);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(w + ": " + e.getMessage(), e);
        }
        boolean required;
        Object dflt;
        if (def != null) {
            dflt = Defaults.convert(reader, def.value(), w);
            required = false;
        } else if (reader.isOptional()) {
            dflt = reader.absent();
            required = false;
        } else if (ModelInfo.hasNullable(anns)) {
            dflt = null;
            required = false;
        } else {
            dflt = null;
            required = true;
        }
        if (kind == ParamSpec.Kind.PATH && !required) {
            throw new IllegalArgumentException(w + ": a path parameter is always required (no Optional, no @Default)");
        }
        return new ParamSpec(kind, javaName, name, loc, at, reader, required, dflt, source, anns);
    }

    private ParamSpec modelParam(
            String javaName,
            String name,
            AnnotatedType at,
            Annotation[] anns,
            Annotation source,
            ParamSpec.Kind kind,
            String loc,
            String w) {
        ModelInfo model = ModelInfo.of(Readers.rawClass(at.getType()));
        ParamSpec[] fields = new ParamSpec[model.components.size()];
        for (int i = 0; i < fields.length; i++) {
            ModelInfo.Component c = model.components.get(i);
            String fieldName = kind == ParamSpec.Kind.HEADER ? headerName(c.jsonName) : c.jsonName;
            fields[i] = new ParamSpec(
                    kind,
                    c.javaName,
                    fieldName,
                    loc,
                    c.type,
                    c.reader,
                    c.required,
                    c.defaultValue,
                    source,
                    c.annotations());
        }
        ParamSpec p = new ParamSpec(ParamSpec.Kind.MODEL, javaName, name, loc, at, null, true, null, source, anns);
        p.model = model;
        p.modelFields = fields;
        return p;
    }

    private ParamSpec fileParam(
            String javaName, String name, AnnotatedType at, Annotation[] anns, Annotation source, String w) {
        AnnotatedType t = at;
        boolean optional = false;
        if (Readers.rawClass(t.getType()) == Optional.class) {
            optional = true;
            t = Readers.typeArg(t, 0);
        }
        boolean list = false;
        Class<?> raw = Readers.rawClass(t.getType());
        if (raw == List.class || raw == Collection.class) {
            list = true;
            t = Readers.typeArg(t, 0);
            raw = Readers.rawClass(t.getType());
        }
        if (raw != UploadFile.class && raw != byte[].class) {
            throw new IllegalArgumentException(w + ": a @File parameter is an UploadFile or byte[] (or a List or"
                    + " Optional of them), not " + at.getType().getTypeName());
        }
        ParamSpec p =
                new ParamSpec(ParamSpec.Kind.FILE, javaName, name, "body", at, null, !optional, null, source, anns);
        p.fileList = list;
        p.fileBytes = raw == byte[].class;
        p.fileOptional = optional;
        return p;
    }

    private static boolean isUploadType(AnnotatedType at) {
        Class<?> raw = Readers.rawClass(at.getType());
        if (raw == UploadFile.class) {
            return true;
        }
        if ((raw == List.class || raw == Optional.class)
                && at instanceof java.lang.reflect.AnnotatedParameterizedType) {
            return isUploadType(Readers.typeArg(at, 0));
        }
        return false;
    }

    private static boolean isBodyType(AnnotatedType at) {
        Class<?> raw = Readers.rawClass(at.getType());
        if (raw == Optional.class) {
            return isBodyType(Readers.typeArg(at, 0));
        }
        if (raw.isRecord()
                || Map.class.isAssignableFrom(raw)
                || com.fasterxml.jackson.databind.JsonNode.class.isAssignableFrom(raw)) {
            return true;
        }
        if (raw == List.class || raw == Set.class || raw == Collection.class) {
            AnnotatedType e = Readers.typeArg(at, 0);
            Class<?> er = Readers.rawClass(e.getType());
            return er.isRecord() || Map.class.isAssignableFrom(er) || er == List.class;
        }
        return false;
    }

    /** {@code user_agent} and {@code userAgent} both read {@code user-agent}. */
    static String headerName(String javaName) {
        StringBuilder b = new StringBuilder(javaName.length() + 4);
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            if (c == '_') {
                b.append('-');
            } else if (Character.isUpperCase(c)) {
                if (i > 0 && javaName.charAt(i - 1) != '_') {
                    b.append('-');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
