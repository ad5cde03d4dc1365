package dev.spindle.web.internal;

import dev.spindle.web.App;
import java.util.function.Function;

/** How the internals reach an {@link App}'s compiled core without making it public API (installed by App). */
public final class AppAccess {
    private static volatile Function<App, AppCore> core;

    private AppAccess() {}

    public static void install(Function<App, AppCore> accessor) {
        core = accessor;
    }

    static AppCore core(App app) {
        Function<App, AppCore> f = core;
        if (f == null) {
            try {
                Class.forName(App.class.getName(), true, App.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            f = core;
        }
        return f.apply(app);
    }
}
