package dev.spindle.gen;

import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.Spindle;
import dev.spindle.loop.internal.Carrier;
import dev.spindle.task.Cancelled;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GeneratorTest {

    /** A producer that logs around each yield, so that the log shows exactly when it runs. */
    private static Generator<Integer> logged(List<String> log, int n) {
        return Generator.of(out -> {
            log.add("start");
            for (int i = 0; i < n; i++) {
                log.add("yield " + i);
                out.yield(i);
                log.add("resumed " + i);
            }
            log.add("end");
        });
    }

    private static List<String> consumeLogged(List<String> log) {
        Generator<Integer> g = logged(log, 2);
        log.add("created");
        for (int v : g) {
            log.add("got " + v);
        }
        log.add("done");
        return log;
    }

    private static final List<String> ON_DEMAND = List.of(
            "created", "start", "yield 0", "got 0", "resumed 0", "yield 1", "got 1", "resumed 1", "end", "done");

    // ---- on demand, on which thread ------------------------------------------------------------------------

    @Test
    void onAPlatformThreadTheProducerRunsOnDemandOnTheConsumersThread() {
        List<String> log = consumeLogged(new ArrayList<>());
        assertEquals(ON_DEMAND, log);

        Thread me = Thread.currentThread();
        AtomicReference<Thread> carrier = new AtomicReference<>();
        AtomicBoolean virtual = new AtomicBoolean();
        try (Generator<String> g = Generator.of(out -> {
            carrier.set(Carrier.currentCarrier());
            virtual.set(Thread.currentThread().isVirtual());
            out.yield("x");
        })) {
            assertEquals("x", g.next());
        }
        assertSame(me, carrier.get(), "the consumer's thread carries the producer");
        assertTrue(virtual.get());
    }

    @Test
    void inACoroutineTheProducerRunsOnDemandOnTheLoopThread() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Thread> producerCarrier = new AtomicReference<>();
        Thread loopThread = run(() -> {
            consumeLogged(log);
            try (Generator<Integer> g = Generator.of(out -> {
                producerCarrier.set(Carrier.currentCarrier());
                out.yield(1);
            })) {
                g.next();
            }
            return Carrier.currentCarrier();
        });
        assertEquals(ON_DEMAND, log);
        assertSame(loopThread, producerCarrier.get());
    }

    @Test
    void hasNextRunsTheProducerOnceAndNextTakesThatValue() {
        List<String> log = new ArrayList<>();
        Generator<Integer> g = logged(log, 1);
        assertEquals(Generator.State.CREATED, g.state());
        assertTrue(log.isEmpty(), "nothing runs before the first request");
        assertTrue(g.hasNext());
        assertTrue(g.hasNext());
        assertEquals(List.of("start", "yield 0"), log);
        assertEquals(Generator.State.SUSPENDED, g.state());
        assertEquals(0, g.next());
        assertEquals(List.of("start", "yield 0"), log);
        assertFalse(g.hasNext());
        assertEquals(Generator.State.CLOSED, g.state());
        assertThrows(NoSuchElementException.class, g::next);
    }

    @Test
    void aGeneratorIsIterableOnce() {
        Generator<Integer> g = Generator.of(out -> out.yield(1));
        assertSame(g, g.iterator());
        assertThrows(IllegalStateException.class, g::iterator);
        g.close();
    }

    // ---- send and throwIn ----------------------------------------------------------------------------------

    @Test
    void sendResumesTheYieldWithTheValue() {
        Generator<String> echo = Generator.of(out -> {
            String got = null;
            while (!"stop".equals(got)) {
                got = out.yield("echo " + got);
            }
        });
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> echo.send("too early"));
        assertTrue(early.getMessage().contains("not started"), early.getMessage());
        assertEquals(Generator.State.CREATED, echo.state());
        assertEquals("echo null", echo.send(null));
        assertEquals("echo a", echo.send("a"));
        assertEquals("echo null", echo.next());
        assertEquals("echo b", echo.send("b"));
        assertThrows(NoSuchElementException.class, () -> echo.send("stop"));
        assertEquals(Generator.State.CLOSED, echo.state());
        assertThrows(NoSuchElementException.class, () -> echo.send("more"));
    }

    @Test
    void sendAndThrowInRefuseAValueFetchedByHasNext() {
        try (Generator<Integer> g = Generator.of(out -> {
            out.yield(1);
            out.yield(2);
        })) {
            assertTrue(g.hasNext());
            assertThrows(IllegalStateException.class, () -> g.send("x"));
            assertThrows(IllegalStateException.class, () -> g.throwIn(new RuntimeException()));
            assertEquals(1, g.next()); // nothing was lost
            assertEquals(2, g.send("x"));
        }
    }

    @Test
    void throwInRaisesAtTheYieldAndReturnsTheNextValueIfCaught() {
        List<String> log = new ArrayList<>();
        Generator<String> g = Generator.of(out -> {
            try {
                out.yield("first");
            } catch (IllegalArgumentException e) {
                log.add("caught " + e.getMessage());
                out.yield("after catch");
            }
            out.yield("last");
        });
        assertEquals("first", g.next());
        assertEquals("after catch", g.throwIn(new IllegalArgumentException("boom")));
        assertEquals(List.of("caught boom"), log);
        IllegalStateException notCaught = new IllegalStateException("not caught");
        assertSame(notCaught, assertThrows(IllegalStateException.class, () -> g.throwIn(notCaught)));
        assertEquals(Generator.State.CLOSED, g.state());
        IOException afterEnd = new IOException("after end");
        assertSame(afterEnd, assertThrows(IOException.class, () -> g.throwIn(afterEnd)));
    }

    @Test
    void throwInBeforeTheStartClosesWithoutRunningTheBody() {
        AtomicBoolean ran = new AtomicBoolean();
        Generator<String> g = Generator.of(out -> {
            ran.set(true);
            out.yield("x");
        });
        RuntimeException e = new RuntimeException("early");
        assertSame(e, assertThrows(RuntimeException.class, () -> g.throwIn(e)));
        assertEquals(Generator.State.CLOSED, g.state());
        assertFalse(g.hasNext());
        assertFalse(ran.get());
    }

    @Test
    void throwInThatIsCaughtThenEndingMeansNoSuchElement() {
        Generator<String> g = Generator.of(out -> {
            try {
                out.yield("x");
            } catch (IllegalArgumentException ignored) {
                // end quietly
            }
        });
        g.next();
        assertThrows(NoSuchElementException.class, () -> g.throwIn(new IllegalArgumentException()));
        assertEquals(Generator.State.CLOSED, g.state());
    }

    // ---- errors --------------------------------------------------------------------------------------------

    @Test
    void theProducersExceptionsComeOutUnchangedIncludingCheckedOnes() {
        IOException io = new IOException("disk");
        Generator<Integer> g = Generator.of(out -> {
            out.yield(1);
            throw io;
        });
        assertEquals(1, g.next());
        assertSame(io, assertThrows(IOException.class, g::hasNext));
        assertEquals(Generator.State.CLOSED, g.state());
        assertFalse(g.hasNext());

        AssertionError error = new AssertionError("an Error too");
        Generator<Integer> h = Generator.of(out -> {
            throw error;
        });
        assertSame(error, assertThrows(AssertionError.class, h::next));
        run(() -> {
            Generator<Integer> k = Generator.of(out -> {
                throw io;
            });
            assertSame(io, assertThrows(IOException.class, k::next));
        });
    }

    @Test
    void aRequestFromInsideTheProducerIsAnError() {
        AtomicReference<Generator<String>> self = new AtomicReference<>();
        Generator<String> g = Generator.of(out -> {
            try {
                self.get().next();
            } catch (IllegalStateException e) {
                out.yield(e.getMessage());
            }
            try {
                self.get().close();
            } catch (IllegalStateException e) {
                out.yield("close: " + e.getMessage());
            }
        });
        self.set(g);
        assertEquals("generator already executing", g.next());
        assertEquals("close: generator already executing", g.next());
        assertFalse(g.hasNext());
    }

    @Test
    void aProducerIsNotACoroutineEvenWhenItsConsumerIs() {
        String outcome = run(() -> {
            try (Generator<String> g = Generator.of(out -> {
                assertNull(Task.currentOrNull());
                try {
                    spawn(() -> {});
                    out.yield("spawned");
                } catch (IllegalStateException e) {
                    out.yield("refused");
                }
            })) {
                return g.next();
            }
        });
        assertEquals("refused", outcome);
    }

    @Test
    void twoThreadsAtOnceIsAnError() throws Exception {
        CountDownLatch inProducer = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Generator<String> g = Generator.of(out -> {
            inProducer.countDown();
            release.await();
            out.yield("x");
        });
        AtomicReference<Object> first = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> first.set(g.next()));
        assertTrue(inProducer.await(10, TimeUnit.SECONDS));
        assertEquals(Generator.State.RUNNING, g.state());
        IllegalStateException e = assertThrows(IllegalStateException.class, g::next);
        assertTrue(e.getMessage().contains("another thread"), e.getMessage());
        release.countDown();
        t.join();
        assertEquals("x", first.get());
        assertFalse(g.hasNext()); // and it moves to this thread for the next request
    }

    // ---- closing -------------------------------------------------------------------------------------------

    @Test
    void closeRaisesGeneratorExitAtTheYieldAndRunsFinally() {
        List<String> log = new ArrayList<>();
        Generator<Integer> g = Generator.of(out -> {
            try {
                out.yield(1);
                out.yield(2);
            } catch (GeneratorExit e) {
                log.add("exit");
                throw e;
            } finally {
                log.add("finally");
            }
        });
        assertEquals(1, g.next());
        g.close();
        assertEquals(List.of("exit", "finally"), log);
        assertEquals(Generator.State.CLOSED, g.state());
        g.close(); // again: nothing
        assertEquals(List.of("exit", "finally"), log);
        assertThrows(NoSuchElementException.class, g::next);
    }

    @Test
    void closingANeverStartedGeneratorNeverRunsIt() {
        AtomicBoolean ran = new AtomicBoolean();
        Generator<Integer> g = Generator.of(out -> ran.set(true));
        g.close();
        assertEquals(Generator.State.CLOSED, g.state());
        assertFalse(g.hasNext());
        assertFalse(ran.get());
    }

    @Test
    void aProducerThatYieldsInsteadOfExitingMakesCloseFail() {
        List<String> log = new ArrayList<>();
        Generator<String> g = Generator.of(out -> {
            try {
                out.yield("a");
            } catch (GeneratorExit e) {
                log.add("ignored");
                out.yield("stubborn");
            } finally {
                log.add("finally");
            }
        });
        g.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, g::close);
        assertEquals("generator ignored GeneratorExit", e.getMessage());
        assertEquals(Generator.State.SUSPENDED, g.state());
        g.close(); // the second GeneratorExit, at the second yield, is let through
        assertEquals(List.of("ignored", "finally"), log);
        assertEquals(Generator.State.CLOSED, g.state());
    }

    @Test
    void anExceptionWhileClosingComesOutOfClose() {
        IllegalStateException boom = new IllegalStateException("cleanup failed");
        Generator<String> g = Generator.of(out -> {
            try {
                out.yield("a");
            } finally {
                throw boom;
            }
        });
        g.next();
        assertSame(boom, assertThrows(IllegalStateException.class, g::close));
        assertEquals(Generator.State.CLOSED, g.state());
    }

    @Test
    void breakingOutOfTryWithResourcesClosesTheProducer() {
        List<String> log = new ArrayList<>();
        try (Generator<Integer> g = Generator.of(out -> {
            try {
                for (int i = 0; ; i++) {
                    out.yield(i);
                }
            } finally {
                log.add("producer finally");
            }
        })) {
            for (int v : g) {
                log.add("got " + v);
                if (v == 2) {
                    break;
                }
            }
        }
        assertEquals(List.of("got 0", "got 1", "got 2", "producer finally"), log);
    }

    @Test
    void aGeneratorNobodyRefersToIsClosedWhenCollected() throws Exception {
        CountDownLatch finallyRan = new CountDownLatch(1);
        AtomicReference<Thread> cleanerThread = new AtomicReference<>();
        startAndDrop(finallyRan, cleanerThread);
        // Bounded: a few seconds of GC attempts at most; this waits for the collector, it asserts no timing.
        for (int i = 0; i < 100 && finallyRan.getCount() > 0; i++) {
            System.gc();
            finallyRan.await(50, TimeUnit.MILLISECONDS);
        }
        assertEquals(0, finallyRan.getCount(), "the abandoned generator's finally block ran");
        assertEquals("spindle-generator-cleaner", cleanerThread.get().getName());
    }

    private static void startAndDrop(CountDownLatch finallyRan, AtomicReference<Thread> cleanerThread) {
        Generator<Integer> g = Generator.of(out -> {
            try {
                out.yield(1);
                out.yield(2);
            } finally {
                cleanerThread.set(Carrier.currentCarrier());
                finallyRan.countDown();
            }
        });
        assertEquals(1, g.next());
    }

    // ---- JDK blocking and interrupts -----------------------------------------------------------------------

    @Test
    void aProducerBlockingInTheJdkStillRunsOnTheConsumersThread() {
        Thread me = Thread.currentThread();
        List<Thread> carriers = new ArrayList<>();
        try (Generator<Integer> g = Generator.of(out -> {
            for (int i = 0; i < 3; i++) {
                Thread.sleep(2); // the continuation comes back from the JDK's timer thread
                carriers.add(Carrier.currentCarrier());
                out.yield(i);
            }
        })) {
            List<Integer> got = new ArrayList<>();
            g.forEachRemaining(got::add);
            assertEquals(List.of(0, 1, 2), got);
        }
        assertEquals(List.of(me, me, me), carriers);
    }

    @Test
    void interruptingAPlatformConsumerInterruptsTheBlockedProducer() throws Exception {
        AtomicReference<Thread> producer = new AtomicReference<>();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Generator<Integer> g = Generator.of(out -> {
            producer.set(Thread.currentThread());
            Thread.sleep(60_000);
            out.yield(1);
        });
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                g.next();
            } catch (Throwable e) {
                outcome.set(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        // Interrupt once the producer is parked in sleep, off its carrier: an interrupt that reaches the consumer's
        // thread while the producer is mounted on it is lost (the JDK clears a carrier's interrupt at unmount).
        for (int i = 0; i < 10_000 && !isSleeping(producer.get()); i++) {
            Thread.sleep(1);
        }
        assertTrue(isSleeping(producer.get()));
        consumer.interrupt();
        consumer.join();
        assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
        assertTrue(stillInterrupted.get(), "the consumer's own interrupt status is kept");
        assertEquals(Generator.State.CLOSED, g.state());
    }

    private static boolean isSleeping(Thread t) {
        return t != null && t.getState() == Thread.State.TIMED_WAITING;
    }

    @Test
    void theConsumersInterruptStatusSurvivesRunningTheProducer() {
        try (Generator<Integer> g = Generator.of(out -> {
            out.yield(Thread.currentThread().isInterrupted() ? 1 : 0);
        })) {
            Thread.currentThread().interrupt();
            assertEquals(0, g.next(), "the producer does not see the consumer's interrupt");
            assertTrue(Thread.interrupted(), "mounting the producer did not clear the consumer's interrupt");
        }
    }

    // ---- cancellation in a coroutine -----------------------------------------------------------------------

    @Test
    void cancellingAConsumerWhileTheProducerBlocksInterruptsTheProducer() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        run(() -> {
            Generator<Integer> g = Generator.of(out -> {
                try {
                    out.yield(0);
                    Thread.sleep(60_000);
                    out.yield(1);
                } catch (InterruptedException e) {
                    log.add("producer interrupted");
                    throw e;
                } finally {
                    log.add("producer finally");
                }
            });
            Task<Integer> consumer = spawn(() -> {
                g.next();
                return g.next();
            });
            sleep(Duration.ofMillis(20));
            consumer.cancel("stop");
            assertThrows(Cancelled.class, consumer::await);
            assertTrue(consumer.isCancelled());
            assertEquals(Generator.State.CLOSED, g.state());
        });
        assertEquals(List.of("producer interrupted", "producer finally"), log);
    }

    @Test
    void aCancelArrivingAsTheProducerYieldsLosesNoValue() {
        run(() -> {
            AtomicReference<Task<?>> consumerRef = new AtomicReference<>();
            Generator<String> g = Generator.of(out -> {
                consumerRef.get().cancel("late"); // the consumer is parked; the cancel and the value arrive together
                out.yield("value");
                out.yield("second");
            });
            List<String> got = Collections.synchronizedList(new ArrayList<>());
            Task<Void> consumer = spawn(() -> {
                got.add(g.next()); // woken and cancelled in the same pass: the value is handed over
                sleep(Duration.ZERO); // the pending cancel is delivered here
                got.add("not reached");
            });
            consumerRef.set(consumer);
            assertThrows(Cancelled.class, consumer::await);
            assertEquals(List.of("value"), got);
            assertEquals(Generator.State.SUSPENDED, g.state());
            assertEquals("second", g.next()); // the generator itself is intact
            g.close();
        });
    }

    @Test
    void aTimeoutAroundARequestEndsTheBlockedProducer() {
        AtomicBoolean producerFinally = new AtomicBoolean();
        run(() -> {
            Generator<Integer> g = Generator.of(out -> {
                try {
                    Thread.sleep(60_000);
                    out.yield(1);
                } finally {
                    producerFinally.set(true);
                }
            });
            assertThrows(TimedOut.class, () -> Spindle.withTimeout(Duration.ofMillis(20), g::next));
            assertEquals(Generator.State.CLOSED, g.state());
            sleep(Duration.ZERO); // no cancel left pending
        });
        assertTrue(producerFinally.get());
    }

    @Test
    void otherCoroutinesRunWhileAProducerBlocks() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        run(() -> {
            Generator<String> g = Generator.of(out -> {
                Thread.sleep(30);
                out.yield("slow value");
            });
            Task<Void> other = spawn(() -> {
                log.add("other ran");
            });
            log.add(g.next());
            other.await();
            g.close();
        });
        assertEquals(List.of("other ran", "slow value"), log);
    }

    // ---- pipelines, other threads, volume ------------------------------------------------------------------

    @Test
    void generatorsConsumingGeneratorsStayOnOneThread() {
        Thread me = Thread.currentThread();
        List<Thread> carriers = Collections.synchronizedList(new ArrayList<>());
        assertEquals(List.of(0, 4, 16, 36, 64), squaresOfEvens(carriers));
        assertTrue(carriers.stream().allMatch(t -> t == me), "every producer ran on the consumer's thread");

        carriers.clear();
        Thread loopThread = run(() -> {
            assertEquals(List.of(0, 4, 16, 36, 64), squaresOfEvens(carriers));
            return Carrier.currentCarrier();
        });
        assertTrue(carriers.stream().allMatch(t -> t == loopThread), "every producer ran on the loop's thread");
    }

    private static List<Integer> squaresOfEvens(List<Thread> carriers) {
        try (Generator<Integer> numbers = Generator.of(out -> {
                    for (int i = 0; i < 10; i++) {
                        carriers.add(Carrier.currentCarrier());
                        out.yield(i);
                    }
                });
                Generator<Integer> evens = Generator.of(out -> {
                    for (int v : numbers) {
                        carriers.add(Carrier.currentCarrier());
                        if (v % 2 == 0) {
                            out.yield(v);
                        }
                    }
                });
                Generator<Integer> squares = Generator.of(out -> {
                    for (int v : evens) {
                        out.yield(v * v);
                    }
                })) {
            List<Integer> got = new ArrayList<>();
            squares.forEachRemaining(got::add);
            return got;
        }
    }

    @Test
    void aPlainVirtualThreadCanConsumeAGenerator() throws Exception {
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            long sum = executor.submit(() -> {
                        long s = 0;
                        try (Generator<Integer> g = Generator.of(out -> {
                            for (int i = 1; i <= 100; i++) {
                                out.yield(i);
                            }
                        })) {
                            for (int v : g) {
                                s += v;
                            }
                        }
                        return s;
                    })
                    .get();
            assertEquals(5050, sum);
        }
    }

    @Test
    void aGeneratorMovesBetweenAPlatformThreadAndACoroutine() {
        Generator<Integer> g = Generator.of(out -> {
            for (int i = 0; i < 4; i++) {
                out.yield(i);
            }
        });
        assertEquals(0, g.next());
        assertEquals(1, run(g::next));
        assertEquals(2, g.next());
        assertEquals(3, run(g::next));
        assertFalse(g.hasNext());
    }

    @Test
    void aHundredThousandItemsInEachMode() {
        int n = 100_000;
        assertEquals(expectedSum(n), sumOf(n));
        assertEquals(expectedSum(n), (long) run(() -> sumOf(n)));
    }

    private static long expectedSum(int n) {
        return (long) n * (n - 1) / 2;
    }

    private static long sumOf(int n) {
        long sum = 0;
        int count = 0;
        int previous = -1;
        try (Generator<Integer> g = Generator.of(out -> {
            for (int i = 0; i < n; i++) {
                out.yield(i);
            }
        })) {
            for (int v : g) {
                assertEquals(previous + 1, v);
                previous = v;
                sum += v;
                count++;
            }
        }
        assertEquals(n, count);
        return sum;
    }

    @Test
    void yieldFromAnotherThreadIsRefused() {
        AtomicReference<Yielder<Integer>> leaked = new AtomicReference<>();
        try (Generator<Integer> g = Generator.of(out -> {
            leaked.set(out);
            out.yield(1);
        })) {
            g.next();
            assertThrows(IllegalStateException.class, () -> leaked.get().yield(2));
        }
    }
}
