package dev.spindle.web.settings;

import dev.spindle.web.ErrorDetail;
import dev.spindle.web.internal.SettingsLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Settings read from environment variables and a {@code .env} file into a record (pydantic-settings'
 * {@code BaseSettings}): each component is the variable of its name in upper case (with a prefix if given), matched
 * without regard to case, converted and validated like a query parameter, with {@link dev.spindle.web.params.Default}
 * and {@code Optional} for what may be absent. Environment variables win over the file.
 *
 * {@snippet :
 * record AppSettings(@Default("Awesome API") String appName, String adminEmail, @Default("50") @Max(1000) int itemsPerUser) {}
 *
 * AppSettings settings = Settings.load(AppSettings.class);               // ADMINEMAIL=... or .env
 * AppSettings other = Settings.load(AppSettings.class, Path.of("prod.env"), "MYAPP_");
 * }
 *
 * <p>Every problem is reported at once in a {@link SettingsError}, as pydantic does. A {@code .env} line is
 * {@code NAME=value}, optionally {@code export}ed, the value optionally quoted; {@code #} starts a comment.
 */
public final class Settings {
    private Settings() {}

    /** Reads {@code type} from the environment and {@code .env} in the working directory (if present). */
    public static <R extends Record> R load(Class<R> type) {
        return load(type, Path.of(".env"), "");
    }

    /** Reads {@code type} from the environment and {@code envFile} (if present), names prefixed by {@code prefix}. */
    public static <R extends Record> R load(Class<R> type, Path envFile, String prefix) {
        return SettingsLoader.load(type, System.getenv(), envFile, prefix);
    }

    /** Reads {@code type} from {@code variables} alone (tests). */
    public static <R extends Record> R from(Class<R> type, Map<String, String> variables, String prefix) {
        return SettingsLoader.load(type, variables, null, prefix);
    }

    /** Settings that could not be read: every error found. */
    public static final class SettingsError extends IllegalStateException {
        private final List<ErrorDetail> errors;

        public SettingsError(String type, List<ErrorDetail> errors) {
            super(errors.size() + " validation error" + (errors.size() == 1 ? "" : "s") + " for " + type + ": "
                    + errors.stream().map(e -> e.loc() + " " + e.msg()).toList());
            this.errors = List.copyOf(errors);
        }

        public List<ErrorDetail> errors() {
            return errors;
        }
    }
}
