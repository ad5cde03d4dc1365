package dev.spindle.io.tls;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.io.tls.TlsIo.readLine;
import static dev.spindle.io.tls.TlsIo.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.internal.TlsTransport;
import dev.spindle.task.Task;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Until a handshake has completed in the JVM, the engine's delegated tasks (the first of which initialise the JDK's
 * crypto, about a second on a cold JVM) run on a worker thread, not on the loop; afterwards they run inline, as
 * cheap CPU work. The JVM-wide "warm" flag is reset by reflection to play a cold JVM.
 */
@Isolated // the flag is JVM-wide
@Timeout(60)
class ColdHandshakeTest {
    private static void setWarm(boolean warm) throws ReflectiveOperationException {
        Field f = TlsTransport.class.getDeclaredField("warm");
        f.setAccessible(true);
        f.setBoolean(null, warm);
    }

    private static List<Thread> handshakeAndTalk() {
        return run(() -> {
            MemoryTransport[] raw = MemoryTransport.pair();
            StrictEngine engine = new StrictEngine(TestCerts.client().newEngine("localhost", 443));
            Task<TlsTransport> server = spawn(() -> TlsTransport.server(raw[1], TestCerts.server()));
            TlsTransport client = TlsTransport.handshake(raw[0], engine, null);
            TlsTransport s = server.await();
            write(client, "after the handshake\n");
            assertEquals("after the handshake\n", readLine(s), "the connection works either way");
            client.close();
            s.close();
            assertFalse(engine.taskThreads.isEmpty(), "the JDK's engine delegated certificate checks");
            return List.copyOf(engine.taskThreads);
        });
    }

    @Test
    void aColdJvmsFirstHandshakeRunsItsDelegatedTasksOffTheLoopAndLaterOnesInline() throws Exception {
        // Inline means in the handshaking coroutine, a virtual thread on the loop; a worker is a platform thread.
        setWarm(false);
        try {
            List<Thread> cold = handshakeAndTalk();
            assertTrue(cold.stream().noneMatch(Thread::isVirtual), "cold: every task ran on a worker, " + cold);
            List<Thread> warm = handshakeAndTalk();
            assertTrue(warm.stream().allMatch(Thread::isVirtual), "warm: every task ran in the coroutine, " + warm);
        } finally {
            setWarm(true);
        }
    }
}
