package dev.spindle.task;

import static dev.spindle.Spindle.await;
import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.test.TestLoop.runTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.loop.Loop;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void spawnedTaskReturnsItsResultAndHasAName() {
        run(() -> {
            Task<Integer> t = spawn("adder", () -> 40 + 2);
            assertEquals("adder", t.name());
            assertFalse(t.isDone()); // a task starts in a later pass
            assertEquals(42, t.await());
            assertTrue(t.isDone());
            assertEquals(42, t.result());
            assertNull(t.exception());
            Task<Integer> unnamed = spawn(() -> 1);
            assertTrue(unnamed.name().startsWith("Task-"), unnamed.name());
            unnamed.await();
        });
    }

    @Test
    void awaitRethrowsACheckedExceptionUnchanged() {
        runTest(() -> {
            IOException boom = new IOException("no route");
            Task<Void> t = spawn(() -> {
                sleep(Duration.ofMillis(1));
                throw boom;
            });
            Exception e = assertThrows(Exception.class, t::await);
            assertSame(boom, e);
            assertSame(boom, t.exception());
            assertTrue(t.isFailed());
        });
    }

    @Test
    void resultOfAPendingFutureIsAClearError() {
        run(() -> {
            LoopFuture<String> f = new LoopFuture<>();
            IllegalStateException e = assertThrows(IllegalStateException.class, f::result);
            assertTrue(e.getMessage().contains("no result yet"), e.getMessage());
            f.setResult("x");
            assertThrows(IllegalStateException.class, () -> f.setResult("y"));
            assertThrows(
                    UnsupportedOperationException.class, () -> Task.current().setResult(null));
        });
    }

    @Test
    void aTaskCannotAwaitItself() {
        run(() -> {
            Task<?> self = Task.current();
            IllegalStateException e = assertThrows(IllegalStateException.class, self::await);
            assertTrue(e.getMessage().contains("itself"));
        });
    }

    @Test
    void taskCancelledBeforeItStartsNeverRuns() {
        run(() -> {
            boolean[] ran = {false};
            Task<Void> t = spawn(() -> {
                ran[0] = true;
            });
            assertTrue(t.cancel("too late"));
            Cancelled c = assertThrows(Cancelled.class, t::await);
            assertEquals("too late", c.getMessage());
            assertTrue(t.isCancelled());
            assertFalse(ran[0]);
        });
    }

    @Test
    void cancelWakesASleepingTaskAndRunsItsFinallyBlock() {
        run(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> t = spawn(() -> {
                try {
                    events.add("sleeping");
                    sleep(Duration.ofHours(1));
                    events.add("woke normally");
                } catch (Cancelled c) {
                    events.add("cancelled: " + c.getMessage());
                    throw c;
                } finally {
                    events.add("finally");
                }
            });
            sleep(Duration.ZERO);
            t.cancel("stop");
            assertThrows(Cancelled.class, t::await);
            assertEquals(List.of("sleeping", "cancelled: stop", "finally"), events);
            assertFalse(t.cancel(), "cancelling a done task returns false");
        });
    }

    @Test
    void cancelInterruptsAJdkSleep() {
        run(() -> {
            Task<Void> t = spawn(() -> Thread.sleep(Duration.ofHours(1)));
            sleep(Duration.ofMillis(5));
            t.cancel();
            assertThrows(Cancelled.class, t::await);
            assertTrue(t.isCancelled());
        });
    }

    @Test
    void cancelWakesABlockingQueueTakeAndALock() {
        run(() -> {
            BlockingQueue<String> q = new ArrayBlockingQueue<>(1);
            ReentrantLock lock = new ReentrantLock();
            Thread holder = Thread.ofPlatform().start(() -> {
                lock.lock();
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException ignored) {
                    // released early below
                } finally {
                    lock.unlock();
                }
            });
            Task<String> taker = spawn(q::take);
            Task<Void> locker = spawn(() -> {
                while (!lock.isLocked()) {
                    sleep(Duration.ofMillis(1));
                }
                lock.lockInterruptibly();
                lock.unlock();
            });
            sleep(Duration.ofMillis(20));
            taker.cancel();
            locker.cancel();
            assertThrows(Cancelled.class, taker::await);
            assertThrows(Cancelled.class, locker::await);
            holder.interrupt();
            holder.join();
            assertTrue(q.offer("still usable"), "nothing was taken by the cancelled taker");
        });
    }

    @Test
    void cancelWakesABlockingSocketReadAndTheSocketIsClosed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            run(() -> {
                Socket[] client = new Socket[1];
                Task<Integer> reader = spawn(() -> {
                    client[0] = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                    InputStream in = client[0].getInputStream();
                    return in.read(); // the server never writes
                });
                Socket accepted = Spindle_toThread(server::accept);
                while (client[0] == null) { // connected, but the reader may not have run on since
                    sleep(Duration.ofMillis(1));
                }
                sleep(Duration.ofMillis(20));
                reader.cancel("give up");
                Cancelled c = assertThrows(Cancelled.class, reader::await);
                assertEquals("give up", c.getMessage());
                assertTrue(client[0].isClosed(), "the JDK closes a socket whose blocking read is interrupted");
                accepted.close();
            });
        }
    }

    private static <T> T Spindle_toThread(java.util.concurrent.Callable<T> work) {
        return dev.spindle.Spindle.toThread(work);
    }

    @Test
    void cancellingATaskThatAwaitsAnotherCancelsTheAwaitedOneToo() {
        runTest(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> inner = spawn(() -> {
                try {
                    sleep(Duration.ofHours(1));
                } finally {
                    events.add("inner finally");
                }
            });
            Task<Void> outer = spawn(() -> {
                try {
                    inner.await();
                } finally {
                    events.add("outer finally");
                }
            });
            sleep(Duration.ofMillis(1));
            outer.cancel();
            assertThrows(Cancelled.class, outer::await);
            assertTrue(inner.isCancelled());
            assertEquals(List.of("inner finally", "outer finally"), events, "outer waits for inner to finish");
        });
    }

    @Test
    void shieldKeepsTheAwaitedTaskRunning() {
        runTest(() -> {
            Task<String> inner = spawn(() -> {
                sleep(Duration.ofMillis(20));
                return "saved";
            });
            Task<String> outer = spawn(() -> Spindle_shield(inner).await());
            sleep(Duration.ofMillis(1));
            outer.cancel();
            assertThrows(Cancelled.class, outer::await);
            assertEquals("saved", inner.await());
        });
    }

    private static <T> LoopFuture<T> Spindle_shield(LoopFuture<T> f) {
        return dev.spindle.Spindle.shield(f);
    }

    @Test
    void aTaskThatCatchesCancelledCanUncancelAndFinishNormally() {
        runTest(() -> {
            Task<String> t = spawn(() -> {
                try {
                    sleep(Duration.ofHours(1));
                    return "slept";
                } catch (Cancelled c) {
                    assertEquals(1, Task.current().cancelling());
                    assertEquals(0, Task.current().uncancel());
                    sleep(Duration.ofMillis(1)); // no longer cancelled
                    return "recovered";
                }
            });
            sleep(Duration.ZERO);
            t.cancel();
            assertEquals("recovered", t.await());
        });
    }

    @Test
    void aCancelRequestedAfterTheLastSuspensionStillCancelsTheTask() {
        run(() -> {
            Task<String> t = spawn(() -> {
                Task.current().cancel(); // the request waits for a suspension point that never comes
                return "returned";
            });
            assertThrows(Cancelled.class, t::await);
            assertTrue(t.isCancelled());
        });
    }

    @Test
    void selfCancelIsDeliveredAtTheNextSuspension() {
        runTest(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> t = spawn(() -> {
                Task.current().cancel("self");
                events.add("still running");
                sleep(Duration.ofMillis(1));
                events.add("never");
            });
            Cancelled c = assertThrows(Cancelled.class, t::await);
            assertEquals("self", c.getMessage());
            assertEquals(List.of("still running"), events);
        });
    }

    @Test
    void cancelFromAnotherThreadIsForwardedToTheLoop() {
        run(() -> {
            Task<Void> t = spawn(() -> sleep(Duration.ofHours(1)));
            sleep(Duration.ZERO);
            Thread.ofPlatform().start(() -> t.cancel("from afar"));
            Cancelled c = assertThrows(Cancelled.class, t::await);
            assertEquals("from afar", c.getMessage());
        });
    }

    @Test
    void interruptingATaskThreadCancelsTheTask() {
        run(() -> {
            Task<Void> t = spawn(() -> sleep(Duration.ofHours(1)));
            sleep(Duration.ZERO);
            t.thread().interrupt();
            assertThrows(Cancelled.class, t::await);
            assertTrue(t.isCancelled());
        });
    }

    @Test
    void doneCallbacksAndAwaitersAreWokenInRegistrationOrderThroughTheLoop() {
        run(() -> {
            List<String> events = new ArrayList<>();
            LoopFuture<String> f = new LoopFuture<>();
            f.addDoneCallback(x -> events.add("callback 1: " + x.result()));
            f.addDoneCallback(x -> events.add("callback 2"));
            Task<Void> waiter = spawn(() -> {
                f.await();
                events.add("awaiter");
            });
            sleep(Duration.ZERO);
            f.setResult("v");
            assertEquals(List.of(), events, "callbacks are scheduled, not run inline");
            waiter.await();
            sleep(Duration.ZERO);
            assertEquals(List.of("callback 1: v", "callback 2", "awaiter"), events);
            List<String> late = new ArrayList<>();
            f.addDoneCallback(x -> late.add("late"));
            sleep(Duration.ZERO);
            assertEquals(List.of("late"), late, "a callback added after completion is still called");
        });
    }

    @Test
    void removeDoneCallbackUnregisters() {
        run(() -> {
            List<String> events = new ArrayList<>();
            LoopFuture<String> f = new LoopFuture<>();
            java.util.function.Consumer<LoopFuture<String>> cb = x -> events.add("called");
            f.addDoneCallback(cb);
            f.addDoneCallback(cb);
            assertEquals(2, f.removeDoneCallback(cb));
            f.setResult("v");
            sleep(Duration.ZERO);
            assertEquals(List.of(), events);
        });
    }

    @Test
    void loopFutureStatesAndCancellation() {
        run(() -> {
            LoopFuture<String> a = new LoopFuture<>();
            assertTrue(a.cancel("nope"));
            assertTrue(a.isCancelled() && a.isDone());
            assertEquals("nope", assertThrows(Cancelled.class, a::result).getMessage());
            assertFalse(a.cancel());
            LoopFuture<String> b = new LoopFuture<>();
            b.setException(new IllegalStateException("bad"));
            assertTrue(b.isFailed());
            assertEquals("bad", b.exception().getMessage());
            assertThrows(IllegalArgumentException.class, () -> new LoopFuture<String>().setException(new Cancelled()));
            assertTrue(new LoopFuture<String>().toString().contains("pending"));
        });
    }

    @Test
    void aPlainThreadCanAwaitATask() throws Exception {
        Loop loop = Loop.create();
        Thread runner = Thread.ofPlatform().start(loop::runForever);
        try {
            CompletableFuture<Task<String>> handoff = new CompletableFuture<>();
            loop.callSoonThreadsafe(() -> handoff.complete(loop.spawn(() -> {
                sleep(Duration.ofMillis(10));
                return "from the loop";
            })));
            Task<String> t = handoff.get(5, TimeUnit.SECONDS);
            assertEquals("from the loop", t.await()); // this thread blocks; the loop runs on
            assertEquals("from the loop", t.toCompletableFuture().get(1, TimeUnit.SECONDS));
        } finally {
            loop.stop();
            runner.join();
            loop.close();
        }
    }

    @Test
    void aCoroutineCanAwaitATaskOfAnotherLoop() throws Exception {
        Loop other = Loop.create();
        Thread runner = Thread.ofPlatform().start(other::runForever);
        try {
            String r = run(() -> {
                CompletableFuture<Task<String>> handoff = new CompletableFuture<>();
                other.callSoonThreadsafe(() -> handoff.complete(other.spawn(() -> {
                    sleep(Duration.ofMillis(10));
                    return "other loop";
                })));
                Task<String> foreign = await(handoff);
                Task<Integer> local = spawn(() -> 7); // our loop stays free while we wait
                String v = foreign.await();
                return v + " " + local.await();
            });
            assertEquals("other loop 7", r);
        } finally {
            other.stop();
            runner.join();
            other.close();
        }
    }

    @Test
    void awaitingOnALoopThreadOutsideACoroutineIsRefused() {
        try (Loop loop = Loop.create()) {
            Throwable[] seen = new Throwable[1];
            LoopFuture<String> f = loop.createFuture();
            loop.callSoon(() -> {
                try {
                    f.await();
                } catch (Throwable e) {
                    seen[0] = e;
                }
                loop.stop();
            });
            loop.runForever();
            assertTrue(seen[0] instanceof IllegalStateException);
            assertTrue(seen[0].getMessage().contains("stop the loop"), seen[0].getMessage());
        }
    }

    @Test
    void completableFutureBridgeCarriesResultsFailuresAndCancellation() {
        run(() -> {
            Task<String> ok = spawn(() -> "ok");
            CompletableFuture<String> cf = ok.toCompletableFuture();
            assertEquals("ok", await(cf));
            Task<String> bad = spawn(() -> {
                throw new IOException("io");
            });
            IOException e = assertThrows(IOException.class, () -> await(bad.toCompletableFuture()));
            assertEquals("io", e.getMessage());
            Task<Void> slow = spawn(() -> sleep(Duration.ofHours(1)));
            slow.toCompletableFuture().cancel(false);
            assertThrows(Cancelled.class, slow::await);
        });
    }

    @Test
    void awaitingACompletableFutureParksOnlyTheCoroutine() {
        List<String> events = run(() -> {
            List<String> ev = new ArrayList<>();
            CompletableFuture<String> cf = new CompletableFuture<>();
            Task<Void> ticker = spawn(() -> {
                for (int i = 0; i < 3; i++) {
                    ev.add("tick " + i);
                    sleep(Duration.ofMillis(1));
                }
                Thread.ofPlatform().start(() -> cf.complete("done"));
            });
            ev.add(await(cf));
            ticker.await();
            return ev;
        });
        assertEquals(List.of("tick 0", "tick 1", "tick 2", "done"), events);
    }

    @Test
    void cancellingATaskThatAwaitsACompletableFutureCancelsTheFuture() {
        run(() -> {
            CompletableFuture<String> cf = new CompletableFuture<>();
            Task<String> t = spawn(() -> await(cf));
            sleep(Duration.ZERO);
            t.cancel();
            assertThrows(Cancelled.class, t::await);
            assertTrue(cf.isCancelled());
        });
    }

    @Test
    void allTasksListsTheLiveTasksOldestFirst() {
        runTest(() -> {
            Task<Void> a = spawn("a", () -> sleep(Duration.ofMillis(5)));
            Task<Void> b = spawn("b", () -> sleep(Duration.ofMillis(5)));
            List<Task<?>> all = Loop.current().allTasks();
            assertEquals(List.of(Task.current(), a, b), all);
            a.await();
            b.await();
            assertEquals(List.of(Task.current()), Loop.current().allTasks());
        });
    }

    @Test
    void manyAwaitersOfOneFutureSomeCancelledTheRestWokenInOrder() {
        // regression: registrations were an array copied on every add, quadratic for many awaiters of one future
        run(() -> {
            int n = 200_000;
            LoopFuture<String> gate = new LoopFuture<>();
            List<Integer> woken = new ArrayList<>(n);
            List<Task<Void>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                tasks.add(spawn(() -> {
                    // waitTasks, unlike await, leaves the future alone when its caller is cancelled
                    Tasks.waitTasks(List.of(gate), ReturnWhen.ALL_COMPLETED);
                    woken.add(k);
                }));
            }
            sleep(Duration.ZERO); // all of them are parked on the gate now
            for (int i = 0; i < n; i += 2) {
                tasks.get(i).cancel(); // every cancelled awaiter withdraws its registration
            }
            sleep(Duration.ZERO);
            gate.setResult("open");
            long cancelled = 0;
            for (Outcome<Void> o : Tasks.gatherOutcomes(tasks)) {
                if (!o.isSuccess()) {
                    cancelled++;
                }
            }
            assertEquals(n / 2, cancelled);
            assertEquals(n / 2, woken.size());
            for (int i = 0; i < woken.size(); i++) {
                assertEquals(2 * i + 1, woken.get(i), "awaiters wake in the order they registered");
            }
        });
    }

    @Test
    void theFirstListenerCanBeWithdrawnBeforeAndAfterASecondArrives() {
        // a future's first listener is held directly, and wrapped when a second one comes: withdrawing it must work
        // in both shapes
        run(() -> {
            List<String> events = new ArrayList<>();
            LoopFuture<String> alone = new LoopFuture<>();
            java.util.function.Consumer<LoopFuture<String>> cb = x -> events.add("withdrawn callback ran");
            alone.addDoneCallback(cb);
            assertEquals(1, alone.removeDoneCallback(cb));
            alone.setResult("a");

            LoopFuture<String> gate = new LoopFuture<>();
            Task<Void> first = spawn(() -> {
                Tasks.waitTasks(List.of(gate), ReturnWhen.ALL_COMPLETED);
                events.add("first woke");
            });
            sleep(Duration.ZERO);
            Task<Void> second = spawn(() -> {
                Tasks.waitTasks(List.of(gate), ReturnWhen.ALL_COMPLETED);
                events.add("second woke");
            });
            sleep(Duration.ZERO);
            first.cancel();
            assertThrows(Cancelled.class, first::await);
            gate.setResult("open");
            second.await();
            sleep(Duration.ZERO);
            assertEquals(List.of("second woke"), events);
        });
    }
}
