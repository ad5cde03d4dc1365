package dev.spindle.laundromat.washes;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.laundromat.live.LiveFeed;
import dev.spindle.laundromat.notify.ReadyQueue;
import dev.spindle.laundromat.store.Store;
import dev.spindle.laundromat.store.Wash;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The laundromat floor: the machines and the washes in them. Each wash is a coroutine that sleeps for its duration
 * (wash time divided by the speed factor), then records the wash as done in MariaDB, queues its ready notification
 * on the Redis stream and frees the machine; every change is pushed to the {@link LiveFeed}.
 *
 * {@snippet :
 * Floor floor = new Floor(store, readyQueue, feed, 10, 60.0);
 * floor.recover();                                  // resume what a previous run left
 * Wash w = floor.start(customerId, Optional.empty(), "cotton", Duration.ofMinutes(30));
 * floor.cancel(customerId, w.id());
 * floor.saveAll();                                  // at shutdown: PAUSED with the time left
 * }
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Loop.</b> Confined to the service's loop (one loop serves HTTP, runs the washes and the workers), so a
 *       machine is chosen and reserved with no suspension in between: two requests cannot take one machine. The
 *       database's unique {@code active_machine} guards against another process.
 *   <li><b>Durability.</b> {@link #start} returns once the wash is committed as RUNNING with its deadline: a crash
 *       after that loses nothing, since {@link #recover} resumes every active wash (a RUNNING one from its stored
 *       deadline, a PAUSED one with its stored remaining time) and re-queues notifications a crash may have lost.
 *   <li><b>Shutdown.</b> {@link #saveAll} cancels the wash coroutines and stores each one PAUSED with its remaining
 *       wash time; one already finishing is waited for.
 * </ul>
 */
public final class Floor {
    private static final System.Logger LOG = System.getLogger(Floor.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Store store;
    private final ReadyQueue ready;
    private final LiveFeed feed;
    private final double speed;
    private final MachineStatus[] machines;
    private final Map<Long, Running> running = new HashMap<>();
    private boolean closed;
    private long finished;

    /** A wash coroutine and what it needs to be saved. */
    private static final class Running {
        final Wash wash;
        final long deadlineMs;
        Task<Void> task;
        boolean finishing;

        Running(Wash wash, long deadlineMs) {
            this.wash = wash;
            this.deadlineMs = deadlineMs;
        }
    }

    public Floor(Store store, ReadyQueue ready, LiveFeed feed, int machines, double speed) {
        this.store = store;
        this.ready = ready;
        this.feed = feed;
        this.speed = speed;
        this.machines = new MachineStatus[machines];
        for (int i = 0; i < machines; i++) {
            this.machines[i] = MachineStatus.free(i + 1);
        }
    }

    /** The machines, by number. */
    public List<MachineStatus> machines() {
        return List.of(machines.clone());
    }

    /** One machine, or empty if there is no such number. */
    public Optional<MachineStatus> machine(int id) {
        return id >= 1 && id <= machines.length ? Optional.of(machines[id - 1]) : Optional.empty();
    }

    /** How many washes run now. */
    public int runningCount() {
        return running.size();
    }

    /** How many washes finished in this process. */
    public long finishedCount() {
        return finished;
    }

    /**
     * Resumes the washes a previous run left active and re-queues lost notifications; call once, before serving.
     *
     * @return how many washes were resumed
     */
    public int recover() {
        long now = System.currentTimeMillis();
        int resumed = 0;
        for (Wash w : store.activeWashes()) {
            if (w.machineId() > machines.length || machines[w.machineId() - 1].washId() != null) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "wash " + w.id() + " is on machine " + w.machineId()
                                + ", which this run does not have or has taken; left as it is");
                continue;
            }
            long leftReal = w.state().equals(Wash.PAUSED)
                    ? Math.round(w.remainingMs() / speed)
                    : Math.max(0, w.deadlineMs() - now);
            long deadline = now + leftReal;
            store.resume(w.id(), deadline);
            launch(w, deadline, Math.max(leftReal, Math.round(w.durationMs() / speed)));
            resumed++;
        }
        for (Wash w : store.unnotified()) {
            ready.publish(w);
            store.markNotified(w.id());
        }
        return resumed;
    }

    /**
     * Queues the ready notifications of washes that finished over {@code seconds} ago but whose XADD failed (Redis
     * away at that moment); the service calls it every half minute. A duplicate entry is harmless: the consumers
     * record each wash once.
     *
     * @return how many were queued
     */
    public int requeueUnnotified(int seconds) {
        int n = 0;
        for (Wash w : store.unnotifiedFor(seconds)) {
            ready.publish(w);
            store.markNotified(w.id());
            n++;
        }
        return n;
    }

    /**
     * Starts a wash on {@code machine} (or the first free one): reserves the machine, commits the wash, starts its
     * coroutine.
     *
     * @throws WashError.NoFreeMachine if none is free
     * @throws WashError.MachineBusy if the machine asked for is busy or does not exist
     * @throws IllegalStateException after {@link #saveAll}
     */
    public Wash start(long customerId, Optional<Integer> machine, String program, Duration duration) {
        if (closed) {
            throw new IllegalStateException("the laundromat is closing");
        }
        int index;
        if (machine.isPresent()) {
            int m = machine.get();
            if (m < 1 || m > machines.length || machines[m - 1].washId() != null) {
                throw new WashError.MachineBusy(m);
            }
            index = m - 1;
        } else {
            index = -1;
            for (int i = 0; i < machines.length; i++) {
                if (machines[i].washId() == null) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                throw new WashError.NoFreeMachine();
            }
        }
        // reserve it before the first suspension, so no other request takes it meanwhile
        long realMs = Math.max(1, Math.round(duration.toMillis() / speed));
        long deadline = System.currentTimeMillis() + realMs;
        machines[index] = new MachineStatus(
                index + 1, machines[index].name(), MachineStatus.WASHING, -1L, program, deadline, realMs);
        Optional<Wash> stored;
        try {
            stored = store.startWash(customerId, index + 1, program, duration.toMillis(), deadline);
        } catch (RuntimeException | Error e) {
            machines[index] = MachineStatus.free(index + 1);
            throw e;
        }
        if (stored.isEmpty()) {
            machines[index] = MachineStatus.free(index + 1);
            throw new WashError.MachineBusy(index + 1);
        }
        launch(stored.get(), deadline, realMs);
        return stored.get();
    }

    /**
     * Cancels a customer's active wash and frees its machine.
     *
     * @return the wash as stored afterwards (CANCELLED)
     * @throws WashError.NotFound if the customer has no such wash
     * @throws WashError.NotActive if it is over already
     */
    public Wash cancel(long customerId, long washId) {
        Wash w = store.wash(washId)
                .filter(x -> x.customerId() == customerId)
                .orElseThrow(() -> new WashError.NotFound(washId));
        Running r = running.get(washId);
        if (r != null && r.finishing) {
            throw new WashError.NotActive(washId, "finishing");
        }
        long leftMs = r == null ? w.remainingMs() : remainingWashMs(r);
        if (!store.cancel(washId, leftMs)) {
            throw new WashError.NotActive(
                    washId, store.wash(washId).map(Wash::state).orElse("gone"));
        }
        if (r != null) {
            running.remove(washId);
            r.task.cancel("cancelled by its customer");
            free(w.machineId());
        }
        return store.wash(washId).orElseThrow();
    }

    /** Stops every wash coroutine and saves each wash PAUSED with its remaining time; no start is taken after. */
    public void saveAll() {
        closed = true;
        for (Running r : new ArrayList<>(running.values())) {
            if (r.finishing) {
                try {
                    r.task.await();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "wash " + r.wash.id() + " failed while finishing", e);
                }
                continue;
            }
            r.task.cancel("shutdown");
            long left = remainingWashMs(r);
            try {
                store.pause(r.wash.id(), left);
            } catch (RuntimeException e) {
                // still RUNNING in the database with its deadline: the next start resumes it from there
                LOG.log(System.Logger.Level.WARNING, "could not save wash " + r.wash.id(), e);
            }
        }
        for (Running r : new ArrayList<>(running.values())) {
            try {
                r.task.await();
            } catch (Cancelled expected) {
                // how a stopped wash ends
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "wash " + r.wash.id() + " ended with", e);
            }
        }
        running.clear();
    }

    private long remainingWashMs(Running r) {
        return Math.max(0, Math.round((r.deadlineMs - System.currentTimeMillis()) * speed));
    }

    private void launch(Wash w, long deadline, long totalRealMs) {
        int index = w.machineId() - 1;
        machines[index] = new MachineStatus(
                w.machineId(),
                machines[index].name(),
                MachineStatus.WASHING,
                w.id(),
                w.program(),
                deadline,
                totalRealMs);
        Running r = new Running(w, deadline);
        running.put(w.id(), r);
        r.task = spawn("wash-" + w.id(), () -> {
            sleep(Duration.ofMillis(Math.max(0, deadline - System.currentTimeMillis())));
            r.finishing = true;
            finish(r);
        });
        publish(machines[index]);
    }

    private void finish(Running r) {
        Wash w = r.wash;
        boolean done;
        try {
            done = store.finish(w.id());
        } finally {
            // emptied before the notification goes out, so a customer told "ready" finds the machine free
            running.remove(w.id());
            finished++;
            free(w.machineId());
        }
        if (done) {
            // a failure here leaves the wash DONE but not notified: the next start queues it (recover)
            ready.publish(w);
            store.markNotified(w.id());
        }
    }

    private void free(int machine) {
        machines[machine - 1] = MachineStatus.free(machine);
        publish(machines[machine - 1]);
    }

    private void publish(MachineStatus m) {
        try {
            feed.publish(JSON.writeValueAsString(Map.of("type", "machine", "machine", m)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
