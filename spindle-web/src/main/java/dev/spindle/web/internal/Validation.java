package dev.spindle.web.internal;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.constraints.AssertFalse;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.FutureOrPresent;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.metadata.BeanDescriptor;
import jakarta.validation.metadata.ConstraintDescriptor;
import jakarta.validation.metadata.PropertyDescriptor;
import java.lang.annotation.Annotation;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Hibernate Validator for what the binder does not check itself: custom constraints, {@code @Email},
 * {@code @AssertTrue}, {@code @Past}/{@code @Future}, class-level constraints. Run per record level, after the
 * binder built the record; only violations of that level are kept (nested records are validated when they are
 * built), and those the binder already reported ({@link Constraints#HANDLED}) are dropped. Skipped entirely for
 * records with nothing left to check (decided at startup).
 */
final class Validation {
    private Validation() {}

    private static final class Holder {
        static final Validator VALIDATOR = jakarta.validation.Validation.byDefaultProvider()
                .configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory()
                .getValidator();
    }

    static boolean needsValidator(Class<?> type) {
        if (!mayNeedValidator(type)) {
            return false; // decided without starting Hibernate Validator (a good part of an app's startup)
        }
        BeanDescriptor d = Holder.VALIDATOR.getConstraintsForClass(type);
        if (!d.getConstraintDescriptors().isEmpty()) {
            return true;
        }
        for (PropertyDescriptor p : d.getConstrainedProperties()) {
            for (ConstraintDescriptor<?> c : p.getConstraintDescriptors()) {
                if (!Constraints.HANDLED.contains(c.getAnnotation().annotationType())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code type} carries any constraint the binder does not check itself (a cheap look, no bootstrap). */
    private static boolean mayNeedValidator(Class<?> type) {
        // annotations read from the class file (Annotations), not by reflection, which makes a proxy class each
        if (hasOtherConstraint(Annotations.of(type))) {
            return true;
        }
        for (java.lang.reflect.RecordComponent rc : type.getRecordComponents()) {
            if (hasOtherConstraint(Annotations.of(rc)) || typeHasOtherConstraint(Annotations.type(rc))) {
                return true;
            }
        }
        for (java.lang.reflect.Method m : type.getDeclaredMethods()) {
            if (hasOtherConstraint(Annotations.of(m))) {
                return true;
            }
        }
        return false;
    }

    private static boolean typeHasOtherConstraint(java.lang.reflect.AnnotatedType t) {
        if (hasOtherConstraint(t.getAnnotations())) {
            return true;
        }
        if (t instanceof java.lang.reflect.AnnotatedParameterizedType p) {
            for (java.lang.reflect.AnnotatedType a : p.getAnnotatedActualTypeArguments()) {
                if (typeHasOtherConstraint(a)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasOtherConstraint(Annotation[] annotations) {
        for (Annotation a : annotations) {
            Class<? extends Annotation> t = a.annotationType();
            if (Constraints.HANDLED.contains(t)) {
                continue;
            }
            if (Annotations.metaPresent(t, jakarta.validation.Constraint.class)
                    || t == jakarta.validation.Valid.class
                    || t.getName().endsWith(".List")) {
                return true;
            }
        }
        return false;
    }

    static boolean validate(ModelInfo model, Object value, Loc loc, Errors errors) {
        Set<ConstraintViolation<Object>> violations = Holder.VALIDATOR.validate(value);
        boolean ok = true;
        for (ConstraintViolation<Object> v : violations) {
            Annotation a = v.getConstraintDescriptor().getAnnotation();
            if (Constraints.HANDLED.contains(a.annotationType())) {
                continue;
            }
            Iterator<Path.Node> nodes = v.getPropertyPath().iterator();
            Loc at = loc;
            if (nodes.hasNext()) {
                Path.Node first = nodes.next();
                if (nodes.hasNext()) {
                    continue; // a deeper level's: reported when that level was built
                }
                if (first.getName() != null) {
                    ModelInfo.Component c = model.component(first.getName());
                    at = loc.with(c != null ? c.jsonName : first.getName());
                }
            }
            Object input = v.getInvalidValue() == value ? null : v.getInvalidValue();
            String message = v.getMessage();
            switch (a) {
                case Email e ->
                    errors.add(
                            "value_error",
                            at,
                            "value is not a valid email address: " + message,
                            input,
                            Map.of("reason", message));
                case Past p ->
                    errors.add(kind(input) + "_past", at, noun(input) + " should be in the past", input, null);
                case PastOrPresent p ->
                    errors.add(kind(input) + "_past", at, noun(input) + " should be in the past", input, null);
                case Future f ->
                    errors.add(kind(input) + "_future", at, noun(input) + " should be in the future", input, null);
                case FutureOrPresent f ->
                    errors.add(kind(input) + "_future", at, noun(input) + " should be in the future", input, null);
                case NotNull n -> errors.missing(at, null);
                case AssertTrue t ->
                    errors.add("value_error", at, "Value error, " + message, input, Map.of("error", message));
                case AssertFalse f ->
                    errors.add("value_error", at, "Value error, " + message, input, Map.of("error", message));
                default -> errors.add("value_error", at, "Value error, " + message, input, Map.of("error", message));
            }
            ok = false;
        }
        return ok;
    }

    private static String kind(Object v) {
        return v instanceof java.time.LocalDate ? "date" : "datetime";
    }

    private static String noun(Object v) {
        return v instanceof java.time.LocalDate ? "Date" : "Datetime";
    }
}
