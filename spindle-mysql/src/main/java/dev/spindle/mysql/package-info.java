/**
 * A native asynchronous MySQL and MariaDB client for Spindle's coroutines (the tutorial's aiomysql, on the loop): the
 * wire protocol of its own over core's streams (TCP, unix sockets, TLS; both I/O backends), with prepared statements,
 * a pool, and cancellation that kills the query on the server.
 *
 * {@snippet :
 * run(() -> {
 *     try (MySqlPool pool = MySqlPool.create("mysql://app:secret@127.0.0.1/shop?sslMode=DISABLED", PoolOptions.defaults())) {
 *         List<Task<Row>> lookups = new ArrayList<>();
 *         for (int id = 1; id <= 100; id++) {
 *             int user = id;
 *             lookups.add(spawn(() -> pool.fetchOne("SELECT * FROM users WHERE id = ?", user)));
 *         }
 *         System.out.println(gather(lookups).size()); // 100 queries in flight from one thread
 *     }
 * });
 * }
 *
 * <h2>Shared rules</h2>
 * <ul>
 *   <li><b>Loop.</b> Connections and pools belong to the loop of the coroutine that made them and are used from its
 *       coroutines only; a connection serves one operation at a time.
 *   <li><b>Values are data.</b> Parameters ({@code ?} or {@code :name}) are bound through the binary protocol, never
 *       spliced into SQL text; no method formats a value into SQL.
 *   <li><b>Errors.</b> Unchecked: {@link dev.spindle.mysql.ServerError} (with code and SQLSTATE, typed subclasses),
 *       {@link dev.spindle.mysql.ConnectionLostError}, {@link dev.spindle.mysql.ProtocolError},
 *       {@link dev.spindle.mysql.PoolTimeout}; bad arguments and options are {@link IllegalArgumentException}s naming
 *       what was wrong.
 *   <li><b>Cancellation.</b> Every operation may be cancelled or bounded with {@code withTimeout}; an interrupted
 *       query is killed on the server and its reply drained before the connection serves anyone else (see
 *       {@link dev.spindle.mysql.MySqlConnection}).
 * </ul>
 *
 * <h2>Pipelining</h2>
 * A connection runs one statement at a time, and each costs a round trip: the command written, the reply read, two
 * system calls or more on each side. A {@link dev.spindle.mysql.Pipeline} sends many statements back to back in one
 * write and reads their replies in order, as the server answers them one after another: twenty single-row queries
 * for one request cost one round trip instead of twenty. Each queued call returns a
 * {@link dev.spindle.mysql.Pipeline.Pending} filled by {@code execute()}; a statement the server refuses has its
 * {@link dev.spindle.mysql.ServerError} in its place while the others run; an interrupted pipeline is cleaned up as
 * one interrupted query is (the running statement killed, every reply already asked for read and dropped). The
 * statements are independent (a failed one does not stop the next): use a transaction and check the results where
 * they depend on each other.
 *
 * {@snippet :
 * Pipeline p = pool.pipeline();
 * List<Pipeline.Pending<Row>> rows = new ArrayList<>();
 * for (int i = 0; i < 20; i++) {
 *     rows.add(p.fetchOne("SELECT id, randomNumber FROM World WHERE id = ?", 1 + i * 7));
 * }
 * p.execute(); // one connection, one write, twenty replies
 * }
 */
package dev.spindle.mysql;
