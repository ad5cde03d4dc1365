/**
 * The tutorial's laundromat as a real service, built only with Spindle's modules: one worker (the event loop), ten
 * washing machines (coroutines), and customers who come back to whichever finishes first.
 *
 * {@snippet lang=text :
 * ./mvnw -q package -DskipTests -Pdemo          # in spindle-laundromat, or -pl spindle-laundromat -am from the root
 * Starting local servers (data in /root/.spindle-laundromat) ...
 *   redis-server  redis://127.0.0.1:41923  (local, data in /root/.spindle-laundromat/redis)
 *   mariadbd      mysql://laundromat:laundromat@127.0.0.1:39117/laundromat?sslMode=DISABLED  (local, ...)
 * Spindle Laundromat: 10 machines, time x60.0
 *   page          http://127.0.0.1:8000/
 *   API docs      http://127.0.0.1:8000/docs
 * Ctrl-C stops it; washes in progress are saved and resume at the next start.
 * }
 *
 * <h2>The parts</h2>
 * <table>
 *   <caption>Packages</caption>
 *   <tr><th>package</th><th>what</th><th>Spindle module</th></tr>
 *   <tr><td>{@code laundromat}</td><td>{@link dev.spindle.laundromat.Main} (the command),
 *       {@link dev.spindle.laundromat.Laundromat} (the running service), its configuration, local servers</td>
 *       <td>core</td></tr>
 *   <tr><td>{@link dev.spindle.laundromat.api}</td><td>the REST API: routes, models, bearer-token login, rate
 *       limit</td><td>spindle-web</td></tr>
 *   <tr><td>{@link dev.spindle.laundromat.washes}</td><td>the floor: machines, washes as coroutines, save and
 *       resume</td><td>core</td></tr>
 *   <tr><td>{@link dev.spindle.laundromat.store}</td><td>MariaDB: versioned migrations, the data</td>
 *       <td>spindle-mysql</td></tr>
 *   <tr><td>{@link dev.spindle.laundromat.notify}</td><td>Redis: the ready stream and its consumer group, the rate
 *       limiter</td><td>spindle-redis</td></tr>
 *   <tr><td>{@link dev.spindle.laundromat.live}</td><td>live machine states over WebSocket and server-sent
 *       events</td><td>spindle-http, spindle-web</td></tr>
 *   <tr><td>{@link dev.spindle.laundromat.page}</td><td>the web page (plain HTML and JavaScript)</td>
 *       <td>spindle-web</td></tr>
 *   <tr><td>{@link dev.spindle.laundromat.load}</td><td>the load script</td><td>spindle-http's client</td></tr>
 * </table>
 *
 * <h2>One loop</h2>
 * Everything runs on one loop: HTTP connections, wash coroutines, stream consumers; the Redis client and the MariaDB
 * pool belong to it. So choosing and reserving a machine needs no lock (no suspension comes between), and the state
 * the live feed shows is the loop's own. CPU work (password hashing) goes to {@code toThread}.
 *
 * <h2>Nothing lost</h2>
 * A wash answered 201 is committed in MariaDB with its deadline before the answer. A graceful stop (Ctrl-C, SIGTERM)
 * saves running washes PAUSED with their remaining time; a crash leaves them RUNNING with their deadline; either
 * way the next start resumes them. A finished wash's ready notification is queued on a Redis stream after the
 * database says DONE (re-queued at start if a crash came between) and recorded once per wash by the consumers, which
 * acknowledge only after recording; entries a dead consumer read are claimed again.
 */
package dev.spindle.laundromat;
