package dev.spindle.observe.internal;

import dev.spindle.observe.TaskDump;
import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Not API: Spindle's MBean, {@code dev.spindle:type=Tasks}, through which {@code SpindlePs} reads a process's tasks.
 * Not registered by default (the platform MBean server costs a JVM tens of milliseconds to start): the tool creates it
 * remotely by class name when it attaches, or the application registers it ({@code SpindlePs.registerMBean()}, or
 * {@code -Dspindle.jmx=true}).
 */
public final class Diagnostics implements DiagnosticsMBean {
    public static final String NAME = "dev.spindle:type=Tasks";

    /** For the MBean server's {@code createMBean}. */
    public Diagnostics() {}

    /** Registers the MBean in the platform MBean server, unless it is there already. */
    public static void register() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(NAME);
            if (!server.isRegistered(name)) {
                server.registerMBean(new Diagnostics(), name);
            }
        } catch (InstanceAlreadyExistsException raced) {
            // registered meanwhile
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + NAME, e);
        }
    }

    @Override
    public String dumpTree() {
        return TaskDump.all().toText();
    }

    @Override
    public String dumpTable() {
        return TaskDump.all().toTable();
    }

    @Override
    public String dumpJson() {
        return TaskDump.all().toJson();
    }
}
