package dev.spindle.mysql.internal.protocol;

import static dev.spindle.Spindle.sleep;
import static dev.spindle.Spindle.spawn;
import static dev.spindle.Spindle.withTimeout;

import dev.spindle.io.ConnectOptions;
import dev.spindle.io.Connection;
import dev.spindle.io.StreamError;
import dev.spindle.io.StreamReader;
import dev.spindle.io.StreamWriter;
import dev.spindle.io.Streams;
import dev.spindle.mysql.Column;
import dev.spindle.mysql.ConnectionLostError;
import dev.spindle.mysql.MySqlOptions;
import dev.spindle.mysql.ProtocolError;
import dev.spindle.mysql.ServerError;
import dev.spindle.mysql.internal.codec.Capabilities;
import dev.spindle.mysql.internal.codec.ColumnDefinition;
import dev.spindle.mysql.internal.codec.DecodeOptions;
import dev.spindle.mysql.internal.codec.ErrPacket;
import dev.spindle.mysql.internal.codec.Handshake;
import dev.spindle.mysql.internal.codec.OkPacket;
import dev.spindle.mysql.internal.codec.PacketDecoder;
import dev.spindle.mysql.internal.codec.PacketWriter;
import dev.spindle.mysql.internal.codec.Params;
import dev.spindle.mysql.internal.codec.Payload;
import dev.spindle.mysql.internal.codec.Rows;
import dev.spindle.mysql.internal.codec.ServerStatus;
import dev.spindle.task.Cancelled;
import dev.spindle.task.LoopFuture;
import dev.spindle.task.Task;
import dev.spindle.time.TimedOut;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connection's protocol engine: the socket, the packet decoder, the state of the reply being read, the statement
 * cache, and the clean-up after an interrupted command.
 *
 * <h2>Implementation overview</h2>
 * A command is written whole ({@code StreamWriter.write} never waits), then its reply is read packet by packet by
 * {@link #step()}, a state machine over {@link Phase}: the phase says what the next packet may be, so a reply can be
 * read to its end by anyone, at any time, without knowing who asked for it. That is what makes cancellation safe:
 *
 * <ol>
 *   <li>A reply interrupted part-way (the caller was cancelled or timed out while waiting for the server, or stopped
 *       reading rows) leaves {@link #phase} where it was. {@link #interrupted} marks the session {@code RECOVERING}
 *       and starts a recovery task.
 *   <li>The recovery task sends {@code KILL QUERY <thread id>} on a new side connection, reads the rest of the reply
 *       (the killed query's ERR 1317, or the rows already under way), then runs {@code DO 0} to absorb a kill that
 *       arrived after the query had finished. All of it within {@code cancelTimeout}; past it, or on any error, the
 *       connection is closed.
 *   <li>The next command on this session waits for the recovery first ({@link #enter}); a pool waits for it before
 *       handing the connection out again. So nobody ever reads a reply that is not theirs.
 * </ol>
 *
 * Reads go through {@link PacketDecoder} into a buffer of this session's own with {@code StreamReader.read(ByteBuffer)},
 * which consumes nothing when cancelled; a packet is either whole in the decoder or not taken.
 *
 * <h2>Pipelines</h2>
 * A pipeline ({@link #batchBegin} and the {@code batch*} methods) frames several commands back to back in {@link #out}
 * and writes them in windows of at most {@link #PIPELINE_WINDOW} bytes and {@link #PIPELINE_MAX_IN_FLIGHT} commands
 * in flight ({@link #batchNextReply} tops the window up before each reply), so that neither side's buffers fill up
 * and a cancel leaves a bounded amount of work to drain.
 * The commands written whose replies have not been started are the session's <em>outstanding</em> replies
 * ({@link #batchRead} to {@link #batchWritten}): each one's first phase, sequence id and statement are kept, so the
 * recovery reads them all, in order, as it reads the one pending reply of a single command. A COM_STMT_CLOSE that
 * cannot be written while commands of a pipeline may still need the statement is deferred ({@link #closeLater}) to
 * the end of the operation, or of the recovery.
 *
 * <p>Confinement: everything here runs on the connection's loop, one coroutine at a time ({@link #enter} refuses a
 * second one with {@link IllegalStateException}).
 */
public final class Session {
    /** What the next packet of the current reply may be. */
    enum Phase {
        /** No reply pending: the connection is clean. */
        IDLE,
        /** A result's first packet: OK, ERR, or a column count. */
        HEADER,
        COLUMNS,
        COLUMNS_EOF,
        ROWS,
        /** The reply to a command answered by OK or ERR only (ping, reset, close...). */
        SIMPLE,
        PREPARE_OK,
        PREPARE_PARAMS,
        PREPARE_PARAMS_EOF,
        PREPARE_COLUMNS,
        PREPARE_COLUMNS_EOF
    }

    public enum State {
        READY,
        BUSY,
        RECOVERING,
        CLOSED
    }

    /** What {@link #step()} found. */
    public static final int RESULT_SET = 1;

    public static final int ROW = 2;
    /** A result ended (an OK without rows, or the end of a result set): {@link #ok()} tells its counts. */
    public static final int RESULT_END = 3;

    public static final int PREPARED = 4;

    static final int COM_QUIT = 0x01;
    static final int COM_QUERY = 0x03;
    static final int COM_PING = 0x0E;
    static final int COM_STMT_PREPARE = 0x16;
    static final int COM_STMT_CLOSE = 0x19;
    static final int COM_RESET_CONNECTION = 0x1F;

    private final MySqlOptions options;
    private final Connection io;
    private final StreamReader reader;
    private final StreamWriter writer;
    private final PacketDecoder decoder;
    private final Payload payload = new Payload();
    private final PacketWriter out = new PacketWriter();
    /** A view of the last array written, reused while {@link #out} frames into the same one. */
    private ByteBuffer outView;

    private final DecodeOptions decodeOptions;
    private final boolean unixSocket;

    private Handshake handshake;
    private long capabilities;
    private boolean tls;
    private int status;

    // The reply being read.
    private Phase phase = Phase.IDLE;
    private boolean binaryRows;
    private int columnsLeft;
    private Column[] columns;
    private Object[] row;
    private OkPacket ok;
    /** The last OK read, which an OK saying the same is read as (OkPacket is immutable). */
    private OkPacket lastOk;

    private int paramsLeft;
    private Statement preparing;
    /** The statement whose COM_STMT_EXECUTE reply is being read (its column definitions are cached), or null. */
    private Statement executing;
    /** While reading column definitions: every one so far matched {@code executing}'s cached ones. */
    private boolean columnsCached;

    private State state = State.READY;
    private String busyWith;
    private LoopFuture<?> recovery;
    private Throwable closedBecause;

    private final StatementCache cache;

    // The pipeline being run: command i is out.framed()[batchEnds[i - 1], batchEnds[i]) (0 for i = 0); its reply
    // starts with sequence id batchSeqs[i] in the phase its kind says, for the statement batchStatements[i] (an
    // execute) or none. Commands [0, batchWritten) were written; replies [0, batchRead) were started.
    private int batchCount;
    private int batchWritten;
    /** Null when {@link MySqlOptions#pacePipelineReads()} is off. */
    private final ReplyPacing pacing;

    private boolean lastReadFilled;

    private int batchRead;
    private int[] batchEnds = new int[0];
    private byte[] batchSeqs = new byte[0];
    private byte[] batchKinds = new byte[0];
    private Statement[] batchStatements = new Statement[0];

    private static final byte KIND_QUERY = 0;
    private static final byte KIND_EXECUTE = 1;
    private static final byte KIND_PREPARE = 2;

    /**
     * The most bytes of a pipeline's commands in flight (written, their replies not yet read): the commands are
     * written up to this (or {@link #PIPELINE_MAX_IN_FLIGHT}), then again whenever the bytes and the count in flight
     * fell to half of it. The bytes bound what waits in buffers; the count bounds the work a cancel leaves to drain.
     */
    public static final int PIPELINE_WINDOW = 64 * 1024;

    /** The most commands of a pipeline in flight (see {@link #PIPELINE_WINDOW}). */
    public static final int PIPELINE_MAX_IN_FLIGHT = 256;

    /** Statements to close once no command in flight may use them (see {@link #closeLater}). */
    private int[] closeLater = new int[0];

    private int closeLaterCount;

    private Session(MySqlOptions options, Connection io, boolean unixSocket) {
        this.options = options;
        this.io = io;
        this.reader = io.reader();
        this.writer = io.writer();
        this.unixSocket = unixSocket;
        this.decoder = new PacketDecoder(options.maxPacketSize());
        this.decodeOptions = new DecodeOptions(options.tinyInt1IsBoolean(), options.zeroDateIsNull());
        this.cache = new StatementCache(options.statementCacheSize());
        this.pacing = options.pacePipelineReads() ? new ReplyPacing() : null;
    }

    // ---- connecting ---------------------------------------------------------------------------------------------

    /**
     * Connects, authenticates and sets up the session, all within the connect timeout.
     *
     * @throws ConnectionLostError if the server cannot be reached
     * @throws TimedOut past the connect timeout
     */
    public static Session connect(MySqlOptions o) {
        return withTimeout(o.connectTimeout(), () -> {
            Connection c;
            try {
                ConnectOptions co = ConnectOptions.builder().build();
                c = o.socket() != null
                        ? Streams.openUnixConnection(o.socket(), co)
                        : Streams.openConnection(o.host(), o.port(), co);
            } catch (StreamError e) {
                throw new ConnectionLostError("could not connect to " + where(o) + ": " + e.getMessage(), e);
            }
            Session s = new Session(o, c, o.socket() != null);
            try {
                Login.perform(s);
                s.setUpSession();
                return s;
            } catch (Throwable t) {
                c.writer().abort();
                throw t;
            }
        });
    }

    static String where(MySqlOptions o) {
        return o.socket() != null ? o.socket().toString() : o.host() + ":" + o.port();
    }

    private void setUpSession() {
        StringBuilder set = new StringBuilder();
        if (!Login.collationInHandshake(options.collation())) {
            set.append("NAMES utf8mb4 COLLATE ").append(options.collation()); // checked: [a-z0-9_]+
        }
        ZoneId zone = options.timeZone();
        if (zone != null) {
            if (set.length() > 0) {
                set.append(", ");
            }
            String name = zone instanceof ZoneOffset off
                    ? (off.getTotalSeconds() == 0 ? "+00:00" : off.getId())
                    : zone.getId();
            set.append("time_zone = '").append(name.replace("'", "")).append('\'');
        }
        if (set.length() > 0) {
            simpleQuery("SET " + set);
        }
        for (String sql : options.initSql()) {
            simpleQuery(sql);
        }
    }

    /** Runs a statement whose rows, if any, are dropped (set-up, KILL, DO 0). */
    public void simpleQuery(String sql) {
        sendQuery(sql);
        while (phase != Phase.IDLE) {
            step();
        }
    }

    // ---- accessors ------------------------------------------------------------------------------------------------

    public MySqlOptions options() {
        return options;
    }

    public long threadId() {
        return handshake.connectionId();
    }

    public String serverVersion() {
        return handshake.serverVersion();
    }

    public boolean isMariaDb() {
        return handshake.isMariaDb();
    }

    public boolean isTls() {
        return tls;
    }

    public boolean inTransaction() {
        return (status & ServerStatus.IN_TRANS) != 0;
    }

    public int status() {
        return status;
    }

    public State state() {
        return state;
    }

    public Column[] columns() {
        return columns;
    }

    public Object[] row() {
        return row;
    }

    public OkPacket ok() {
        return ok;
    }

    public boolean moreResults() {
        return (status & ServerStatus.MORE_RESULTS_EXISTS) != 0;
    }

    public boolean replyPending() {
        return phase != Phase.IDLE;
    }

    /** A reply is being read, or commands of a pipeline were written whose replies have not been started. */
    private boolean replyOutstanding() {
        return phase != Phase.IDLE || batchRead < batchWritten;
    }

    public StatementCache cache() {
        return cache;
    }

    ZoneId sessionZone() {
        return options.timeZone();
    }

    // ---- who uses the session ---------------------------------------------------------------------------------

    /**
     * Starts an operation: waits for a recovery under way, then marks the session busy.
     *
     * @throws IllegalStateException if another operation (or an open row stream) holds the session
     * @throws ConnectionLostError if the session is closed
     */
    public void enter(String what) {
        if (state == State.RECOVERING) {
            awaitRecovery();
        }
        if (state == State.CLOSED) {
            throw closedError();
        }
        if (state == State.BUSY) {
            throw new IllegalStateException("the connection is busy with " + busyWith
                    + ": one operation at a time (close a RowStream before the next query or pipeline, or use a pool)");
        }
        state = State.BUSY;
        busyWith = what;
    }

    /** Waits for a recovery under way (if any) to end; the session is then READY or CLOSED. */
    public void awaitRecovery() {
        LoopFuture<?> r = recovery;
        if (r != null && !r.isDone()) {
            try {
                r.await();
            } catch (Cancelled c) {
                if (!r.isCancelled() || Task.current().cancelling() > 0) {
                    throw c; // this caller was cancelled, not (only) the recovery
                }
                // the recovery was stopped by a close: the session is closed, which enter() reports
            } catch (RuntimeException e) {
                // the recovery closed the session and said why there
            }
        }
    }

    /** Ends an operation whose reply was read to the end. */
    public void leave() {
        if (state == State.BUSY) {
            if (replyOutstanding()) {
                interrupted(false);
                return;
            }
            batchReset();
            flushCloses();
            state = State.READY;
        }
    }

    /**
     * Ends an operation that failed with {@code t}: a server error after its reply leaves the session ready; a broken
     * connection or protocol closes it; anything that left a reply pending (a cancel, a timeout, a value that could
     * not be converted) starts the recovery.
     */
    public void failed(Throwable t) {
        if (state != State.BUSY) {
            return;
        }
        if (t instanceof ProtocolError || t instanceof ConnectionLostError) {
            closeNow(t);
        } else if (!replyOutstanding()) {
            batchReset(); // a pipeline refused before anything of it was written
            try {
                flushCloses();
            } catch (RuntimeException e) { // the connection broke (and is closed): t says what the caller needs
                t.addSuppressed(e);
                return;
            }
            state = State.READY;
        } else {
            interrupted(t instanceof Cancelled || t instanceof TimedOut || t instanceof InterruptedException);
        }
    }

    /** Starts cleaning up a reply left pending; {@code kill}: the server may still be working on it. */
    public void interrupted(boolean kill) {
        if (state == State.CLOSED || state == State.RECOVERING) {
            return;
        }
        state = State.RECOVERING;
        busyWith = null;
        recovery = spawn("mysql-recover-" + threadId(), () -> {
            try {
                withTimeout(options.cancelTimeout(), () -> {
                    if (kill && phase != Phase.SIMPLE) {
                        killQuery();
                    }
                    drain();
                    settle();
                });
                state = State.READY;
            } catch (Throwable t) {
                closeNow(new ConnectionLostError(
                        "the connection was closed: cleaning up after an interrupted" + " query failed (" + t + ")",
                        t));
            }
        });
    }

    private void killQuery() {
        // the side connection runs no init SQL of the user's: it only sends the KILL
        Session side = connect(options.toBuilder().clearInitSql().build());
        try {
            side.simpleQuery("KILL QUERY " + threadId());
        } finally {
            side.closeNow(null);
        }
    }

    /**
     * Reads the rest of the pending reply and every outstanding one of a pipeline, in order, discarding rows; closes
     * the statements whose prepares were interrupted, and those {@linkplain #closeLater deferred}.
     */
    private void drain() {
        while (true) {
            if (phase == Phase.IDLE) {
                if (preparing != null) { // a prepare's reply read by nobody: nobody will close it
                    closeLater(preparing.id());
                    preparing = null;
                }
                if (batchRead >= batchWritten) {
                    break;
                }
                startReply();
            }
            try {
                stepDiscarding();
            } catch (ServerError e) {
                // the killed query's 1317, or the error it met: the reply is over
            }
        }
        batchReset();
        flushCloses();
    }

    /** Absorbs a KILL QUERY that reached the server after the query had ended: it would stop the next statement. */
    private void settle() {
        for (int i = 0; i < 3; i++) {
            try {
                simpleQuery("DO 0");
                return;
            } catch (ServerError.QueryInterrupted e) {
                // the late kill hit this statement instead of the user's next one
            }
        }
    }

    private ConnectionLostError closedError() {
        if (closedBecause instanceof ConnectionLostError e) {
            return new ConnectionLostError(e.getMessage(), e);
        }
        return new ConnectionLostError(
                "the connection to " + where(options) + " is closed"
                        + (closedBecause == null ? "" : ": " + closedBecause),
                closedBecause);
    }

    // ---- commands -----------------------------------------------------------------------------------------------

    private void beginCommand() {
        if (replyOutstanding()) {
            throw new IllegalStateException("a command was started while a reply is pending (phase " + phase + ", "
                    + (batchWritten - batchRead) + " more outstanding)");
        }
        out.start();
    }

    private void sendCommand(Phase next) {
        int replySeq = out.finish(0);
        decoder.expectSequence(replySeq);
        write(out.framed(), out.framedLength());
        phase = next;
        columns = null;
        row = null;
        ok = null;
    }

    void write(byte[] bytes, int len) {
        write(bytes, 0, len);
    }

    private void write(byte[] bytes, int off, int len) {
        ByteBuffer b = outView;
        if (b == null || b.array() != bytes) {
            b = outView = ByteBuffer.wrap(bytes);
        }
        b.limit(off + len).position(off);
        try {
            writer.write(b);
        } catch (StreamError e) {
            throw lost("writing to the server failed", e);
        } catch (IllegalStateException e) {
            throw lost("the connection is closed", e);
        }
    }

    /** COM_QUERY: the reply's results are read with {@link #step()}. */
    public void sendQuery(String sql) {
        beginCommand();
        out.int1(COM_QUERY).string(sql);
        binaryRows = false;
        sendCommand(Phase.HEADER);
        executing = null;
    }

    /** COM_STMT_EXECUTE of a prepared statement with these parameters (already checked for count). */
    public void sendExecute(Statement s, Object[] params) {
        beginCommand();
        Params.execute(out, s.id(), params, sessionZone());
        binaryRows = true;
        sendCommand(Phase.HEADER);
        executing = s;
    }

    /** A statement prepared on this session, from the cache or prepared now (evicting the least recently used). */
    public Statement prepare(String sql) {
        Statement s = cache.get(sql);
        if (s != null) {
            return s;
        }
        s = prepareUncached(sql);
        Statement evicted = cache.put(sql, s);
        if (evicted != null) {
            closeStatement(evicted.id());
        }
        return s;
    }

    /** Closes {@code s} if the cache did not keep it (a cache of size 0); call once its reply is read. */
    public void release(String sql, Statement s) {
        // prepare() caches every statement when the cache has room for any, and nothing evicts it before this call
        if (cache.capacity == 0 && phase == Phase.IDLE && state != State.CLOSED && !cache.contains(sql)) {
            closeStatement(s.id());
        }
    }

    /** COM_STMT_PREPARE, read to the end. */
    public Statement prepareUncached(String sql) {
        beginCommand();
        out.int1(COM_STMT_PREPARE).string(sql);
        sendCommand(Phase.PREPARE_OK);
        executing = null;
        preparing = null;
        while (phase != Phase.IDLE) {
            step();
        }
        Statement s = preparing;
        preparing = null;
        return s;
    }

    /** COM_STMT_CLOSE: no reply. */
    public void closeStatement(int id) {
        beginCommand();
        out.int1(COM_STMT_CLOSE).int4(id);
        out.finish(0);
        write(out.framed(), out.framedLength());
    }

    /** A statement from the cache (now the most recently used), or null when it is not there. */
    public Statement cached(String sql) {
        return cache.get(sql);
    }

    /** Sends COM_STMT_CLOSE for {@code id} once no command in flight may need it: at the end of the operation. */
    public void closeLater(int id) {
        if (closeLaterCount == closeLater.length) {
            closeLater = Arrays.copyOf(closeLater, Math.max(8, closeLaterCount * 2));
        }
        closeLater[closeLaterCount++] = id;
    }

    private void flushCloses() {
        while (closeLaterCount > 0 && state != State.CLOSED) {
            closeStatement(closeLater[--closeLaterCount]);
        }
        closeLaterCount = 0;
    }

    // ---- pipelines ------------------------------------------------------------------------------------------------

    /** Starts framing a pipeline's commands (none is written before {@link #batchNextReply}). */
    public void batchBegin() {
        beginCommand();
        batchReset();
    }

    /** Frames a COM_QUERY into the pipeline; its reply is read as {@link #sendQuery}'s. */
    public void batchQuery(String sql) {
        batchNext();
        out.int1(COM_QUERY).string(sql);
        batchAdd(KIND_QUERY, null);
    }

    /**
     * Frames a COM_STMT_EXECUTE into the pipeline, as {@link #sendExecute} does.
     *
     * @throws IllegalArgumentException for a parameter of a type with no MySQL mapping (nothing of the pipeline is
     *     written then)
     */
    public void batchExecute(Statement s, Object[] params) {
        batchNext();
        Params.execute(out, s.id(), params, sessionZone());
        batchAdd(KIND_EXECUTE, s);
    }

    /** Frames a COM_STMT_PREPARE into the pipeline; read its reply with {@link #readPrepared()}. */
    public void batchPrepare(String sql) {
        batchNext();
        out.int1(COM_STMT_PREPARE).string(sql);
        batchAdd(KIND_PREPARE, null);
    }

    private void batchNext() {
        if (batchCount > 0) {
            out.startNext();
        }
    }

    private void batchAdd(byte kind, Statement s) {
        int replySeq = out.finish(0);
        int n = batchCount;
        if (n == batchEnds.length) {
            int size = Math.max(16, n * 2);
            batchEnds = Arrays.copyOf(batchEnds, size);
            batchSeqs = Arrays.copyOf(batchSeqs, size);
            batchKinds = Arrays.copyOf(batchKinds, size);
            batchStatements = Arrays.copyOf(batchStatements, size);
        }
        batchEnds[n] = out.framedLength();
        batchSeqs[n] = (byte) replySeq;
        batchKinds[n] = kind;
        batchStatements[n] = s;
        batchCount = n + 1;
    }

    /**
     * Starts reading the next reply of the pipeline, read then with {@link #step()} as a single command's (or
     * {@link #readPrepared()}): first writes more of the commands when at most half of {@link #PIPELINE_WINDOW}
     * bytes and of {@link #PIPELINE_MAX_IN_FLIGHT} commands are in flight (the next command at least, however
     * large).
     *
     * @throws ConnectionLostError if writing fails (the connection is closed)
     */
    public void batchNextReply() {
        if (replyPending() || batchRead >= batchCount) {
            throw new IllegalStateException(
                    "no pipeline reply to start (phase " + phase + ", reply " + batchRead + " of " + batchCount + ")");
        }
        if (batchWritten < batchCount) {
            int from = batchStart(batchRead);
            if (batchWritten == batchRead
                    || (batchStart(batchWritten) - from <= PIPELINE_WINDOW / 2
                            && batchWritten - batchRead <= PIPELINE_MAX_IN_FLIGHT / 2)) {
                int k = batchWritten + 1;
                while (k < batchCount
                        && batchEnds[k] - from <= PIPELINE_WINDOW
                        && k - batchRead < PIPELINE_MAX_IN_FLIGHT) {
                    k++;
                }
                int start = batchStart(batchWritten);
                write(out.framed(), start, batchEnds[k - 1] - start);
                batchWritten = k;
            }
        }
        startReply();
    }

    private int batchStart(int i) {
        return i == 0 ? 0 : batchEnds[i - 1];
    }

    /** The next outstanding reply of the pipeline becomes the pending one. */
    private void startReply() {
        int i = batchRead++;
        decoder.expectSequence(batchSeqs[i] & 0xFF);
        byte kind = batchKinds[i];
        phase = kind == KIND_PREPARE ? Phase.PREPARE_OK : Phase.HEADER;
        binaryRows = kind == KIND_EXECUTE;
        executing = batchStatements[i];
        batchStatements[i] = null;
        columns = null;
        row = null;
        ok = null;
    }

    /** Forgets the pipeline: its commands were all answered, or none was written, or the connection is gone. */
    private void batchReset() {
        if (batchCount == 0) {
            return;
        }
        if (pacing != null) {
            pacing.finished();
        }
        Arrays.fill(batchStatements, 0, batchCount, null);
        batchCount = 0;
        batchWritten = 0;
        batchRead = 0;
        out.shrink(PIPELINE_WINDOW);
    }

    /** Reads a prepare's reply started by {@link #batchNextReply()}: the statement (not cached). */
    public Statement readPrepared() {
        while (phase != Phase.IDLE) {
            step();
        }
        Statement s = preparing;
        preparing = null;
        if (s == null) {
            throw protocol("a prepare's reply ended without its statement");
        }
        return s;
    }

    /**
     * Prepares the statements {@code sqls} (none of them cached, no two the same) in one pipeline, and caches them.
     * Returns for each its {@link Statement} or the {@link ServerError} its prepare met. The statements the cache
     * evicts meanwhile (these very ones too, when they are more than it holds), and all of them for a cache of size
     * 0, are closed at the end of the operation ({@link #closeLater}), so commands pipelined after may still use them.
     */
    public Object[] prepareAll(java.util.List<String> sqls) {
        batchBegin();
        for (String sql : sqls) {
            batchPrepare(sql);
        }
        Object[] prepared = new Object[sqls.size()];
        for (int i = 0; i < prepared.length; i++) {
            batchNextReply();
            try {
                Statement s = readPrepared();
                prepared[i] = s;
                if (cache.capacity == 0) {
                    closeLater(s.id());
                } else {
                    Statement evicted = cache.put(sqls.get(i), s);
                    if (evicted != null) {
                        closeLater(evicted.id());
                    }
                }
            } catch (ServerError e) {
                prepared[i] = e;
            }
        }
        batchReset();
        return prepared;
    }

    public void ping() {
        beginCommand();
        out.int1(COM_PING);
        sendCommand(Phase.SIMPLE);
        executing = null;
        step();
    }

    /** COM_RESET_CONNECTION: rolls back, drops temporary tables, variables and prepared statements; then set-up again. */
    public void resetConnection() {
        beginCommand();
        out.int1(COM_RESET_CONNECTION);
        sendCommand(Phase.SIMPLE);
        executing = null;
        step();
        cache.clear();
        setUpSession();
    }

    // ---- reading the reply --------------------------------------------------------------------------------------

    /**
     * Reads the next packet of the reply and returns what it was: {@link #RESULT_SET} (columns known), {@link #ROW}
     * ({@link #row()}), {@link #RESULT_END} ({@link #ok()}; more results may follow) or {@link #PREPARED}.
     *
     * @throws ServerError when the reply is an ERR (the reply is then over)
     */
    public int step() {
        return step(false);
    }

    private void stepDiscarding() {
        step(true);
    }

    /** Steps until a packet gives something to report (column definitions and metadata are taken in passing). */
    private int step(boolean discard) {
        int event;
        do {
            event = stepOnce(discard);
        } while (event == CONTINUE);
        return event;
    }

    /** {@link #stepOnce}: the packet was taken, nothing to report yet. */
    private static final int CONTINUE = 0;

    private int stepOnce(boolean discard) {
        Payload p = readPacket();
        switch (phase) {
            case HEADER, SIMPLE -> {
                int h = p.peek();
                if (h == 0x00 || (phase == Phase.SIMPLE && h == 0xFE)) {
                    return endResult(OkPacket.parse(p, lastOk));
                }
                if (h == 0xFF) {
                    throw error(p);
                }
                if (phase == Phase.SIMPLE) {
                    throw unexpected(p, "an OK or ERR");
                }
                if (h == 0xFB) {
                    throw protocol("the server asked for a LOCAL INFILE, which this client never allows");
                }
                long n = p.lenencInt();
                boolean definitionsFollow = true;
                if ((capabilities & Capabilities.MARIADB_CLIENT_CACHE_METADATA) != 0 && p.hasRemaining()) {
                    definitionsFollow = p.int1() != 0;
                }
                if (n <= 0 || n > 4096 || p.hasRemaining()) {
                    throw protocol("a result header announces " + n + " columns");
                }
                columnsLeft = (int) n;
                Column[] cached = executing == null ? null : executing.columns;
                columnsCached = cached != null && cached.length == columnsLeft;
                if (!definitionsFollow) { // the ones the server sent last, which this statement keeps
                    if (!columnsCached) {
                        throw protocol("a result of " + n + " columns came without their definitions, which the client"
                                + " does not have ("
                                + (executing == null
                                        ? "not a prepared statement's result"
                                        : executing + " has " + (cached == null ? "none" : cached.length + ""))
                                + ")");
                    }
                    columns = cached;
                    columnsLeft = 0;
                    phase = deprecateEof() ? Phase.ROWS : Phase.COLUMNS_EOF;
                    return phase == Phase.ROWS ? RESULT_SET : CONTINUE;
                }
                columns = columnsCached ? cached : new Column[columnsLeft];
                if (executing != null && !columnsCached) {
                    executing.pendingBytes = new byte[columnsLeft][];
                }
                phase = Phase.COLUMNS;
                return CONTINUE;
            }
            case COLUMNS -> {
                column(columns.length - columnsLeft, p);
                if (--columnsLeft == 0) {
                    phase = deprecateEof() ? Phase.ROWS : Phase.COLUMNS_EOF;
                    if (phase == Phase.ROWS) {
                        return RESULT_SET;
                    }
                }
                return CONTINUE;
            }
            case COLUMNS_EOF -> {
                expectEof(p);
                phase = Phase.ROWS;
                return RESULT_SET;
            }
            case ROWS -> {
                int h = p.peek();
                if (h == 0xFF) {
                    throw error(p);
                }
                if (h == 0xFE && (deprecateEof() ? OkPacket.isOkTerminator(p) : OkPacket.isTerminator(p))) {
                    return endResult(deprecateEof() ? OkPacket.parse(p, lastOk) : OkPacket.parseEof(p, lastOk));
                }
                row = discard
                        ? null
                        : binaryRows ? Rows.binary(columns, p, decodeOptions) : Rows.text(columns, p, decodeOptions);
                return ROW;
            }
            case PREPARE_OK -> {
                int h = p.peek();
                if (h == 0xFF) {
                    throw error(p);
                }
                if (h != 0x00) {
                    throw unexpected(p, "a prepare OK");
                }
                p.int1();
                int id = p.int4();
                int cols = p.int2();
                int params = p.int2();
                preparing = new Statement(id, params, cols);
                paramsLeft = params;
                columnsLeft = cols;
                phase = params > 0 ? Phase.PREPARE_PARAMS : cols > 0 ? Phase.PREPARE_COLUMNS : Phase.IDLE;
                return phase == Phase.IDLE ? PREPARED : CONTINUE;
            }
            case PREPARE_PARAMS -> {
                ColumnDefinition.parse(p);
                if (--paramsLeft == 0) {
                    phase = !deprecateEof()
                            ? Phase.PREPARE_PARAMS_EOF
                            : columnsLeft > 0 ? Phase.PREPARE_COLUMNS : Phase.IDLE;
                }
                return phase == Phase.IDLE ? PREPARED : CONTINUE;
            }
            case PREPARE_PARAMS_EOF -> {
                expectEof(p);
                phase = columnsLeft > 0 ? Phase.PREPARE_COLUMNS : Phase.IDLE;
                return phase == Phase.IDLE ? PREPARED : CONTINUE;
            }
            case PREPARE_COLUMNS -> {
                preparing.prepared(preparing.columnCount - columnsLeft, p); // the first execution may omit them
                if (--columnsLeft == 0) {
                    phase = deprecateEof() ? Phase.IDLE : Phase.PREPARE_COLUMNS_EOF;
                }
                return phase == Phase.IDLE ? PREPARED : CONTINUE;
            }
            case PREPARE_COLUMNS_EOF -> {
                expectEof(p);
                phase = Phase.IDLE;
                return PREPARED;
            }
            case IDLE -> throw protocol("a packet arrived while no reply was pending");
            default -> throw new IllegalStateException("phase " + phase);
        }
    }

    /**
     * Takes column definition {@code i}. The definitions of a prepared statement's result are sent again with every
     * execution and rarely change: while each one's bytes equal those cached with {@link #executing}, the cached
     * {@link Column} is taken and {@link #columns} stays the cached array itself (so the layers above can reuse what
     * they built from it); at the first difference the array is copied and the rest parsed, and the new definitions
     * replace the cached ones once all are read.
     */
    private void column(int i, Payload p) {
        Statement st = executing;
        if (columnsCached) {
            byte[] raw = st.columnBytes[i];
            if (Arrays.equals(raw, 0, raw.length, p.array(), p.position(), p.end())) {
                return;
            }
            columnsCached = false;
            columns = columns.clone(); // the definitions before i matched: keep them
            st.pendingBytes = st.columnBytes.clone();
        }
        int from = p.position();
        columns[i] = ColumnDefinition.parse(p);
        if (st != null) {
            st.pendingBytes[i] = Arrays.copyOfRange(p.array(), from, p.end());
            if (i == columns.length - 1) {
                st.columnBytes = st.pendingBytes;
                st.pendingBytes = null;
                st.columns = columns;
            }
        }
    }

    private int endResult(OkPacket k) {
        ok = k;
        lastOk = k;
        status = k.status();
        phase = phase != Phase.SIMPLE && (k.status() & ServerStatus.MORE_RESULTS_EXISTS) != 0
                ? Phase.HEADER
                : Phase.IDLE;
        return RESULT_END;
    }

    private ServerError error(Payload p) {
        ErrPacket e = ErrPacket.parse(p);
        phase = Phase.IDLE; // an ERR ends the whole reply
        return e.toException();
    }

    private void expectEof(Payload p) {
        if (!OkPacket.isTerminator(p)) {
            throw unexpected(p, "an EOF packet");
        }
        status = OkPacket.parseEof(p).status();
    }

    private boolean deprecateEof() {
        return (capabilities & Capabilities.DEPRECATE_EOF) != 0;
    }

    private ProtocolError unexpected(Payload p, String wanted) {
        return protocol("expected " + wanted + ", got a packet starting with 0x" + Integer.toHexString(p.peek()) + " ("
                + p.remaining() + " bytes) in phase " + phase);
    }

    private ProtocolError protocol(String message) {
        ProtocolError e = new ProtocolError(message);
        closeNow(e);
        return e;
    }

    /** The next whole packet; waits for bytes as needed. */
    Payload readPacket() {
        try {
            while (!decoder.next(payload)) {
                ByteBuffer room = decoder.freeSpace(decoder.wanted());
                int n = readPaced(room);
                if (n < 0) {
                    throw lost(
                            "the server closed the connection"
                                    + (phase == Phase.IDLE ? "" : " in the middle of a reply"),
                            null);
                }
                decoder.commit(n);
            }
            return payload;
        } catch (StreamError e) {
            throw lost("reading from the server failed: " + e.getMessage(), e);
        } catch (ProtocolError e) {
            closeNow(e);
            throw e;
        }
    }

    /**
     * Reads into {@code room}: while more of a pipeline's replies are to come than the one being read, after a wait
     * on purpose ({@link ReplyPacing}), taking what has arrived (0 when nothing has, to be paced again; after a second
     * such miss it waits for bytes); else as soon as bytes arrive. A read that filled its room does not wait before
     * the next: the bytes are streaming in.
     */
    private int readPaced(ByteBuffer room) {
        int remaining = batchWritten - batchRead + 1;
        if (pacing == null || remaining < 2 || lastReadFilled) {
            return fill(room, reader.read(room));
        }
        sleep(Duration.ofNanos(pacing.waitBefore(remaining)));
        int n = reader.tryRead(room);
        if (n == 0) {
            if (!pacing.nothingArrived()) {
                return 0; // wait on purpose again, longer
            }
            n = reader.read(room);
        }
        pacing.arrived();
        return fill(room, n);
    }

    /** How many paced waits this session's pipelines have made (0 with pacing off), for tests. */
    public long pacedWaits() {
        return pacing == null ? 0 : pacing.waits();
    }

    private int fill(ByteBuffer room, int n) {
        lastReadFilled = n > 0 && !room.hasRemaining();
        return n;
    }

    private ConnectionLostError lost(String message, Throwable cause) {
        ConnectionLostError e = new ConnectionLostError(
                message + " (" + where(options) + ", thread " + (handshake == null ? "?" : threadId()) + ")", cause);
        closeNow(e);
        return e;
    }

    // ---- login support (Login drives these) ----------------------------------------------------------------

    void handshake(Handshake h) {
        this.handshake = h;
        this.status = h.status();
    }

    Handshake handshake() {
        return handshake;
    }

    void capabilities(long caps) {
        this.capabilities = caps;
    }

    void tlsOn() {
        this.tls = true;
    }

    boolean unixSocket() {
        return unixSocket;
    }

    PacketDecoder decoder() {
        return decoder;
    }

    PacketWriter out() {
        return out;
    }

    Connection io() {
        return io;
    }

    void loggedIn(OkPacket k) {
        status = k.status();
    }

    // ---- closing --------------------------------------------------------------------------------------------------

    /** Sends COM_QUIT when the connection is clean, then closes it; a recovery under way is stopped. */
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        if (recovery != null && !recovery.isDone()) {
            recovery.cancel();
            if (Task.currentOrNull() != null) {
                try {
                    recovery.await();
                } catch (Cancelled c) {
                    if (!recovery.isCancelled() || Task.current().cancelling() > 0) {
                        throw c; // the closing coroutine itself was cancelled
                    }
                } catch (RuntimeException ignored) {
                    // the recovery failed: the session is closed anyway
                }
            }
        }
        if (!replyOutstanding() && state != State.RECOVERING) {
            try {
                out.start().int1(COM_QUIT);
                out.finish(0);
                writer.write(out.framed(), 0, out.framedLength());
            } catch (RuntimeException ignored) {
                // closing anyway
            }
        }
        state = State.CLOSED;
        closedBecause = null;
        phase = Phase.IDLE;
        batchCount = batchWritten = batchRead = 0;
        closeLaterCount = 0;
        writer.close();
    }

    /** Closes at once, dropping anything pending; {@code why} is what later uses are told. */
    public void closeNow(Throwable why) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closedBecause = why;
        phase = Phase.IDLE;
        batchCount = batchWritten = batchRead = 0;
        closeLaterCount = 0;
        writer.abort();
        LoopFuture<?> r = recovery;
        if (r != null && !r.isDone() && Task.currentOrNull() != r) {
            r.cancel();
        }
    }

    public boolean isOpen() {
        return state != State.CLOSED;
    }

    /**
     * A statement prepared on the server: its id and its parameter and column counts, and the column definitions of
     * its last result set (see {@link #column}).
     */
    public static final class Statement {
        private final int id;
        private final int paramCount;
        private final int columnCount;
        /** The last result set's definitions, parsed and as sent; replaced together when a result differs. */
        private Column[] columns;

        private byte[][] columnBytes;
        private byte[][] pendingBytes;
        private Column[] pendingColumns;
        /** Whatever the layer above built from {@link #columns} (the public row metadata), for it to reuse. */
        private Object columnsView;

        private Column[] columnsViewFor;

        public Statement(int id, int paramCount, int columnCount) {
            this.id = id;
            this.paramCount = paramCount;
            this.columnCount = columnCount;
        }

        /**
         * Takes the prepare's column definition {@code i}: under MARIADB_CLIENT_CACHE_METADATA the executions send
         * definitions only when they differ from the last sent, these ones first.
         */
        void prepared(int i, Payload p) {
            if (i == 0) {
                pendingBytes = new byte[columnCount][];
                pendingColumns = new Column[columnCount];
            }
            int from = p.position();
            pendingColumns[i] = ColumnDefinition.parse(p);
            pendingBytes[i] = Arrays.copyOfRange(p.array(), from, p.end());
            if (i == columnCount - 1) {
                columns = pendingColumns;
                columnBytes = pendingBytes;
                pendingColumns = null;
                pendingBytes = null;
            }
        }

        public int id() {
            return id;
        }

        public int paramCount() {
            return paramCount;
        }

        public int columnCount() {
            return columnCount;
        }

        /** What the layer above built from {@code cols} earlier, if {@code cols} is still the array it was built from. */
        public Object columnsView(Column[] cols) {
            return cols == columnsViewFor ? columnsView : null;
        }

        /** Keeps {@code view}, built from {@code cols}, for results whose columns are the same array. */
        public void columnsView(Column[] cols, Object view) {
            columnsViewFor = cols;
            columnsView = view;
        }

        @Override
        public String toString() {
            return "Statement[id=" + id + ", paramCount=" + paramCount + ", columnCount=" + columnCount + "]";
        }
    }

    /** The per-session LRU of prepared statements, keyed by SQL text. */
    public static final class StatementCache {
        private final int capacity;
        private final LinkedHashMap<String, Statement> map;

        StatementCache(int capacity) {
            this.capacity = capacity;
            this.map = new LinkedHashMap<>(16, 0.75f, true);
        }

        Statement get(String sql) {
            return map.get(sql);
        }

        /** Adds a statement and returns the one evicted to make room, or null. */
        Statement put(String sql, Statement s) {
            if (capacity == 0) {
                return null; // no cache: the statement is closed after its one use (see release)
            }
            map.put(sql, s);
            if (map.size() > capacity) {
                Map.Entry<String, Statement> eldest = map.entrySet().iterator().next();
                map.remove(eldest.getKey());
                return eldest.getValue();
            }
            return null;
        }

        void clear() {
            map.clear();
        }

        public int size() {
            return map.size();
        }

        public boolean contains(String sql) {
            return map.containsKey(sql);
        }
    }
}
