package dev.spindle.web.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedArrayType;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.AnnotatedTypeVariable;
import java.lang.reflect.AnnotatedWildcardType;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@link AnnotatedType} built from reflection's generic {@link Type} (which reads no annotation) and the type
 * annotations {@link Annotations} read from the class file, so that {@code List<@Size(max = 3) String>} is seen
 * without the {@link java.lang.reflect.Proxy} classes reflection's {@code getAnnotatedType()} makes at startup.
 *
 * <p>It answers as the JDK's own implementation does (sun.reflect.annotation.AnnotatedTypeFactory): the same kinds
 * ({@link AnnotatedParameterizedType}, {@link AnnotatedArrayType}, {@link AnnotatedWildcardType},
 * {@link AnnotatedTypeVariable}), annotations placed by the same rules (a non-static nested class sits one "nested"
 * step below its enclosing class; an unbounded wildcard's bound is an unannotated {@code Object}), the same owner
 * types, {@code equals}, {@code hashCode} and {@code toString}, so that it equals the JDK's both ways. Unlike the
 * JDK's, the type arguments, bounds and component types are built once, not on every call.
 */
class PlainAnnotatedType implements AnnotatedType {
    /** A type annotation of a declaration: its place in the declaration's type (a {@link ClassFileReader} type path). */
    record Use(String path, Annotation annotation) {}

    static final Use[] NONE = new Use[0];
    private static final Annotation[] NO_ANNOTATIONS = new Annotation[0];

    final Type type;
    /** This type's place in the declaration's type: its annotations are the uses at this path. */
    final String location;
    /** Every type annotation of the declaration: an owner type (made on demand) takes its own from these. */
    final Use[] uses;

    private final Annotation[] annotations;

    PlainAnnotatedType(Type type, String location, Use[] uses) {
        this.type = type;
        this.location = location;
        this.uses = uses;
        int n = 0;
        for (Use u : uses) {
            if (u.path().equals(location)) {
                n++;
            }
        }
        if (n == 0) {
            this.annotations = NO_ANNOTATIONS;
        } else {
            this.annotations = new Annotation[n];
            int i = 0;
            for (Use u : uses) {
                if (u.path().equals(location)) {
                    annotations[i++] = u.annotation();
                }
            }
        }
    }

    /** The annotated type of a declaration of type {@code type} whose type annotations are {@code uses}. */
    static AnnotatedType of(Type type, Use[] uses) {
        return make(type, nesting(type, "", uses), uses);
    }

    static PlainAnnotatedType make(Type type, String location, Use[] uses) {
        // instanceof, not a type switch (which spins a class at startup)
        if (type instanceof Class<?> c) {
            return c.isArray() ? new Array(type, location, uses) : new PlainAnnotatedType(type, location, uses);
        } else if (type instanceof ParameterizedType) {
            return new Parameterized(type, location, uses);
        } else if (type instanceof GenericArrayType) {
            return new Array(type, location, uses);
        } else if (type instanceof WildcardType) {
            return new Wildcard(type, location, uses);
        } else if (type instanceof TypeVariable<?>) {
            return new Variable(type, location, uses);
        }
        throw new IllegalArgumentException(
                "unknown kind of java.lang.reflect.Type: " + type.getClass().getName());
    }

    /**
     * Where the annotations of {@code type}, found at {@code location}, sit: one "nested" step deeper per enclosing
     * class of a non-static nested class (the JDK's AnnotatedTypeFactory.nestingForType). Without any type annotation
     * the place matters to none, and the enclosing classes are not looked up.
     */
    static String nesting(Type type, String location, Use[] uses) {
        if (uses.length == 0) {
            return location;
        }
        if (type instanceof Class<?> c) {
            if (c.isArray()) {
                return location;
            }
            Class<?> enclosing = c.getEnclosingClass();
            if (enclosing == null || Modifier.isStatic(c.getModifiers())) {
                return location;
            }
            return nesting(enclosing, location + ".", uses);
        } else if (type instanceof ParameterizedType p) {
            if (p.getOwnerType() == null
                    || (p.getRawType() instanceof Class<?> raw && Modifier.isStatic(raw.getModifiers()))) {
                return location;
            }
            return nesting(p.getOwnerType(), location + ".", uses);
        }
        return location;
    }

    /** {@code location} without its last "nested" step, or null if it does not end with one. */
    private static String outer(String location) {
        return location.endsWith(".") ? location.substring(0, location.length() - 1) : null;
    }

    /** The owner of a nested type, annotated as the JDK's AnnotatedTypeBaseImpl.getAnnotatedOwnerType does. */
    final AnnotatedType owner(Type ownerType) {
        String outer = outer(location);
        return outer == null ? make(ownerType, "", NONE) : make(ownerType, outer, uses);
    }

    @Override
    public final Type getType() {
        return type;
    }

    @Override
    public final Annotation[] getAnnotations() {
        return annotations.length == 0 ? annotations : annotations.clone();
    }

    @Override
    public final Annotation[] getDeclaredAnnotations() {
        return getAnnotations();
    }

    @Override
    public final <T extends Annotation> T getAnnotation(Class<T> annotationClass) {
        for (Annotation a : annotations) {
            if (a.annotationType() == annotationClass) {
                return annotationClass.cast(a);
            }
        }
        return null;
    }

    @Override
    public final <T extends Annotation> T getDeclaredAnnotation(Class<T> annotationClass) {
        return getAnnotation(annotationClass);
    }

    @Override
    public AnnotatedType getAnnotatedOwnerType() {
        if (!(type instanceof Class<?> nested)) {
            throw new IllegalStateException("no owner type for " + type);
        }
        Class<?> owner = nested.getDeclaringClass();
        if (owner == null || nested.isPrimitive() || nested == void.class) {
            return null;
        }
        return owner(owner);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnnotatedType that
                && !(o instanceof AnnotatedArrayType)
                && !(o instanceof AnnotatedTypeVariable)
                && !(o instanceof AnnotatedParameterizedType)
                && !(o instanceof AnnotatedWildcardType)
                && equalsTypeAndAnnotations(that);
    }

    @Override
    public int hashCode() {
        return baseHashCode();
    }

    @Override
    public String toString() {
        return annotationsToString(annotations, false) + (type instanceof Class ? type.getTypeName() : type.toString());
    }

    final boolean equalsTypeAndAnnotations(AnnotatedType that) {
        return type.equals(that.getType())
                && Arrays.equals(annotations, that.getAnnotations())
                && Objects.equals(getAnnotatedOwnerType(), that.getAnnotatedOwnerType());
    }

    final int baseHashCode() {
        return type.hashCode() ^ Objects.hash((Object[]) annotations) ^ Objects.hash(getAnnotatedOwnerType());
    }

    static String annotationsToString(Annotation[] annotations, boolean leadingSpace) {
        if (annotations.length == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (Annotation a : annotations) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(a);
        }
        return leadingSpace ? " " + b : b.append(' ').toString();
    }

    private static String join(AnnotatedType[] types, String separator) {
        StringBuilder b = new StringBuilder();
        for (AnnotatedType t : types) {
            if (b.length() > 0) {
                b.append(separator);
            }
            b.append(t);
        }
        return b.toString();
    }

    /** A parameterized type: {@code List<@Size(max = 3) String>}. */
    static final class Parameterized extends PlainAnnotatedType implements AnnotatedParameterizedType {
        private final AnnotatedType[] arguments;

        Parameterized(Type type, String location, Use[] uses) {
            super(type, location, uses);
            Type[] args = ((ParameterizedType) type).getActualTypeArguments();
            arguments = new AnnotatedType[args.length];
            for (int i = 0; i < args.length; i++) {
                arguments[i] = make(args[i], nesting(args[i], location + i + ";", uses), uses);
            }
        }

        @Override
        public AnnotatedType[] getAnnotatedActualTypeArguments() {
            return arguments.clone();
        }

        @Override
        public AnnotatedType getAnnotatedOwnerType() {
            Type owner = ((ParameterizedType) type).getOwnerType();
            return owner == null ? null : owner(owner);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AnnotatedParameterizedType that
                    && equalsTypeAndAnnotations(that)
                    && Arrays.equals(arguments, that.getAnnotatedActualTypeArguments());
        }

        @Override
        public int hashCode() {
            return baseHashCode() ^ Objects.hash((Object[]) arguments);
        }

        @Override
        public String toString() {
            String args = arguments.length == 0 ? "" : "<" + join(arguments, ", ") + ">";
            return annotationsToString(getAnnotations(), false)
                    + ((ParameterizedType) type).getRawType().getTypeName()
                    + args;
        }
    }

    /** An array type: {@code String @A []}, annotations on the element type one "array" step deeper. */
    static final class Array extends PlainAnnotatedType implements AnnotatedArrayType {
        private final AnnotatedType component;

        Array(Type type, String location, Use[] uses) {
            super(type, location, uses);
            Type c = type instanceof Class<?> k
                    ? k.getComponentType()
                    : ((GenericArrayType) type).getGenericComponentType();
            component = make(c, nesting(c, location + "[", uses), uses);
        }

        @Override
        public AnnotatedType getAnnotatedGenericComponentType() {
            return component;
        }

        @Override
        public AnnotatedType getAnnotatedOwnerType() {
            return null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AnnotatedArrayType that
                    && equalsTypeAndAnnotations(that)
                    && Objects.equals(component, that.getAnnotatedGenericComponentType());
        }

        @Override
        public int hashCode() {
            return baseHashCode() ^ component.hashCode();
        }

        @Override
        public String toString() {
            // as in source: the element type, then each dimension's annotations before its brackets
            StringBuilder b = new StringBuilder();
            AnnotatedType t = this;
            while (t instanceof AnnotatedArrayType a) {
                b.append(annotationsToString(a.getAnnotations(), true)).append("[]");
                t = a.getAnnotatedGenericComponentType();
            }
            return b.insert(0, t.toString()).toString();
        }
    }

    /** A wildcard: {@code ? extends @A Number}; an unbounded or lower-bounded one has an unannotated Object bound. */
    static final class Wildcard extends PlainAnnotatedType implements AnnotatedWildcardType {
        private final AnnotatedType[] upper;
        private final AnnotatedType[] lower;

        Wildcard(Type type, String location, Use[] uses) {
            super(type, location, uses);
            WildcardType w = (WildcardType) type;
            if (w.getLowerBounds().length == 0) {
                upper = bounds(w.getUpperBounds(), location, uses);
                lower = new AnnotatedType[0];
            } else {
                upper = new AnnotatedType[] {make(Object.class, "", NONE)};
                lower = bounds(w.getLowerBounds(), location, uses);
            }
        }

        private static AnnotatedType[] bounds(Type[] bounds, String location, Use[] uses) {
            AnnotatedType[] out = new AnnotatedType[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                out[i] = make(bounds[i], nesting(bounds[i], location + "*", uses), uses);
            }
            return out;
        }

        @Override
        public AnnotatedType[] getAnnotatedUpperBounds() {
            return upper.clone();
        }

        @Override
        public AnnotatedType[] getAnnotatedLowerBounds() {
            return lower.clone();
        }

        @Override
        public AnnotatedType getAnnotatedOwnerType() {
            return null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AnnotatedWildcardType that
                    && equalsTypeAndAnnotations(that)
                    && Arrays.equals(lower, that.getAnnotatedLowerBounds())
                    && Arrays.equals(upper, that.getAnnotatedUpperBounds());
        }

        @Override
        public int hashCode() {
            return baseHashCode() ^ Objects.hash((Object[]) lower) ^ Objects.hash((Object[]) upper);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(annotationsToString(getAnnotations(), false)).append('?');
            AnnotatedType[] bounds = lower;
            if (bounds.length > 0) {
                b.append(" super ");
            } else {
                bounds = upper;
                if (bounds.length == 1
                        && bounds[0].getType().equals(Object.class)
                        && bounds[0].getAnnotations().length == 0) {
                    return b.toString(); // "?" rather than "? extends java.lang.Object"
                }
                if (bounds.length > 0) {
                    b.append(" extends ");
                }
            }
            return b.append(join(bounds, " & ")).toString();
        }
    }

    /** A type variable's use: {@code @A T}. Its bounds are its declaration's, read by reflection when asked. */
    static final class Variable extends PlainAnnotatedType implements AnnotatedTypeVariable {
        Variable(Type type, String location, Use[] uses) {
            super(type, location, uses);
        }

        @Override
        public AnnotatedType[] getAnnotatedBounds() {
            return ((TypeVariable<?>) type).getAnnotatedBounds();
        }

        @Override
        public AnnotatedType getAnnotatedOwnerType() {
            return null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AnnotatedTypeVariable that && equalsTypeAndAnnotations(that);
        }

        @Override
        public int hashCode() {
            return baseHashCode();
        }
    }
}
