package dev.spindle.mysql.internal.protocol;

/**
 * Not API: how long a session waits on purpose before reading more of a pipeline's replies, so that it takes many
 * replies per read instead of one or two.
 *
 * <h2>Why</h2>
 * The server runs a pipeline's statements one after the other and sends each reply as soon as it is done, each in a
 * small segment of its own. A client that reads as soon as the socket is readable wakes, reads and parses once per
 * few replies. Worse, Linux acknowledges at once a read that empties the receive queue after two or more small pushed
 * segments (the {@code ICSK_ACK_PUSHED2} rule of {@code tcp_cleanup_rbuf}), so each of those reads also sends an ACK,
 * which on loopback the reading thread delivers itself. Twenty point selects pipelined on MariaDB took about four
 * reads, three ACKs and two loop wake-ups per pipeline; waiting first, about one of each, and less than half the CPU
 * per pipeline on both sides.
 *
 * <h2>How long</h2>
 * The wait is the replies still to come times an estimate of the server's time per reply, at most
 * {@link #MAX_WAIT_NANOS} (so a pipeline of slow statements is read at most that late). The estimate adapts, like
 * interrupt moderation, and leans to waiting long enough, since a wait too long costs some latency but one too short
 * costs a read, a wake-up and an ACK: a second wait in one pipeline grows it by a quarter, a wait that found nothing at
 * all by half; a pipeline that needed no wait after its last one shrinks it by a sixteenth. It settles where about one
 * pipeline in five needs a second wait. Two waits in a row that find nothing mean a slow statement: the session then
 * waits for the socket's readiness instead.
 *
 * <p>Loop-confined, one per session.
 */
final class ReplyPacing {
    /** The longest single wait: the most a reply that has arrived can be left unread. */
    static final long MAX_WAIT_NANOS = 500_000;

    static final long MIN_PER_REPLY_NANOS = 1_000;
    static final long MAX_PER_REPLY_NANOS = 250_000;

    /** Where the estimate starts: about a point select's time on a local server. */
    static final long INITIAL_PER_REPLY_NANOS = 10_000;

    private long perReply = INITIAL_PER_REPLY_NANOS;
    /** A paced wait happened in this pipeline since the last adjustment. */
    private boolean waited;
    /** The last paced wait found nothing at all. */
    private boolean foundNothing;
    /** Paced waits made, for tests. */
    private long waits;

    /** The wait before reading while {@code remaining} replies (the one being read included) are still to come. */
    long waitBefore(int remaining) {
        if (waited) {
            grow(4); // the last wait was too short: there is more to read
        }
        waited = true;
        waits++;
        return Math.min(MAX_WAIT_NANOS, remaining * perReply);
    }

    /**
     * The read after a paced wait found nothing. Returns whether to wait for readiness now instead of pacing again:
     * true the second time in a row, as then the server is busy with a slow statement and timed reads would only find
     * nothing again.
     */
    boolean nothingArrived() {
        grow(5); // and a quarter more at the next wait: half in all
        if (foundNothing) {
            foundNothing = false;
            return true;
        }
        foundNothing = true;
        return false;
    }

    /** Bytes arrived. */
    void arrived() {
        foundNothing = false;
    }

    /** The pipeline's replies have all been read (or it ended otherwise). */
    void finished() {
        if (waited) {
            perReply = Math.max(MIN_PER_REPLY_NANOS, perReply - perReply / 16);
            waited = false;
        }
        foundNothing = false;
    }

    private void grow(int fraction) {
        perReply = Math.min(MAX_PER_REPLY_NANOS, perReply + perReply / fraction);
    }

    /** How many waits {@link #waitBefore} has asked for. */
    long waits() {
        return waits;
    }

    /** The current estimate of the server's time per reply, for tests. */
    long perReplyNanos() {
        return perReply;
    }
}
