package dev.spindle.mysql.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link ReplyPacing}'s estimate: how it grows, shrinks, and where it stops. No clock is involved. */
class ReplyPacingTest {
    @Test
    void theWaitIsTheRepliesToComeTimesTheEstimateUpToTheCap() {
        ReplyPacing p = new ReplyPacing();
        assertEquals(20 * ReplyPacing.INITIAL_PER_REPLY_NANOS, p.waitBefore(20));
        p.finished();
        assertEquals(ReplyPacing.MAX_WAIT_NANOS, p.waitBefore(10_000), "never more than the cap");
        assertEquals(2, p.waits());
    }

    @Test
    void aSecondWaitInOnePipelineGrowsTheEstimateAndAPipelineDoneAfterOneWaitShrinksIt() {
        ReplyPacing p = new ReplyPacing();
        long start = p.perReplyNanos();
        p.waitBefore(20);
        p.waitBefore(5); // the first was too short
        assertEquals(start + start / 4, p.perReplyNanos());
        p.finished();
        long grown = p.perReplyNanos();
        assertTrue(grown < start + start / 4 && grown > start, "grown, less a sixteenth: " + grown);

        p.waitBefore(20);
        p.finished(); // one wait sufficed: perhaps too long
        assertEquals(grown - grown / 16, p.perReplyNanos());

        long before = p.perReplyNanos();
        p.finished(); // a pipeline that never waited (one statement, pacing not used) changes nothing
        assertEquals(before, p.perReplyNanos());
    }

    @Test
    void aWaitThatFoundNothingIsPacedAgainOnceThenTheSessionWaitsForReadiness() {
        ReplyPacing p = new ReplyPacing();
        long start = p.perReplyNanos();
        p.waitBefore(20);
        assertFalse(p.nothingArrived(), "the first miss: pace again");
        assertTrue(p.perReplyNanos() > start);
        p.waitBefore(20);
        assertTrue(p.nothingArrived(), "the second miss in a row: wait for bytes");
        p.waitBefore(20);
        assertFalse(p.nothingArrived(), "the streak was reset");
        p.arrived();
        p.waitBefore(20);
        assertFalse(p.nothingArrived(), "bytes in between reset it too");
    }

    @Test
    void theEstimateStaysWithinItsBounds() {
        ReplyPacing p = new ReplyPacing();
        for (int i = 0; i < 1000; i++) {
            p.waitBefore(2);
            p.waitBefore(2);
        }
        assertEquals(ReplyPacing.MAX_PER_REPLY_NANOS, p.perReplyNanos());
        for (int i = 0; i < 10_000; i++) {
            p.waitBefore(2);
            p.finished();
        }
        assertEquals(ReplyPacing.MIN_PER_REPLY_NANOS, p.perReplyNanos());
    }
}
