import dev.spindle.Spindle;
import dev.spindle.http.websocket.WebSocket;
import dev.spindle.http.websocket.WebSocketClient;
import dev.spindle.http.websocket.WebSocketOptions;
import dev.spindle.task.Task;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The load client: CONNECTIONS WebSockets, each sending a SIZE-byte binary message and waiting for its echo, over
 * and over; counts the echoes of the measured window, and the server process's user+system CPU time over it (from
 * /proc/PID/stat). java WsLoad.java URI CONNECTIONS SIZE WARMUP_S MEASURE_S SERVER_PID CLK_TCK
 * Prints "messages=N seconds=S cpu_seconds=C".
 */
public class WsLoad {
    /** utime + stime of a process and its threads, in clock ticks (fields 14 and 15, after the command's ")"). */
    static long cpuTicks(String pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static volatile boolean measuring;
    static volatile boolean stop;

    public static void main(String[] args) {
        URI uri = URI.create(args[0]);
        int connections = Integer.parseInt(args[1]);
        byte[] payload = new byte[Integer.parseInt(args[2])];
        long warmup = Long.parseLong(args[3]);
        long measure = Long.parseLong(args[4]);
        long[] counts = new long[connections];
        String pid = args[5];
        double tick = Double.parseDouble(args[6]);
        WebSocketOptions o = WebSocketOptions.builder().compression(false).pingInterval(Duration.ZERO).build();
        Spindle.run(() -> {
            List<WebSocket> sockets = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                sockets.add(WebSocketClient.connect(uri, o));
            }
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                WebSocket ws = sockets.get(i);
                int id = i;
                tasks.add(Spindle.spawn(() -> {
                    while (!stop) {
                        ws.send(payload);
                        ws.receive();
                        if (measuring) {
                            counts[id]++;
                        }
                    }
                }));
            }
            Spindle.sleep(Duration.ofSeconds(warmup));
            System.out.println("measure-start");
            long cpu0 = cpuTicks(pid);
            measuring = true;
            long t0 = System.nanoTime();
            Spindle.sleep(Duration.ofSeconds(measure));
            measuring = false;
            long t1 = System.nanoTime();
            long cpu1 = cpuTicks(pid);
            System.out.println("measure-end");
            stop = true;
            for (Task<Void> t : tasks) {
                t.await();
            }
            for (WebSocket ws : sockets) {
                ws.close();
            }
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            System.out.printf(
                    "messages=%d seconds=%.3f cpu_seconds=%.3f%n", total, (t1 - t0) / 1e9, (cpu1 - cpu0) / tick);
        });
    }
}
