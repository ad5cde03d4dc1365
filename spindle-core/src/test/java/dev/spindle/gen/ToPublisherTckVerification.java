package dev.spindle.gen;

import dev.spindle.loop.Loop;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK's publisher rules, applied to {@link AsyncIterators#toPublisher}: a TestNG class, run by
 * {@link FlowPublisherTckTest} (its name keeps Surefire from picking it up directly). Each publisher serves a fresh
 * async generator of {@code 0..n-1} from a loop running on its own platform thread; the TCK subscribes from its own
 * threads.
 */
public class ToPublisherTckVerification extends FlowPublisherVerification<Long> {
    private Loop loop;
    private Thread loopThread;

    public ToPublisherTckVerification() {
        // Signals that must come get 2 s; the "nothing more arrives" checks watch for 50 ms, which still sees a signal
        // sent late by the loop (it would come within a pass) and saves about 8 s over the TCK's 200 ms suggestion.
        super(new TestEnvironment(2000, 50), 2000);
    }

    @BeforeClass
    public void startLoop() {
        Loop l = Loop.create();
        loop = l;
        loopThread = Thread.ofPlatform().name("tck-loop").start(() -> {
            l.runForever();
            l.close();
        });
    }

    @AfterClass
    public void stopLoop() throws InterruptedException {
        loop.stop();
        loopThread.join();
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return AsyncIterators.toPublisher(
                () -> AsyncGenerator.<Long>of(out -> {
                    for (long i = 0; i < elements; i++) {
                        out.yield(i);
                    }
                }),
                loop);
    }

    /** A source that cannot even be opened: the subscriber gets onSubscribe, then onError, with no request. */
    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return AsyncIterators.toPublisher(
                () -> {
                    throw new IllegalStateException("the source is unavailable");
                },
                loop);
    }
}
