package dev.spindle.loop.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.concurrent.Executor;

/**
 * The one class that reaches into {@code java.lang}: it builds virtual threads whose scheduler is a Spindle loop,
 * and tells which platform thread is carrying the current code. It also makes sure the JDK's own I/O poller
 * threads are started outside any loop (see {@link #startJdkPollersOnTheDefaultScheduler()}).
 *
 * <p>The JDK only exposes a custom virtual-thread scheduler through the package-private constructor
 * {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)}; reaching it needs the JVM flag
 * {@value #FLAG}. Without the flag, {@link #check()} fails with a message that says where to put it.
 */
public final class Carrier {
    /** The JVM flag Spindle needs. */
    public static final String FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";

    private static final Constructor<?> BUILDER;
    private static final MethodHandle CURRENT_CARRIER;
    private static final RuntimeException UNAVAILABLE;

    static {
        Constructor<?> builder = null;
        MethodHandle currentCarrier = null;
        RuntimeException unavailable = null;
        try {
            Class<?> type = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            builder = type.getDeclaredConstructor(Executor.class);
            builder.setAccessible(true);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            currentCarrier =
                    lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
        } catch (RuntimeException | ReflectiveOperationException e) {
            unavailable = new IllegalStateException(missingFlagMessage(), e);
            builder = null;
            currentCarrier = null;
        }
        BUILDER = builder;
        CURRENT_CARRIER = currentCarrier;
        UNAVAILABLE = unavailable;
        if (unavailable == null) {
            startJdkPollersOnTheDefaultScheduler();
        }
    }

    /**
     * A virtual thread created without an explicit scheduler inherits the scheduler of the virtual thread that
     * creates it. The JDK starts its I/O poller threads (virtual threads) lazily, on the first blocking socket
     * operation of a virtual thread; if that happened inside a coroutine, the pollers would belong to that loop
     * and die with it, and every later socket operation in the JVM would hang. So initialize them here, from a
     * platform thread, before any coroutine exists.
     */
    private static void startJdkPollersOnTheDefaultScheduler() {
        // Not a lambda: its body would be a static method of this class, still being initialized here.
        Thread t = Thread.ofPlatform().daemon().name("spindle-poller-init").start(new PollerStarter());
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Carrier() {}

    static String missingFlagMessage() {
        return "Spindle runs coroutines as virtual threads scheduled by its own loop, which needs the JVM flag\n"
                + "    " + FLAG + "\n"
                + "Add it in one of these places:\n"
                + "  - the java command line:   java " + FLAG + " -cp ... Main\n"
                + "  - the environment:         export JDK_JAVA_OPTIONS='" + FLAG + "'\n"
                + "  - an executable jar:       manifest attribute 'Add-Opens: java.base/java.lang'\n"
                + "  - Maven Surefire/Failsafe: <argLine>" + FLAG + "</argLine>\n"
                + "  - Gradle:                  applicationDefaultJvmArgs / test { jvmArgs '" + FLAG + "' }\n"
                + "(This JVM is " + System.getProperty("java.vm.name") + " " + Runtime.version()
                + "; Spindle needs JDK 25 or newer.)";
    }

    private static final class PollerStarter implements Runnable {
        @Override
        public void run() {
            try {
                Class.forName("sun.nio.ch.Poller", true, null);
            } catch (ClassNotFoundException | LinkageError e) {
                // another JDK layout: nothing to prepare
            }
        }
    }

    /** The one field of the JDK's continuation runnable: its virtual thread (see {@link #virtualThreadOf}). */
    private static volatile Field continuationThread;

    /**
     * The virtual thread whose continuation {@code r} is, as handed to a loop's {@code execute}; {@code null} for
     * anything else (a callback, a reaction) or if this JDK's continuation has another shape. JDK 25 hands the
     * scheduler {@code VirtualThread::runContinuation}, a method reference whose only captured value is the thread.
     * Only observers call this (debug mode, the stall watchdog, task dumps), never the hot path; the field is found
     * once, by reflection (allowed by the flag Spindle needs anyway).
     */
    public static Thread virtualThreadOf(Runnable r) {
        if (r == null || r instanceof CallbackHandle || UNAVAILABLE != null) {
            return null;
        }
        Field f = continuationThread;
        if (f == null && (f = findThreadField(r.getClass())) == null) {
            return null;
        }
        if (r.getClass() != f.getDeclaringClass()) {
            return null;
        }
        try {
            return (Thread) f.get(r);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    private static synchronized Field findThreadField(Class<?> type) {
        if (continuationThread != null) {
            return continuationThread;
        }
        if (!type.getName().startsWith("java.lang.VirtualThread$$Lambda")) {
            return null; // not a continuation: look again at the next one
        }
        Field[] fields = type.getDeclaredFields();
        if (fields.length != 1 || !Thread.class.isAssignableFrom(fields[0].getType())) {
            return null;
        }
        try {
            fields[0].setAccessible(true);
        } catch (RuntimeException e) {
            return null;
        }
        return continuationThread = fields[0];
    }

    /** Fails with a message naming the missing JVM flag, if Spindle cannot create its virtual threads. */
    public static void check() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(UNAVAILABLE.getMessage(), UNAVAILABLE.getCause());
        }
    }

    /** A builder of virtual threads whose continuations are handed to {@code scheduler}. */
    public static Thread.Builder.OfVirtual virtualThreadBuilder(Executor scheduler) {
        check();
        try {
            return (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual thread builder", e);
        }
    }

    /**
     * The platform thread running the current code: the carrier of the current virtual thread, or the current
     * thread itself when it is a platform thread.
     */
    public static Thread currentCarrier() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
