package dev.spindle.observe;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.spindle.observe.internal.Diagnostics;
import java.io.IOException;
import java.io.PrintStream;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The task tree of another running JVM, from the command line: Spindle's {@code python -m asyncio ps/pstree PID}.
 * Shipped as {@code spindle-core/bin/spindle-ps}.
 *
 * <pre>
 * spindle-ps 12345            # one line per task: loop, id, name, state, parent, group, what it waits on, where
 * spindle-ps --tree 12345     # the task tree, with a few frames of each stack
 * spindle-ps --json 12345     # everything, stacks whole, as JSON
 * java -cp spindle-core.jar dev.spindle.observe.SpindlePs --tree 12345   # the same without the script
 * </pre>
 *
 * <h2>How</h2>
 * Like {@code jcmd}: the JDK's attach API reaches the process (same user, same machine), starts its local JMX agent
 * (local connections only; nothing listens on the network), and calls Spindle's MBean {@code dev.spindle:type=Tasks},
 * creating it first if the application has not (by class name, so Spindle must be on the process's system class path;
 * otherwise register it in the application with {@link #registerMBean()} or {@code -Dspindle.jmx=true}). The process
 * pays nothing until someone attaches; a dump then costs it what {@link TaskDump} says. The dump works while a loop is
 * stuck in a step: that loop's tree is then read racily, and marked so.
 *
 * <h2>Exit codes</h2>
 * 0: printed; 1: the process could not be reached or has no Spindle; 2: bad arguments.
 */
public final class SpindlePs {
    private SpindlePs() {}

    /** Registers the MBean the tool reads, in this JVM's platform MBean server (idempotent). */
    public static void registerMBean() {
        Diagnostics.register();
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** {@link #main} without exiting: returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String operation = "dumpTable";
        String pid = null;
        for (String a : args) {
            switch (a) {
                case "--tree", "pstree" -> operation = "dumpTree";
                case "--json", "json" -> operation = "dumpJson";
                case "--table", "ps" -> operation = "dumpTable";
                case "-h", "--help" -> {
                    out.println(usage());
                    return 0;
                }
                default -> {
                    if (pid != null || !a.matches("[0-9]+")) {
                        err.println("spindle-ps: unexpected argument '" + a + "'\n" + usage());
                        return 2;
                    }
                    pid = a;
                }
            }
        }
        if (pid == null) {
            err.println(usage());
            return 2;
        }
        try {
            out.print(dump(pid, operation));
            out.flush();
            return 0;
        } catch (AttachNotSupportedException | IOException e) {
            err.println("spindle-ps: cannot attach to process " + pid + ": " + e.getMessage()
                    + " (is it a JVM of this user, on this machine, started without -XX:+DisableAttachMechanism?)");
            return 1;
        } catch (JMException e) {
            err.println("spindle-ps: process " + pid + " did not answer as a Spindle process: " + e
                    + "\n  Spindle must be on its system class path, or the application must call"
                    + " SpindlePs.registerMBean() (or run with -Dspindle.jmx=true)");
            return 1;
        }
    }

    private static String usage() {
        return "usage: spindle-ps [--table | --tree | --json] <pid>";
    }

    private static String dump(String pid, String operation)
            throws AttachNotSupportedException, IOException, JMException {
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            String address = vm.startLocalManagementAgent();
            try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection server = c.getMBeanServerConnection();
                ObjectName name = new ObjectName(Diagnostics.NAME);
                if (!server.isRegistered(name)) {
                    try {
                        server.createMBean(Diagnostics.class.getName(), name);
                    } catch (javax.management.InstanceAlreadyExistsException raced) {
                        // another spindle-ps did it meanwhile
                    }
                }
                return (String) server.invoke(name, operation, null, null);
            }
        } finally {
            vm.detach();
        }
    }
}
