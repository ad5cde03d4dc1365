#!/usr/bin/env bash
# The web framework benchmark (issue 11): TechEmpower's six tests (plaintext, JSON, single query /db, multiple queries
# /queries?queries=20, fortunes, updates /updates?queries=20) driven by wrk over 127.0.0.1 against Spindle's web
# framework (spindle-web + spindle-mysql), FastAPI + uvicorn (aiomysql, jinja2), Vert.x 5 web (vertx-mysql-client 5)
# and Helidon 4 SE (MariaDB Connector/J + HikariCP on virtual threads), all on one MariaDB this script starts; and
# the bare spindle-http handler on plaintext and JSON, for spindle-web's own cost per request over it.
# Every server's answers are checked once before it is measured (JSON shapes, counts, the fortunes page's added and
# escaped fortunes, the updates stored); a wrong answer stops the script. The endpoint "plaintext16" is /plaintext with
# 16 requests pipelined per connection, as TechEmpower's own plaintext test sends them (the rest are not pipelined). Markdown tables of req/s, p50/p99 latency,
# the server's user+system CPU per request, MariaDB's CPU per request and each server's ratios to FastAPI and Vert.x
# (min/median/max of RUNS).
#
#   benchmarks/web.sh                       # everything, RUNS times each (default 3)
#   benchmarks/web.sh --quick               # a smoke test: 1 run, 2 s warm-up + 3 s measured, 64 connections
#   benchmarks/web.sh --runtimes "spindle vertx" --endpoints "db fortunes" --connections "64 256"
#
# Environment: RUNS (default 3), WARMUP_S (default 10: each server starts fresh per cell), MEASURE_S (default 10),
# QUERIES (rows per /queries and /updates request, default 20), POOL (database connections per server or loop,
# default 64), JAVA_HOME (a JDK 25+), JVM_OPTS (extra flags for every JVM server), PORT_BASE (default 18300),
# WAIT_QUIET (seconds to wait at most for the load average to drop below 0.5), BUILD (0: use the jars already built).
#
# Runtimes: spindle (spindle-web, one loop), spindle-netty (the same on spindle-netty's epoll), spindle-http (the bare
# spindle-http handler: plaintext and JSON only), fastapi (uvicorn, one worker, uvloop and httptools), vertx (one event
# loop), vertx-pipelined (the same with vertx-mysql-client pipelining /queries' and /updates' statements on one
# connection, as Spindle does), helidon (a virtual thread per request: not pinned, as in http.sh; compare its CPU per
# request). On two cores or more, wrk and mariadbd share core 0 and one-loop servers get core 1 to themselves. The
# ratios: "req/s" is the throughput ratio; "per core" is the peer's CPU per request over this one's (the figure that
# counts on this 2-core machine). Raw results, logs and tables go to benchmarks/results/web-<date-time>/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

QUICK=0
RUNTIMES="spindle spindle-http fastapi vertx helidon"
ENDPOINTS="plaintext json db queries fortunes updates"
CONNECTIONS_LIST="64 256"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --runtimes) RUNTIMES="$2"; shift ;;
        --endpoints) ENDPOINTS="$2"; shift ;;
        --connections) CONNECTIONS_LIST="$2"; shift ;;
        -h|--help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "web.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
if [[ $QUICK == 1 ]]; then
    RUNS="${RUNS:-1}"; WARMUP_S="${WARMUP_S:-2}"; MEASURE_S="${MEASURE_S:-3}"
    CONNECTIONS_LIST="${CONNECTIONS_LIST%% *}"
else
    RUNS="${RUNS:-3}"; WARMUP_S="${WARMUP_S:-10}"; MEASURE_S="${MEASURE_S:-10}"
fi
QUERIES="${QUERIES:-20}"
POOL="${POOL:-64}"
JVM_OPTS="${JVM_OPTS:-}"
PORT_BASE="${PORT_BASE:-18300}"
SPINDLE_FLAG="--add-opens java.base/java.lang=ALL-UNNAMED"
NATIVE_FLAG="--enable-native-access=ALL-UNNAMED"
HOST=127.0.0.1 # the only address anything here listens on or connects to
DB_USER=benchmarkdbuser
DB_PASS=benchmarkdbpass

say() { echo "web.sh: $*" >&2; }

# ---- prerequisites -------------------------------------------------------------------------------------------
# shellcheck source=prereqs.sh
source "$HERE/prereqs.sh"
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v mariadb >/dev/null && [[ -x /usr/sbin/mariadbd ]] || need+=(mariadb-server mariadb-client)
"$PY" -c 'import fastapi, uvicorn' 2>/dev/null || need+=(python3-fastapi python3-uvicorn)
"$PY" -c 'import httptools' 2>/dev/null || need+=(python3-httptools)
"$PY" -c 'import aiomysql' 2>/dev/null || need+=(python3-aiomysql)
"$PY" -c 'import jinja2' 2>/dev/null || need+=(python3-jinja2)
if [[ ${#need[@]} -gt 0 ]]; then
    if [[ $(id -u) == 0 ]]; then
        say "installing ${need[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2 || true
    else
        say "MISSING: ${need[*]} (as root: apt-get install -y ${need[*]})"
    fi
fi
command -v wrk >/dev/null || { say "wrk is required (apt-get install wrk)"; exit 1; }
[[ -x /usr/sbin/mariadbd ]] || { say "mariadbd is required (apt-get install mariadb-server)"; exit 1; }

if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then
    PIN_SERVER="taskset -c 1"; PIN_CLIENT="taskset -c 0"
else
    PIN_SERVER=""; PIN_CLIENT=""
fi

JAR="$ROOT/benchmarks/target/benchmarks.jar"
PEERS_JAR="$HERE/http/jvm-peers/target/http-jvm-peers.jar"
if [[ "${BUILD:-1}" == 1 ]]; then
say "building the benchmarks module and the JVM peers ..."
(cd "$ROOT" && ./mvnw -q -B -o -DskipTests -DskipTestDeps -Dspotless.check.skip=true package -pl benchmarks -am >&2) ||
    (cd "$ROOT" && ./mvnw -q -B -DskipTests -DskipTestDeps -Dspotless.check.skip=true package -pl benchmarks -am >&2)
(cd "$HERE/http/jvm-peers" && "$ROOT/mvnw" -q -B -o package >&2) || (cd "$HERE/http/jvm-peers" && "$ROOT/mvnw" -q -B package >&2)
fi

STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="$HERE/results/web-$STAMP"
mkdir -p "$OUT/logs"
RAW="$OUT/raw.jsonl"
: > "$RAW"

# ---- the database --------------------------------------------------------------------------------------------
SERVER_PID=""
DB_WORK="$(mktemp -d /tmp/spindle-web-bench-XXXXXX)"
DB_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && stop_server "$SERVER_PID"
    if [[ -n "$DB_PID" ]]; then
        kill -TERM "$DB_PID" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$DB_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$DB_PID" 2>/dev/null || true
    fi
    rm -rf "$DB_WORK"
}
trap cleanup EXIT
DB_PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
MARIADB="mariadb --protocol=tcp -h$HOST -P$DB_PORT -u$DB_USER -p$DB_PASS hello_world"
say "starting mariadbd on $HOST:$DB_PORT (data in $DB_WORK)"
mariadb-install-db --no-defaults --datadir="$DB_WORK/data" --user=root --auth-root-authentication-method=normal \
    --skip-test-db > "$OUT/logs/mariadb-install.log" 2>&1
cat > "$DB_WORK/init.sql" <<SQL
CREATE DATABASE IF NOT EXISTS hello_world CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '$DB_USER'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('$DB_PASS');
GRANT ALL ON hello_world.* TO '$DB_USER'@'%';
SQL
# shellcheck disable=SC2086
$PIN_CLIENT /usr/sbin/mariadbd --no-defaults --datadir="$DB_WORK/data" --port="$DB_PORT" --bind-address=$HOST \
    --socket="$DB_WORK/mysqld.sock" --pid-file="$DB_WORK/mysqld.pid" --user=root --init-file="$DB_WORK/init.sql" \
    --skip-log-bin --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 --max-connections=2000 \
    --performance-schema=OFF --skip-name-resolve --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_general_ci > "$OUT/logs/mariadbd.log" 2>&1 &
DB_PID=$!
for i in $(seq 150); do
    $MARIADB -e 'SELECT 1' >/dev/null 2>&1 && break
    kill -0 "$DB_PID" 2>/dev/null || { say "mariadbd exited; see $OUT/logs/mariadbd.log"; exit 1; }
    [[ $i == 150 ]] && { say "mariadbd did not answer in 30 s; see $OUT/logs/mariadbd.log"; exit 1; }
    sleep 0.2
done
$MARIADB < "$HERE/web/schema.sql"
[[ "$($MARIADB -N -B -e 'SELECT COUNT(*) FROM World')" == 10000 ]] || { say "World does not hold 10,000 rows"; exit 1; }
[[ "$($MARIADB -N -B -e 'SELECT COUNT(*) FROM Fortune')" == 12 ]] || { say "Fortune does not hold 12 rows"; exit 1; }

wait_quiet

{
    echo "date: $(date -R)"
    echo "nproc: $(nproc)"
    echo "cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)$(grep -q '^flags.* hypervisor' /proc/cpuinfo && echo ' (virtual machine)')"
    echo "kernel: $(uname -sr)"
    echo "jdk: $("$JAVA" -version 2>&1 | head -1)"
    echo "python: $("$PY" -c 'import sys, fastapi, uvicorn, aiomysql; print(sys.version.split()[0], "fastapi", fastapi.__version__, "uvicorn", uvicorn.__version__, "aiomysql", aiomysql.__version__)' 2>/dev/null || echo '?')"
    echo "mariadb: $(/usr/sbin/mariadbd --version 2>&1 | head -1)"
    echo "wrk: $(wrk -v 2>&1 | head -1)"
    echo "spindle: $(git -C "$ROOT" log -1 --format='%h %s' 2>/dev/null || echo '?')"
    echo "runs: $RUNS  warm-up: ${WARMUP_S}s  measured: ${MEASURE_S}s  endpoints: $ENDPOINTS  connections: $CONNECTIONS_LIST  queries: $QUERIES  pool: $POOL"
    echo "pinning: one-loop servers '${PIN_SERVER:-none}', wrk and mariadbd '${PIN_CLIENT:-none}'"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

server_for() {
    local rt="$1" port="$2"
    local db="--db-port $DB_PORT --pool $POOL"
    local web="$JAVA $SPINDLE_FLAG $JVM_OPTS -cp $JAR dev.spindle.bench.web.TechEmpowerApp --port $port --loops 1 $db"
    local netty_backend="$NATIVE_FLAG -Dspindle.io.backend=netty -Dspindle.netty.driver=epoll"
    case "$rt" in
        spindle) echo "$web" ;;
        spindle-netty) echo "${web/$SPINDLE_FLAG/$SPINDLE_FLAG $netty_backend}" ;;
        spindle-http) echo "$JAVA $SPINDLE_FLAG $JVM_OPTS -cp $JAR dev.spindle.bench.http.SpindleHttpServer --port $port --loops 1" ;;
        fastapi) echo "$PY $HERE/web/fastapi_te.py --port $port $db" ;;
        vertx) echo "$JAVA $NATIVE_FLAG $JVM_OPTS -cp $PEERS_JAR peers.VertxTechEmpower --port $port --threads 1 $db" ;;
        vertx-pipelined) echo "$JAVA $NATIVE_FLAG $JVM_OPTS -cp $PEERS_JAR peers.VertxTechEmpower --port $port --threads 1 $db --pipelining 256" ;;
        helidon) echo "$JAVA $JVM_OPTS -cp $PEERS_JAR peers.HelidonTechEmpower --port $port $db" ;;
        *) say "unknown runtime $rt"; return 1 ;;
    esac
}

pinned() { # helidon runs its own virtual-thread scheduler over every core, as in http.sh
    case "$1" in helidon) return 1 ;; *) return 0 ;; esac
}

serves() { # the bare handler answers plaintext and JSON only
    case "$1:$2" in spindle-http:plaintext|spindle-http:plaintext16|spindle-http:json) return 0 ;; spindle-http:*) return 1 ;; *) return 0 ;; esac
}

path_of() {
    case "$1" in
        queries|updates) echo "/$1?queries=$QUERIES" ;;
        plaintext16) echo "/plaintext" ;;
        *) echo "/$1" ;;
    esac
}

wait_ready() {
    local port="$1" pid="$2" i
    for ((i = 0; i < 600; i++)); do
        kill -0 "$pid" 2>/dev/null || return 1
        if curl -fs -o /dev/null "http://$HOST:$port/plaintext"; then return 0; fi
        sleep 0.1
    done
    return 1
}

# The process and its descendants (uvicorn workers, `env` children).
tree_pids() {
    local p="$1" c
    echo "$p"
    for c in $(pgrep -P "$p" 2>/dev/null); do tree_pids "$c"; done
}
cpu_ticks() { # utime + stime of the tree, in clock ticks
    local total=0 p f
    for p in $(tree_pids "$1"); do
        f="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
        f="${f##*) }" # fields after the command name; utime and stime are fields 14 and 15 of the whole line
        read -r -a a <<< "$f"
        total=$((total + a[11] + a[12]))
    done
    echo "$total"
}

stop_server() {
    local pid="$1" i
    local pids
    pids="$(tree_pids "$pid")"
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

PORT=$PORT_BASE
start_server() { # sets SERVER_PID and PIN; returns 1 when the server cannot start
    local rt="$1" log="$2" cmd
    cmd="$(server_for "$rt" "$PORT")" || return 1
    PIN=""
    pinned "$rt" && PIN="$PIN_SERVER"
    echo "\$ ${PIN:+$PIN }$cmd" > "$log"
    # shellcheck disable=SC2086
    $PIN $cmd >> "$log" 2>&1 &
    SERVER_PID=$!
    wait_ready "$PORT" "$SERVER_PID"
}

CHECKED=" "
CLK_TCK="$(getconf CLK_TCK)"
run_load() {
    local rt="$1" ep="$2" conns="$3" i="$4"
    PORT=$((PORT + 1))
    local log="$OUT/logs/$rt-$ep-c$conns-$i.log"
    local load
    load="$(cut -d' ' -f1 /proc/loadavg)"
    if ! start_server "$rt" "$log"; then
        say "$rt did not start; see $log"
        printf '{"runtime": "%s", "endpoint": "%s", "connections": %s, "pipeline": 1, "run": %s, "error": "did not start"}\n' \
            "$rt" "$ep" "$conns" "$i" >> "$RAW"
        stop_server "$SERVER_PID"; SERVER_PID=""
        return
    fi
    if [[ "$CHECKED" != *" $rt:$ep "* ]]; then # every endpoint of every server answers right, once, before it counts
        if ! "$PY" "$HERE/web/check_te.py" --base "http://$HOST:$PORT" --endpoints "${ep/plaintext16/plaintext}" --queries "$QUERIES" \
                --mariadb "$MARIADB" >> "$log" 2>&1; then
            say "$rt gave a WRONG ANSWER on /$ep: $(grep 'WRONG ANSWER' "$log" | tail -1); see $log"
            exit 1
        fi
        CHECKED="$CHECKED$rt:$ep "
    fi
    local url
    url="http://$HOST:$PORT$(path_of "$ep")"
    local wrk_cmd=(wrk -t1 -c"$conns" --latency --timeout 5s) depth=1 tail=()
    if [[ $ep == plaintext16 ]]; then # TechEmpower's plaintext test: 16 requests pipelined on each connection
        depth=16; wrk_cmd+=(-s "$HERE/http/pipeline.lua"); tail=(-- 16)
    fi
    # The warm-up is two wrk runs, so that the connections' ends and starts (paths a JIT compiles late, and recompiles
    # after their first use) come early in it, not at the start of the measurement; the same for every runtime.
    local first=$(( WARMUP_S > 4 ? 2 : 1 ))
    $PIN_CLIENT "${wrk_cmd[@]}" -d"${first}s" "$url" "${tail[@]}" >> "$log" 2>&1 || true
    $PIN_CLIENT "${wrk_cmd[@]}" -d"$(( WARMUP_S > first ? WARMUP_S - first : 1 ))s" "$url" "${tail[@]}" >> "$log" 2>&1 || true
    local c0 c1 d0 d1 t0 t1
    c0="$(cpu_ticks "$SERVER_PID")"; d0="$(cpu_ticks "$DB_PID")"; t0="$(date +%s.%N)"
    $PIN_CLIENT "${wrk_cmd[@]}" -d"${MEASURE_S}s" "$url" "${tail[@]}" > "$OUT/wrk.out" 2>&1 || true
    c1="$(cpu_ticks "$SERVER_PID")"; d1="$(cpu_ticks "$DB_PID")"; t1="$(date +%s.%N)"
    cat "$OUT/wrk.out" >> "$log"
    stop_server "$SERVER_PID"; SERVER_PID=""
    local line
    if line="$("$PY" "$HERE/http/parse_wrk.py" --runtime "$rt" --endpoint "$ep" --connections "$conns" --pipeline "$depth" \
            --run "$i" --load "$load" --cpu-seconds "$(echo "($c1 - $c0) / $CLK_TCK" | bc -l)" \
            --wall-seconds "$(echo "$t1 - $t0" | bc -l)" --pinned "$([[ -n $PIN ]] && echo 1 || echo 0)" \
            < "$OUT/wrk.out")"; then
        echo "$line" | "$PY" -c 'import json, sys
r = json.loads(sys.stdin.read())
db = float(sys.argv[1])
r["db_cpu_s"] = db
if r.get("requests"):
    r["db_cpu_us_per_req"] = db * 1e6 / r["requests"]
print(json.dumps(r))' "$(echo "($d1 - $d0) / $CLK_TCK" | bc -l)" >> "$RAW"
    else
        say "could not parse wrk's output; see $log"
    fi
    say "$(tail -1 "$RAW")"
}

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
START=$SECONDS
for ep in $ENDPOINTS; do
    for conns in $CONNECTIONS_LIST; do
        for ((i = 1; i <= RUNS; i++)); do # runs interleaved across runtimes, so drift hits all alike
            for rt in $RUNTIMES; do
                if serves "$rt" "$ep"; then run_load "$rt" "$ep" "$conns" "$i"; fi
            done
        done
    done
done
rm -f "$OUT/wrk.out"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/machine.txt"
say "runs took $((SECONDS - START)) s"
"$PY" "$HERE/web/summarize_web.py" "$RAW" | tee "$OUT/summary.md"
say "raw results, logs and tables: $OUT"
