package dev.spindle.gen;

import static dev.spindle.Spindle.await;
import static dev.spindle.Spindle.createFuture;
import static dev.spindle.Spindle.run;
import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.gen.AsyncGenerator.State;
import dev.spindle.loop.Loop;
import dev.spindle.task.Cancelled;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link AsyncIterators}: Flow.Publisher to async iterator and back, with backpressure checked by counting what was
 * requested against what was delivered; and {@code asCompleted}.
 */
class FlowAdaptersTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    @AfterEach
    void shutdownExecutor() {
        executor.shutdownNow();
    }

    private static void settle() {
        for (int i = 0; i < 5; i++) {
            sleep(Duration.ZERO);
        }
    }

    private static List<Task<?>> otherTasks() {
        List<Task<?>> all = new ArrayList<>(Loop.current().allTasks());
        all.remove(Task.current());
        return all;
    }

    /** Waits on a plain thread, from a coroutine, without holding the loop. */
    private static void join(Thread t) {
        dev.spindle.Spindle.toThread(() -> {
            t.join();
            return null;
        });
    }

    /** Forwards a publisher and counts the demand and the items that pass, and checks one never exceeds the other. */
    static final class Counting<T> implements Flow.Publisher<T> {
        final Flow.Publisher<T> inner;
        final AtomicLong requested = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        final AtomicInteger cancels = new AtomicInteger();
        final AtomicInteger overDelivered = new AtomicInteger();

        Counting(Flow.Publisher<T> inner) {
            this.inner = inner;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super T> s) {
            inner.subscribe(new Flow.Subscriber<T>() {
                @Override
                public void onSubscribe(Flow.Subscription sub) {
                    s.onSubscribe(new Flow.Subscription() {
                        @Override
                        public void request(long n) {
                            requested.addAndGet(n);
                            sub.request(n);
                        }

                        @Override
                        public void cancel() {
                            cancels.incrementAndGet();
                            sub.cancel();
                        }
                    });
                }

                @Override
                public void onNext(T item) {
                    if (delivered.incrementAndGet() > requested.get()) {
                        overDelivered.incrementAndGet();
                    }
                    s.onNext(item);
                }

                @Override
                public void onError(Throwable e) {
                    s.onError(e);
                }

                @Override
                public void onComplete() {
                    s.onComplete();
                }
            });
        }
    }

    /** A publisher driven by hand: the test calls the subscriber's methods itself. */
    static final class Manual<T> implements Flow.Publisher<T>, Flow.Subscription {
        volatile Flow.Subscriber<? super T> subscriber;
        final AtomicLong requested = new AtomicLong();
        final AtomicInteger cancels = new AtomicInteger();
        final boolean subscribeAtOnce;

        Manual(boolean subscribeAtOnce) {
            this.subscribeAtOnce = subscribeAtOnce;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super T> s) {
            subscriber = s;
            if (subscribeAtOnce) {
                s.onSubscribe(this);
            }
        }

        @Override
        public void request(long n) {
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {
            cancels.incrementAndGet();
        }
    }

    // ---- fromPublisher --------------------------------------------------------------------------------

    @Nested
    class FromPublisher {
        @Test
        void aSlowConsumerBlocksTheSubmittingThreadAndNeverHoldsMoreThanPrefetch() {
            int prefetch = 8;
            try (SubmissionPublisher<Integer> pub = new SubmissionPublisher<>(executor, 4)) {
                Counting<Integer> counting = new Counting<>(pub);
                AtomicInteger submitted = new AtomicInteger();
                Thread producer = Thread.ofPlatform().unstarted(() -> {
                    while (pub.getNumberOfSubscribers() == 0) {
                        Thread.onSpinWait();
                    }
                    for (int i = 0; i < 100; i++) {
                        pub.submit(i); // blocks while the subscriber's buffer is full
                        submitted.incrementAndGet();
                    }
                    pub.close();
                });
                List<Integer> got = run(() -> {
                    List<Integer> out = new ArrayList<>();
                    try (AsyncIterator<Integer> it = AsyncIterators.fromPublisher(counting, prefetch)) {
                        producer.start();
                        for (int i = 0; i < 10; i++) {
                            out.add(it.next());
                        }
                        // stop consuming until the producer is stuck in submit(): waiting, and no longer submitting
                        // for 20 ms in a row (while the publisher's own buffer drains into the prefetch, the producer
                        // is woken and waits again, so one look at its state is not enough)
                        int stableFor = 0;
                        int last = -1;
                        for (int i = 0; i < 5000 && stableFor < 20; i++) {
                            sleep(Duration.ofMillis(1));
                            int now = submitted.get();
                            boolean waiting = producer.getState() == Thread.State.WAITING;
                            stableFor = waiting && now == last ? stableFor + 1 : 0;
                            last = now;
                        }
                        assertEquals(20, stableFor, "backpressure reached the publisher (submitted " + last + ")");
                        assertTrue(submitted.get() < 100, "submitted " + submitted.get());
                        assertTrue(
                                counting.requested.get() - out.size() <= prefetch,
                                "requested " + counting.requested.get() + " after taking " + out.size());
                        for (Integer x : it) {
                            out.add(x);
                            assertTrue(counting.requested.get() - out.size() <= prefetch);
                        }
                    }
                    return out;
                });
                assertEquals(100, got.size());
                for (int i = 0; i < 100; i++) {
                    assertEquals(i, got.get(i));
                }
                assertEquals(0, counting.overDelivered.get());
                assertEquals(100, counting.delivered.get());
                assertTrue(counting.requested.get() <= 100 + prefetch, "requested " + counting.requested.get());
            }
        }

        @Test
        void offersAreDroppedWhileTheConsumerWaitsAndWhatWasAcceptedArrivesInOrder() {
            try (SubmissionPublisher<Integer> pub = new SubmissionPublisher<>(executor, 4)) {
                Counting<Integer> counting = new Counting<>(pub);
                AtomicInteger dropped = new AtomicInteger();
                List<Integer> accepted = Collections.synchronizedList(new ArrayList<>());
                CompletableFuture<Void> offered = new CompletableFuture<>();
                Thread producer = Thread.ofPlatform().unstarted(() -> {
                    while (pub.getNumberOfSubscribers() == 0) {
                        Thread.onSpinWait();
                    }
                    for (int i = 0; i < 100; i++) {
                        int lag = pub.offer(i, (sub, item) -> {
                            dropped.incrementAndGet();
                            return false;
                        });
                        if (lag >= 0) {
                            accepted.add(i);
                        }
                    }
                    offered.complete(null);
                    pub.close();
                });
                List<Integer> got = run(() -> {
                    List<Integer> out = new ArrayList<>();
                    try (AsyncIterator<Integer> it = AsyncIterators.fromPublisher(counting, 8)) {
                        Task<Boolean> first = spawn(it::hasNext); // subscribes
                        producer.start();
                        await(offered); // the consumer takes nothing while the producer offers
                        assertTrue(first.await());
                        for (Integer x : it) {
                            out.add(x);
                        }
                    }
                    return out;
                });
                assertTrue(dropped.get() > 0, "a waiting consumer made the publisher drop offers");
                assertEquals(100, dropped.get() + accepted.size());
                assertEquals(accepted, got);
                assertEquals(0, counting.overDelivered.get());
            }
        }

        @Test
        void onErrorIsThrownFromHasNextAfterTheItemsBeforeIt() {
            IOException boom = new IOException("feed broke");
            Manual<String> pub = new Manual<>(true);
            run(() -> {
                AsyncIterator<String> it = AsyncIterators.fromPublisher(pub, 4);
                Thread feeder = Thread.ofPlatform().unstarted(() -> {
                    while (pub.requested.get() == 0) {
                        Thread.onSpinWait();
                    }
                    pub.subscriber.onNext("a");
                    pub.subscriber.onNext("b");
                    pub.subscriber.onError(boom);
                });
                Task<Boolean> first = spawn(it::hasNext);
                settle();
                feeder.start();
                join(feeder);
                assertTrue(first.await());
                assertEquals("a", it.next());
                assertEquals("b", it.next());
                assertSame(boom, assertThrows(IOException.class, it::hasNext));
                assertFalse(it.hasNext(), "thrown once; then the iteration has ended");
                it.close();
                assertEquals(4, pub.requested.get());
            });
        }

        @Test
        void closeCancelsTheSubscriptionAndEndsTheIteration() {
            try (SubmissionPublisher<Integer> pub = new SubmissionPublisher<>(executor, 4)) {
                Counting<Integer> counting = new Counting<>(pub);
                run(() -> {
                    AsyncIterator<Integer> it = AsyncIterators.fromPublisher(counting, 2);
                    Task<Integer> first = spawn(it::next);
                    while (pub.getNumberOfSubscribers() == 0) {
                        sleep(Duration.ofMillis(1));
                    }
                    pub.submit(1);
                    pub.submit(2);
                    assertEquals(1, first.await());
                    it.close();
                    assertEquals(1, counting.cancels.get());
                    assertFalse(it.hasNext(), "the buffered item is dropped");
                    it.close();
                    assertEquals(1, counting.cancels.get(), "cancelled once");
                });
            }
        }

        @Test
        void aSubscriptionArrivingAfterCloseIsCancelled() {
            Manual<String> pub = new Manual<>(false); // calls onSubscribe later, by hand
            run(() -> {
                AsyncIterator<String> it = AsyncIterators.fromPublisher(pub, 4);
                Task<Boolean> waiting = spawn(it::hasNext); // subscribes; no subscription yet
                settle();
                it.close();
                assertFalse(waiting.await(), "a close from another coroutine ends a waiting hasNext()");
                Thread late = Thread.ofPlatform().start(() -> pub.subscriber.onSubscribe(pub));
                join(late);
                assertEquals(1, pub.cancels.get());
                assertEquals(0, pub.requested.get(), "nothing was requested");
            });
        }

        @Test
        void reactiveStreamsRulesForTheSubscriberSide() {
            Manual<String> pub = new Manual<>(true);
            run(() -> {
                AsyncIterator<String> it = AsyncIterators.fromPublisher(pub, 4);
                Task<Boolean> waiting = spawn(it::hasNext);
                settle();
                Flow.Subscriber<? super String> s = pub.subscriber;
                Manual<String> second = new Manual<>(true);
                s.onSubscribe(second);
                assertEquals(1, second.cancels.get(), "§2.5: a second subscription is cancelled");
                assertThrows(NullPointerException.class, () -> s.onSubscribe(null), "§2.13");
                assertThrows(NullPointerException.class, () -> s.onNext(null), "§2.13");
                assertThrows(NullPointerException.class, () -> s.onError(null), "§2.13");
                s.onNext("x");
                assertTrue(waiting.await());
                assertEquals("x", it.next());
                it.close();
                assertEquals(0, pub.cancels.get() - 1, "close cancelled the first subscription");
            });
        }

        @Test
        void aPublisherDeliveringMoreThanRequestedFailsTheIteration() {
            Manual<Integer> pub = new Manual<>(true);
            run(() -> {
                AsyncIterator<Integer> it = AsyncIterators.fromPublisher(pub, 2);
                Task<Boolean> waiting = spawn(it::hasNext);
                settle();
                for (int i = 0; i < 3; i++) {
                    pub.subscriber.onNext(i); // one more than the 2 requested
                }
                IllegalStateException e = assertThrows(IllegalStateException.class, waiting::await);
                assertTrue(e.getMessage().contains("more items than were requested"), e.getMessage());
                assertEquals(1, pub.cancels.get());
                assertFalse(it.hasNext());
            });
        }

        @Test
        void cancellingAParkedConsumerLosesNothingAndTheIteratorStaysUsable() {
            Manual<String> pub = new Manual<>(true);
            run(() -> {
                AsyncIterator<String> it = AsyncIterators.fromPublisher(pub, 4);
                Task<String> consumer = spawn(it::next);
                settle();
                consumer.cancel();
                assertThrows(Cancelled.class, consumer::await);
                assertEquals(0, pub.cancels.get(), "the subscription stays open");
                pub.subscriber.onNext("later");
                assertEquals("later", it.next());
                it.close();
            });
        }

        @Test
        void anItemArrivingInTheSamePassAsTheCancelStaysQueued() {
            Manual<String> pub = new Manual<>(true);
            run(() -> {
                AsyncIterator<String> it = AsyncIterators.fromPublisher(pub, 4);
                Task<String> consumer = spawn(it::next);
                settle();
                LoopFuture<Void> done = createFuture();
                Loop.current().callSoon(() -> {
                    pub.subscriber.onNext("kept"); // wakes the consumer...
                    consumer.cancel(); // ...which is cancelled before it runs
                    done.setResult(null);
                });
                done.await();
                assertThrows(Cancelled.class, consumer::await);
                assertEquals("kept", it.next(), "the item was not lost");
                it.close();
            });
        }

        @Test
        void aTimeoutAroundNextLeavesTheIteratorUsable() {
            Manual<String> pub = new Manual<>(true);
            run(() -> {
                AsyncIterator<String> it = AsyncIterators.fromPublisher(pub, 4);
                assertThrows(TimedOut.class, () -> withTimeout(Duration.ofMillis(2), it::next));
                pub.subscriber.onNext("after");
                assertEquals("after", it.next());
                pub.subscriber.onComplete();
                assertFalse(it.hasNext());
                assertEquals(List.of(), otherTasks());
            });
        }

        @Test
        void aPublisherWhoseSubscribeThrowsEndsTheIterationWithThatException() {
            IllegalStateException broken = new IllegalStateException("broken publisher");
            run(() -> {
                AsyncIterator<String> it = AsyncIterators.fromPublisher(s -> {
                    throw broken;
                });
                assertSame(broken, assertThrows(IllegalStateException.class, it::hasNext));
                assertFalse(it.hasNext());
            });
        }

        @Test
        void usingItFromAPlainThreadFails() {
            AsyncIterator<String> it = AsyncIterators.fromPublisher(new Manual<>(true), 4);
            assertThrows(IllegalStateException.class, it::hasNext);
            assertThrows(IllegalArgumentException.class, () -> AsyncIterators.fromPublisher(new Manual<>(true), 0));
        }
    }

    // ---- toPublisher ----------------------------------------------------------------------------------

    /** A subscriber on a plain thread: records every signal and checks that nothing exceeds its demand. */
    static class Recording implements Flow.Subscriber<Integer> {
        static final Object COMPLETE = new Object();
        final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
        final CountDownLatch subscribed = new CountDownLatch(1);
        final AtomicLong requested = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicInteger violations = new AtomicInteger();
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            subscribed.countDown();
        }

        @Override
        public void onNext(Integer item) {
            if (received.incrementAndGet() > requested.get()) {
                violations.incrementAndGet();
            }
            signals.add(item);
        }

        @Override
        public void onError(Throwable e) {
            signals.add(e);
        }

        @Override
        public void onComplete() {
            signals.add(COMPLETE);
        }

        void request(long n) {
            requested.addAndGet(n);
            subscription.request(n);
        }

        Object take() throws InterruptedException {
            Object o = signals.poll(10, TimeUnit.SECONDS);
            if (o == null) {
                throw new AssertionError("no signal within 10 s");
            }
            return o;
        }

        void awaitSubscribed() throws InterruptedException {
            assertTrue(subscribed.await(10, TimeUnit.SECONDS));
        }
    }

    /** 0..n-1, counting what it produced and logging how it ended. */
    private AsyncIterable<Integer> numbers(int n, AtomicInteger produced) {
        return () -> AsyncGenerator.of(out -> {
            try {
                for (int i = 0; i < n; i++) {
                    produced.incrementAndGet();
                    out.yield(i);
                }
            } catch (GeneratorExit e) {
                log.add("GeneratorExit");
                throw e;
            } catch (Cancelled e) {
                log.add("Cancelled");
                throw e;
            } finally {
                log.add("source closed");
            }
        });
    }

    @Nested
    class ToPublisher {
        @Test
        void aSlowSubscriberOnAPlainThreadNeverGetsMoreThanItRequestedAndNothingIsReadAhead() {
            AtomicInteger produced = new AtomicInteger();
            AtomicInteger readAhead = new AtomicInteger();
            Recording sub = new Recording() {
                @Override
                public void onNext(Integer item) {
                    if (produced.get() != received.get() + 1) {
                        readAhead.incrementAndGet(); // the source ran ahead of the demand
                    }
                    super.onNext(item);
                }
            };
            List<Object> got = Collections.synchronizedList(new ArrayList<>());
            run(() -> {
                Flow.Publisher<Integer> pub = AsyncIterators.toPublisher(numbers(50, produced), Loop.current());
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        pub.subscribe(sub);
                        sub.awaitSubscribed();
                        sub.request(3);
                        for (int i = 0; i < 3; i++) {
                            got.add(sub.take());
                        }
                        Thread.sleep(5); // slow: no demand meanwhile
                        while (true) {
                            sub.request(1);
                            Object o = sub.take();
                            got.add(o);
                            if (o == Recording.COMPLETE) {
                                break;
                            }
                            Thread.sleep(1);
                        }
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                join(t);
            });
            assertEquals(51, got.size());
            for (int i = 0; i < 50; i++) {
                assertEquals(i, got.get(i));
            }
            assertSame(Recording.COMPLETE, got.get(50));
            assertEquals(0, sub.violations.get());
            assertEquals(0, readAhead.get());
            assertEquals(50, produced.get());
            assertEquals(List.of("source closed"), log);
        }

        @Test
        void eachSubscriberGetsAFreshSource() {
            AtomicInteger produced = new AtomicInteger();
            run(() -> {
                Flow.Publisher<Integer> pub = AsyncIterators.toPublisher(numbers(5, produced));
                List<List<Object>> results = Collections.synchronizedList(new ArrayList<>());
                List<Thread> threads = new ArrayList<>();
                for (int k = 0; k < 2; k++) {
                    threads.add(Thread.ofPlatform().start(() -> {
                        Recording sub = new Recording();
                        List<Object> mine = new ArrayList<>();
                        try {
                            pub.subscribe(sub);
                            sub.awaitSubscribed();
                            sub.request(Long.MAX_VALUE);
                            sub.request(Long.MAX_VALUE); // §3.17: saturates, no overflow
                            Object o;
                            while ((o = sub.take()) != Recording.COMPLETE) {
                                mine.add(o);
                            }
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                        results.add(mine);
                    }));
                }
                for (Thread t : threads) {
                    join(t);
                }
                assertEquals(List.of(List.of(0, 1, 2, 3, 4), List.of(0, 1, 2, 3, 4)), results);
            });
            assertEquals(10, produced.get());
        }

        @Test
        void aNonPositiveRequestEndsTheSubscriptionWithIllegalArgumentException() {
            AtomicInteger produced = new AtomicInteger();
            Recording sub = new Recording();
            run(() -> {
                Flow.Publisher<Integer> pub = AsyncIterators.toPublisher(numbers(10, produced));
                pub.subscribe(sub);
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        sub.awaitSubscribed();
                        sub.request(2);
                        sub.take();
                        sub.take();
                        sub.subscription.request(0);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                join(t);
                assertInstanceOf(IllegalArgumentException.class, sub.take());
                settle();
                assertEquals(List.of("GeneratorExit", "source closed"), log, "the source was closed");
                assertTrue(sub.signals.isEmpty());
            });
        }

        @Test
        void cancelWhileThePumpWaitsForTheSourceCancelsThatWait() {
            Recording sub = new Recording();
            CountDownLatch waiting = new CountDownLatch(1);
            AtomicReference<AsyncGenerator<Integer>> gen = new AtomicReference<>();
            run(() -> {
                LoopFuture<Integer> never = createFuture();
                Flow.Publisher<Integer> pub = AsyncIterators.toPublisher(() -> {
                    gen.set(AsyncGenerator.of(out -> {
                        try {
                            waiting.countDown();
                            out.yield(never.await());
                        } catch (Cancelled c) {
                            log.add("source wait cancelled");
                            throw c;
                        }
                    }));
                    return gen.get();
                });
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        pub.subscribe(sub);
                        sub.awaitSubscribed();
                        sub.request(1);
                        assertTrue(waiting.await(10, TimeUnit.SECONDS));
                        sub.subscription.cancel();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                join(t);
                for (int i = 0; i < 100 && !otherTasks().isEmpty(); i++) {
                    sleep(Duration.ofMillis(1));
                }
                assertEquals(List.of(), otherTasks(), "pump and producer ended");
                assertEquals(State.CLOSED, gen.get().state());
                assertEquals(List.of("source wait cancelled"), log);
                assertTrue(sub.signals.isEmpty(), "no signal after cancel: " + sub.signals);
            });
        }

        @Test
        void cancelWithoutDemandClosesTheSuspendedSourceWithGeneratorExit() {
            AtomicInteger produced = new AtomicInteger();
            Recording sub = new Recording() {
                @Override
                public void onNext(Integer item) {
                    super.onNext(item);
                    subscription.cancel(); // from within onNext: reentrant
                }
            };
            run(() -> {
                AsyncIterators.toPublisher(numbers(10, produced)).subscribe(sub);
                settle();
                sub.request(5);
                for (int i = 0; i < 20 && log.size() < 2; i++) {
                    sleep(Duration.ofMillis(1));
                }
                assertEquals(List.of("GeneratorExit", "source closed"), log);
                assertEquals(List.of(0), new ArrayList<>(sub.signals), "nothing after cancel");
                assertEquals(1, produced.get());
                assertEquals(List.of(), otherTasks());
            });
        }

        @Test
        void aFailingSourceSignalsOnErrorWithItsException() {
            IOException boom = new IOException("source broke");
            Recording sub = new Recording();
            run(() -> {
                AsyncIterators.<Integer>toPublisher(() -> AsyncGenerator.of(out -> {
                            out.yield(1);
                            sleep(Duration.ZERO);
                            throw boom;
                        }))
                        .subscribe(sub);
                settle();
                sub.request(10);
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        assertEquals(1, sub.take());
                        assertSame(boom, sub.take());
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                join(t);
            });
            assertTrue(sub.signals.isEmpty());
        }

        @Test
        void requestingFromOnNextDoesNotRecurse() {
            AtomicInteger produced = new AtomicInteger();
            AtomicInteger maxDepth = new AtomicInteger();
            Recording sub = new Recording() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    super.onSubscribe(s);
                    request(1);
                }

                @Override
                public void onNext(Integer item) {
                    super.onNext(item);
                    maxDepth.accumulateAndGet(Thread.currentThread().getStackTrace().length, Math::max);
                    request(1);
                }
            };
            run(() -> {
                AsyncIterators.toPublisher(numbers(2000, produced)).subscribe(sub);
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 2000; i++) {
                            assertEquals(i, sub.take());
                        }
                        assertSame(Recording.COMPLETE, sub.take());
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
                join(t);
            });
            assertTrue(maxDepth.get() < 200, "stack depth " + maxDepth.get());
            assertEquals(0, sub.violations.get());
        }

        @Test
        void atLoopShutdownASubscriberWithoutDemandGetsOnErrorAndTheSourceIsClosed() {
            AtomicInteger produced = new AtomicInteger();
            Recording sub = new Recording();
            run(() -> {
                AsyncIterators.toPublisher(numbers(10, produced)).subscribe(sub);
                settle();
                sub.request(1);
                settle();
            });
            assertEquals(0, sub.signals.poll());
            assertInstanceOf(Cancelled.class, sub.signals.poll());
            assertTrue(sub.signals.isEmpty());
            assertEquals(List.of("GeneratorExit", "source closed"), log, "closed, not cancelled");
        }

        @Test
        void subscribingWhenTheLoopIsClosedSignalsOnSubscribeThenOnError() throws Exception {
            Loop loop = Loop.create();
            loop.close();
            Recording sub = new Recording();
            AsyncIterators.toPublisher(numbers(3, new AtomicInteger()), loop).subscribe(sub);
            sub.awaitSubscribed();
            assertInstanceOf(IllegalStateException.class, sub.take());
            assertThrows(NullPointerException.class, () -> AsyncIterators.toPublisher(numbers(1, null), loop)
                    .subscribe(null));
        }
    }

    // ---- asCompleted ----------------------------------------------------------------------------------

    @Test
    void asCompletedYieldsFuturesAsTheyFinishAndCloseEndsIt() {
        run(() -> {
            List<LoopFuture<String>> fs = List.of(createFuture(), createFuture(), createFuture());
            spawn(() -> {
                fs.get(2).setResult("c");
                sleep(Duration.ZERO);
                fs.get(0).setResult("a");
                sleep(Duration.ZERO);
                fs.get(1).setResult("b");
            });
            List<String> order = new ArrayList<>();
            for (LoopFuture<String> f : AsyncIterators.asCompleted(fs)) {
                order.add(f.result());
            }
            assertEquals(List.of("c", "a", "b"), order);

            List<LoopFuture<String>> more = List.of(createFuture(), createFuture());
            try (AsyncIterator<LoopFuture<String>> it =
                    AsyncIterators.asCompleted(more).iterator()) {
                more.get(1).setResult("y");
                assertSame(more.get(1), it.next());
                it.close();
                assertFalse(it.hasNext());
            }
            more.get(0).setResult("x");
            settle();
        });
    }
}
