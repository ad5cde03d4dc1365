package dev.spindle.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.web.SecurityScopes;
import dev.spindle.web.depends.Yield;
import dev.spindle.web.params.UploadFile;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One parameter of a handler or dependency, analysed at startup: where its value comes from, its wire name, its
 * {@link Reader}, whether it is required and its default. {@link #resolve} gets its value for one request, reporting
 * problems to {@link Errors}; nothing here reflects per request.
 */
public final class ParamSpec {
    /** Sources, in the order FastAPI resolves and reports them. */
    public enum Kind {
        DEPENDS,
        PATH,
        QUERY,
        HEADER,
        COOKIE,
        MODEL,
        BODY,
        FORM,
        FILE,
        REQUEST,
        HTTP_REQUEST,
        RESPONSE,
        BACKGROUND,
        SCOPES,
        APP,
        /** The WebSocket, accepted last, once every other parameter resolved. */
        WEBSOCKET
    }

    public final Kind kind;
    public final String javaName;
    public final String name;
    /** The loc's first element: path, query, header, cookie, body. */
    public final String source;

    public final AnnotatedType type;
    public final Reader reader;
    public final boolean required;
    public final Object defaultValue;
    /** The source annotation ({@code @Query}...) for OpenAPI metadata, or {@code null}. */
    public final Annotation meta;

    public final Annotation[] annotations;

    // DEPENDS
    public DependencyNode dependency;
    public boolean useCache = true;
    public List<String> scopes = List.of();

    // BODY
    boolean embedded;

    // MODEL (a record read field by field from query, header, cookie or form)
    public ModelInfo model;
    public ParamSpec[] modelFields;

    // FILE
    boolean fileList;
    boolean fileBytes;
    boolean fileOptional;

    ParamSpec(
            Kind kind,
            String javaName,
            String name,
            String source,
            AnnotatedType type,
            Reader reader,
            boolean required,
            Object defaultValue,
            Annotation meta,
            Annotation[] annotations) {
        this.kind = kind;
        this.javaName = javaName;
        this.name = name;
        this.source = source;
        this.type = type;
        this.reader = reader;
        this.required = required;
        this.defaultValue = defaultValue;
        this.meta = meta;
        this.annotations = annotations;
    }

    /** The value for this request, or {@link Reader#INVALID} after reporting why. */
    Object resolve(Exchange ex, Errors errors, List<String> scopes) throws Throwable {
        switch (kind) {
            case PATH: {
                String v = ex.pathValue(name);
                return v == null
                        ? absent(Loc.of("path").with(name), errors, null)
                        : reader.readText(v, Loc.of("path").with(name), errors);
            }
            case QUERY:
                return fromTexts(ex.queryParams().get(name), errors);
            case HEADER: {
                List<String> all = ex.headers().getAll(name);
                if (!reader.isMulti() && !all.isEmpty()) {
                    all = List.of(all.getFirst());
                }
                return fromTexts(all.isEmpty() ? null : all, errors);
            }
            case COOKIE: {
                String v = ex.cookies().get(name);
                return fromTexts(v == null ? null : List.of(v), errors);
            }
            case FORM: {
                List<Object> vs = ex.form().get(name);
                List<String> texts = null;
                if (vs != null) {
                    texts = new ArrayList<>(vs.size());
                    for (Object o : vs) {
                        texts.add(o instanceof UploadFile f ? f.filename() : (String) o);
                    }
                }
                return fromTexts(texts, errors);
            }
            case FILE:
                return file(ex, errors);
            case BODY:
                return body(ex, errors);
            case MODEL:
                return model(ex, errors, scopes);
            case DEPENDS:
                return ex.core().dependency(this, ex, errors, scopes);
            case REQUEST:
                return ex;
            case HTTP_REQUEST:
                return ex.raw;
            case RESPONSE:
                return ex.temporal();
            case BACKGROUND:
                return ex;
            case SCOPES:
                return new SecurityScopes(scopes);
            case APP:
                return ex.app;
            case WEBSOCKET:
                if (errors.count() > 0) {
                    return Reader.INVALID; // refused before the handshake
                }
                ex.websocket = dev.spindle.http.websocket.WebSocket.accept(ex.raw, ex.out);
                return ex.websocket;
            default:
                throw new AssertionError(kind);
        }
    }

    private Object fromTexts(List<String> texts, Errors errors) {
        Loc loc = Loc.of(source).with(name);
        if (texts == null || texts.isEmpty()) {
            return absent(loc, errors, null);
        }
        return reader.readTexts(texts, loc, errors);
    }

    private Object absent(Loc loc, Errors errors, Object input) {
        if (required) {
            errors.missing(loc, input);
            return Reader.INVALID;
        }
        return defaultValue;
    }

    private Object file(Exchange ex, Errors errors) {
        List<Object> vs = ex.form().get(name);
        Loc loc = Loc.of("body").with(name);
        List<Object> files = new ArrayList<>();
        if (vs != null) {
            for (Object o : vs) {
                if (o instanceof UploadFile f) {
                    files.add(fileBytes ? f.bytes() : f);
                } else {
                    errors.add(
                            "value_error",
                            loc,
                            "Value error, Expected UploadFile, received: "
                                    + o.getClass().getSimpleName().replace("String", "str"),
                            o,
                            null);
                    return Reader.INVALID;
                }
            }
        }
        if (files.isEmpty()) {
            if (fileOptional) {
                return fileList ? Optional.of(List.of()) : Optional.empty();
            }
            return absent(loc, errors, null);
        }
        Object v = fileList ? List.copyOf(files) : files.getLast();
        return fileOptional ? Optional.of(v) : v;
    }

    private Object body(Exchange ex, Errors errors) {
        JsonNode body = ex.jsonBody(errors, false);
        if (ex.jsonInvalid()) {
            return Reader.INVALID;
        }
        if (!embedded && !ex.embedBodies) {
            if (body == null) {
                return absent(Loc.of("body"), errors, null);
            }
            return reader.readJson(body, Loc.of("body"), errors);
        }
        Loc loc = Loc.of("body").with(name);
        JsonNode v = body != null && body.isObject() ? body.get(name) : null;
        if (v == null) {
            return absent(loc, errors, body != null && body.isObject() ? body : null);
        }
        if (v.isNull() && !required) {
            return defaultValue;
        }
        return reader.readJson(v, loc, errors);
    }

    private Object model(Exchange ex, Errors errors, List<String> scopes) throws Throwable {
        Object[] args = new Object[modelFields.length];
        int before = errors.count();
        for (int i = 0; i < args.length; i++) {
            args[i] = modelFields[i].resolve(ex, errors, scopes);
        }
        if (errors.count() != before) {
            return Reader.INVALID;
        }
        return model.construct(args, Loc.of(source), errors);
    }

    /** Unwraps a {@link Yield}, registering its teardown. */
    static Object unwrapYield(Object v, Exchange ex) {
        if (v instanceof Yield<?> y) {
            if (ex.teardowns == null) {
                ex.teardowns = new ArrayList<>(2);
            }
            ex.teardowns.add(y.teardown());
            return y.value();
        }
        return v;
    }

    @Override
    public String toString() {
        return kind + " " + name;
    }

    /** Metadata of the source annotation, by attribute name ("description"...), or "". */
    public String metaString(String attribute) {
        if (meta == null) {
            return "";
        }
        try {
            Object v = meta.annotationType().getMethod(attribute).invoke(meta);
            return v instanceof String s ? s : "";
        } catch (ReflectiveOperationException e) {
            return "";
        }
    }

    public boolean metaFlag(String attribute, boolean fallback) {
        if (meta == null) {
            return fallback;
        }
        try {
            return (Boolean) meta.annotationType().getMethod(attribute).invoke(meta);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return fallback;
        }
    }
}
