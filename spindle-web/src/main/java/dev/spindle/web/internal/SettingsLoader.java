package dev.spindle.web.internal;

import dev.spindle.web.settings.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads a settings record from variables (see {@link Settings}). */
public final class SettingsLoader {
    private SettingsLoader() {}

    public static <R extends Record> R load(Class<R> type, Map<String, String> env, Path envFile, String prefix) {
        Map<String, String> vars = new HashMap<>();
        if (envFile != null && Files.isRegularFile(envFile)) {
            vars.putAll(parseDotEnv(envFile));
        }
        env.forEach((k, v) -> vars.put(k.toUpperCase(Locale.ROOT), v));
        ModelInfo model = ModelInfo.of(type);
        Errors errors = new Errors();
        Object[] args = new Object[model.components.size()];
        for (int i = 0; i < args.length; i++) {
            ModelInfo.Component c = model.components.get(i);
            String name = (prefix + c.jsonName).toUpperCase(Locale.ROOT);
            String v = vars.get(name);
            Loc loc = Loc.of(name);
            if (v == null) {
                if (c.required) {
                    errors.missing(loc, null);
                } else {
                    args[i] = c.defaultValue;
                }
                continue;
            }
            if (c.reader.isMulti()
                    || c.reader instanceof Readers.MapReader
                    || c.reader instanceof Readers.ModelReader) {
                try {
                    args[i] = c.reader.readJson(Json.MAPPER.readTree(v), loc, errors);
                } catch (IOException e) {
                    errors.add("json_invalid", loc, "Invalid JSON", v, null);
                }
            } else {
                args[i] = c.reader.readText(v, loc, errors);
            }
        }
        Object r = errors.isEmpty() ? model.construct(args, Loc.of(type.getSimpleName()), errors) : Reader.INVALID;
        if (!errors.isEmpty()) {
            throw new Settings.SettingsError(type.getSimpleName(), errors.list());
        }
        return type.cast(r);
    }

    static Map<String, String> parseDotEnv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> out = new HashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip().toUpperCase(Locale.ROOT);
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2
                    && (value.startsWith("\"") && value.endsWith("\"")
                            || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
                if (raw.contains("\"")) {
                    value = value.replace("\\n", "\n").replace("\\\"", "\"");
                }
            } else {
                int hash = value.indexOf(" #");
                if (hash >= 0) {
                    value = value.substring(0, hash).strip();
                }
            }
            out.put(key, value);
        }
        return out;
    }
}
