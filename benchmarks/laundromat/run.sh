#!/usr/bin/env bash
# The laundromat benchmark (issue 15): spindle-laundromat's load script (dev.spindle.laundromat.load.LoadScript)
# against the Spindle service (dev.spindle.laundromat.Main) and against its FastAPI port
# (fastapi_laundromat.py: FastAPI + uvicorn + aiomysql + redis.asyncio, one worker, uvloop and httptools when
# installed), both on one mariadbd and one redis-server this script starts on free ports with data in a temporary
# directory. Per runtime and run: a fresh database (DROP DATABASE; the service creates it and applies the migrations)
# and an empty Redis (FLUSHALL); the service started pinned to core 1; a short warm-up load; then the measured load
# (the load script, mariadbd and redis-server on core 0). Before the first measured run, check_api.py drives each
# service through register, login, start, poll, cancel and their errors, and the two must answer alike (status codes,
# JSON keys, states), or the script stops.
#
#   benchmarks/laundromat/run.sh                          # RUNS=3 of each runtime
#   RUNS=1 benchmarks/laundromat/run.sh                   # a smoke run
#   CHECK_ONLY=1 benchmarks/laundromat/run.sh             # the answers' check alone, no load
#
# Environment: RUNS (3), CUSTOMERS (3000 per measured run), CONCURRENCY (400 customers at a time), WASHES (2 per
# customer), LOAD_SECONDS (120: the load script's own time limit), WARMUP_CUSTOMERS (500; 0: none), MACHINES (100),
# SPEED (600: a wash minute is 0.1 s), RATE_LIMIT (1000 requests per customer per 10 s), RUNTIMES ("spindle fastapi"),
# JVM_OPTS (extra flags for the Spindle service's JVM), BUILD (0: use the classes already built), CHECK_ONLY (1: check
# the answers and stop). Raw lines, logs and tables go to benchmarks/results/laundromat-<date-time>/ (not committed).
#
# Figures: the load script's req/s (all requests / its wall time), per-endpoint p50 and p99 (from its summary-json
# line), the service process's user+system CPU (its whole process tree, from /proc/<pid>/stat before and after the
# measured load) per request, and MariaDB's and redis-server's CPU per request the same way. The load is a closed loop
# with think time (polls every 250-500 ms, retries after a 409 in 200-500 ms), so req/s is bounded by CONCURRENCY and
# by core 0 (load script, mariadbd, redis-server) as well as by the server; CPU per request is the figure to compare.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUNS="${RUNS:-3}"
CUSTOMERS="${CUSTOMERS:-3000}"
CONCURRENCY="${CONCURRENCY:-400}"
WASHES="${WASHES:-2}"
LOAD_SECONDS="${LOAD_SECONDS:-120}"
WARMUP_CUSTOMERS="${WARMUP_CUSTOMERS:-500}"
MACHINES="${MACHINES:-100}"
SPEED="${SPEED:-600}"
RATE_LIMIT="${RATE_LIMIT:-1000}"
RUNTIMES="${RUNTIMES:-spindle fastapi}"
JVM_OPTS="${JVM_OPTS:-}"
CHECK_ONLY="${CHECK_ONLY:-0}"
HOST=127.0.0.1 # the only address anything here listens on or connects to
DB_USER=laundromat
DB_PASS=laundromat-pw
DB_NAME=laundromat

say() { echo "[laundromat-bench] $*" >&2; }
case "${1:-}" in -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; "") ;; *) say "unknown argument $1 (try --help)"; exit 2 ;; esac

# ---- prerequisites -------------------------------------------------------------------------------------------
PY=/usr/bin/python3 # Debian's, where python3-fastapi and friends live (not a pyenv shim)
JDK="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JDK/bin/java"
[[ -x "$JAVA" ]] || { say "no JDK at $JDK (set JAVA_HOME to a JDK 25+)"; exit 1; }
need=()
[[ -x /usr/sbin/mariadbd ]] && command -v mariadb >/dev/null || need+=(mariadb-server mariadb-client)
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || need+=(redis-server redis-tools)
command -v curl >/dev/null || need+=(curl)
"$PY" -c 'import fastapi, uvicorn' 2>/dev/null || need+=(python3-fastapi python3-uvicorn)
"$PY" -c 'import aiomysql' 2>/dev/null || need+=(python3-aiomysql)
"$PY" -c 'import redis.asyncio' 2>/dev/null || need+=(python3-redis)
"$PY" -c 'import uvloop' 2>/dev/null || need+=(python3-uvloop)
"$PY" -c 'import httptools' 2>/dev/null || need+=(python3-httptools)
if [[ ${#need[@]} -gt 0 ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        say "installing ${need[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2 ||
            { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2; }
    else
        say "MISSING: ${need[*]} (as root: apt-get install -y ${need[*]})"
        exit 1
    fi
fi
if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then
    PIN_SERVER="taskset -c 1"; PIN_CLIENT="taskset -c 0"
else
    PIN_SERVER=""; PIN_CLIENT=""
fi

OUT="$ROOT/benchmarks/results/laundromat-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT/logs"
RAW="$OUT/raw.jsonl"
: > "$RAW"
WORK="$(mktemp -d /tmp/spindle-laundromat-bench-XXXXXX)"
DB_PID=""
REDIS_PID=""
SERVER_PID=""

# The process and its descendants (uvicorn, `taskset` children).
tree_pids() {
    local p="$1" c
    echo "$p"
    for c in $(pgrep -P "$p" 2>/dev/null); do tree_pids "$c"; done
}
cpu_ticks() { # utime + stime of the tree, in clock ticks
    local total=0 p f
    for p in $(tree_pids "$1"); do
        f="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
        f="${f##*) }" # the fields after the command name; utime and stime are the 14th and 15th of the whole line
        read -r -a a <<< "$f"
        total=$((total + a[11] + a[12]))
    done
    echo "$total"
}
stop_pid() { # SIGTERM, up to 20 s (the Spindle service saves its washes), then SIGKILL
    local pid="$1" pids i
    [[ -n "$pid" ]] || return 0
    pids="$(tree_pids "$pid")"
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    stop_pid "$SERVER_PID"
    stop_pid "$REDIS_PID"
    stop_pid "$DB_PID"
    rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ---- build -----------------------------------------------------------------------------------------------------
if [[ "${BUILD:-1}" == 1 || ! -f "$ROOT/benchmarks/results/laundromat-classpath.txt" ]]; then
    say "building spindle-laundromat and its class path"
    (cd "$ROOT" && ./mvnw -q -B -o -pl spindle-laundromat -am package dependency:build-classpath -DskipTests \
        -DskipTestDeps -Dspotless.check.skip=true -Dmdep.includeScope=runtime \
        -Dmdep.outputFile="$ROOT/benchmarks/results/laundromat-classpath.txt" >"$OUT/logs/build.log" 2>&1) ||
        { say "build failed: $OUT/logs/build.log"; exit 1; }
fi
CP="$ROOT/spindle-laundromat/target/classes:$(cat "$ROOT/benchmarks/results/laundromat-classpath.txt")"
JAVA_FLAGS=(--add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED)

# ---- mariadbd and redis-server (core 0, with the load) ------------------------------------------------------------
DB_PORT="$(free_port)"
REDIS_PORT="$(free_port)"
MARIADB=(mariadb --protocol=tcp -h"$HOST" -P"$DB_PORT" -u"$DB_USER" -p"$DB_PASS")
say "starting mariadbd on $HOST:$DB_PORT and redis-server on $HOST:$REDIS_PORT (data in $WORK)"
mariadb-install-db --no-defaults --datadir="$WORK/data" --user=root --auth-root-authentication-method=normal \
    --skip-test-db >"$OUT/logs/mariadb-install.log" 2>&1
cat >"$WORK/init.sql" <<SQL
CREATE USER IF NOT EXISTS '$DB_USER'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('$DB_PASS');
GRANT ALL ON *.* TO '$DB_USER'@'%';
SQL
# shellcheck disable=SC2086
$PIN_CLIENT /usr/sbin/mariadbd --no-defaults --datadir="$WORK/data" --port="$DB_PORT" --bind-address=$HOST \
    --socket="$WORK/mysqld.sock" --pid-file="$WORK/mysqld.pid" --user=root --init-file="$WORK/init.sql" \
    --skip-log-bin --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 --max-connections=500 \
    --performance-schema=OFF --skip-name-resolve --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_general_ci >"$OUT/logs/mariadbd.log" 2>&1 &
DB_PID=$!
mkdir -p "$WORK/redis"
# shellcheck disable=SC2086
$PIN_CLIENT redis-server --port "$REDIS_PORT" --bind $HOST --save "" --appendonly no --dir "$WORK/redis" \
    --daemonize no >"$OUT/logs/redis.log" 2>&1 &
REDIS_PID=$!
for i in $(seq 150); do
    "${MARIADB[@]}" -e 'SELECT 1' >/dev/null 2>&1 && break
    kill -0 "$DB_PID" 2>/dev/null || { say "mariadbd exited; see $OUT/logs/mariadbd.log"; exit 1; }
    [[ $i == 150 ]] && { say "mariadbd did not answer in 30 s; see $OUT/logs/mariadbd.log"; exit 1; }
    sleep 0.2
done
for i in $(seq 100); do
    redis-cli -h $HOST -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
    [[ $i == 100 ]] && { say "redis-server did not answer; see $OUT/logs/redis.log"; exit 1; }
    sleep 0.1
done
REDIS_URL="redis://$HOST:$REDIS_PORT"
MYSQL_URL="mysql://$DB_USER:$DB_PASS@$HOST:$DB_PORT/$DB_NAME?sslMode=DISABLED"

{
    echo "date: $(date -u -R)"
    echo "nproc: $(nproc)"
    echo "cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
    echo "jdk: $("$JAVA" -version 2>&1 | head -1)"
    echo "python: $("$PY" -c 'import sys, fastapi, uvicorn, aiomysql, redis, pydantic; print(sys.version.split()[0], "fastapi", fastapi.__version__, "uvicorn", uvicorn.__version__, "aiomysql", aiomysql.__version__, "redis-py", redis.__version__, "pydantic", pydantic.VERSION)')"
    echo "uvloop/httptools: $("$PY" -c 'import uvloop, httptools; print(uvloop.__version__, httptools.__version__)' 2>/dev/null || echo 'not installed')"
    echo "mariadb: $(/usr/sbin/mariadbd --version 2>&1 | head -1)"
    echo "redis: $(redis-server --version | awk '{print $3}')"
    echo "spindle: $(git -C "$ROOT" log -1 --format='%h %s' 2>/dev/null || echo '?')"
    echo "load: $CUSTOMERS customers, $CONCURRENCY at a time, $WASHES washes each, warm-up $WARMUP_CUSTOMERS customers; $MACHINES machines, speed x$SPEED, rate limit $RATE_LIMIT/10 s; runs: $RUNS"
    echo "pinning: services '${PIN_SERVER:-none}'; load script, mariadbd, redis-server '${PIN_CLIENT:-none}'"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

# ---- the services ------------------------------------------------------------------------------------------------
start_service() { # runtime port log; sets SERVER_PID
    local rt="$1" port="$2" log="$3" cmd=()
    case "$rt" in
        spindle) cmd=("$JAVA" "${JAVA_FLAGS[@]}" $JVM_OPTS -cp "$CP" dev.spindle.laundromat.Main --port="$port"
                      --redis="$REDIS_URL" --mysql="$MYSQL_URL" --machines="$MACHINES" --speed="$SPEED"
                      --rate-limit="$RATE_LIMIT") ;;
        fastapi) cmd=("$PY" "$HERE/fastapi_laundromat.py" --port "$port" --redis "$REDIS_URL" --mysql "$MYSQL_URL"
                      --machines "$MACHINES" --speed "$SPEED" --rate-limit "$RATE_LIMIT") ;;
        *) say "unknown runtime $rt"; exit 2 ;;
    esac
    echo "\$ ${PIN_SERVER:+$PIN_SERVER }${cmd[*]}" >"$log"
    # shellcheck disable=SC2086
    $PIN_SERVER "${cmd[@]}" >>"$log" 2>&1 &
    SERVER_PID=$!
    local i
    for ((i = 0; i < 1200; i++)); do
        kill -0 "$SERVER_PID" 2>/dev/null || { say "$rt exited at start; see $log"; exit 1; }
        curl -fs -o /dev/null "http://$HOST:$port/machines" && return 0
        sleep 0.1
    done
    say "$rt did not answer in 120 s; see $log"
    exit 1
}
fresh_state() {
    "${MARIADB[@]}" -e "DROP DATABASE IF EXISTS $DB_NAME"
    redis-cli -h $HOST -p "$REDIS_PORT" flushall >/dev/null
}
load_script() { # url customers concurrency seconds log
    # shellcheck disable=SC2086
    $PIN_CLIENT "$JAVA" "${JAVA_FLAGS[@]}" -cp "$CP" dev.spindle.laundromat.load.LoadScript --url="$1" \
        --customers="$2" --concurrency="$3" --washes="$WASHES" --seconds="$4" >"$5" 2>&1
}

# ---- 1. the answers agree ------------------------------------------------------------------------------------------
for rt in $RUNTIMES; do
    fresh_state
    port="$(free_port)"
    start_service "$rt" "$port" "$OUT/logs/$rt-check.log"
    "$PY" "$HERE/check_api.py" "http://$HOST:$port" "$MACHINES" >"$OUT/check-$rt.txt" 2>>"$OUT/logs/$rt-check.log" ||
        { say "check_api.py failed against $rt; see $OUT/logs/$rt-check.log"; exit 1; }
    stop_pid "$SERVER_PID"; SERVER_PID=""
done
first=""
for rt in $RUNTIMES; do
    if [[ -z "$first" ]]; then first="$rt"; continue; fi
    if ! diff -u "$OUT/check-$first.txt" "$OUT/check-$rt.txt" >"$OUT/check.diff"; then
        say "FAIL: $first and $rt answer differently:"
        cat "$OUT/check.diff" >&2
        exit 1
    fi
done
say "the answers agree ($(wc -l <"$OUT/check-$first.txt") steps; $OUT/check-$first.txt)"
[[ "$CHECK_ONLY" == 1 ]] && { cat "$OUT/check-$first.txt"; exit 0; }

# ---- 2. the load -----------------------------------------------------------------------------------------------
CLK_TCK="$(getconf CLK_TCK)"
for r in $(seq "$RUNS"); do
    for rt in $RUNTIMES; do
        fresh_state
        port="$(free_port)"
        log="$OUT/logs/$rt-$r"
        start_service "$rt" "$port" "$log-service.log"
        if [[ "$WARMUP_CUSTOMERS" -gt 0 ]]; then
            load_script "http://$HOST:$port" "$WARMUP_CUSTOMERS" "$(( CONCURRENCY < WARMUP_CUSTOMERS ? CONCURRENCY : WARMUP_CUSTOMERS ))" 60 "$log-warmup.log" ||
                say "  the warm-up failed (see $log-warmup.log)"
        fi
        load="$(cut -d' ' -f1 /proc/loadavg)"
        say "$rt run $r: $CUSTOMERS customers, $CONCURRENCY at a time (load average $load)"
        before="$(cpu_ticks "$SERVER_PID")"; db_before="$(cpu_ticks "$DB_PID")"; redis_before="$(cpu_ticks "$REDIS_PID")"
        load_script "http://$HOST:$port" "$CUSTOMERS" "$CONCURRENCY" "$LOAD_SECONDS" "$log-load.log" ||
            say "  the load script failed (see $log-load.log)"
        after="$(cpu_ticks "$SERVER_PID")"; db_after="$(cpu_ticks "$DB_PID")"; redis_after="$(cpu_ticks "$REDIS_PID")"
        stop_pid "$SERVER_PID"; SERVER_PID=""
        summary="$(sed -n 's/^summary-json: //p' "$log-load.log" | tail -1)"
        if [[ -z "$summary" ]]; then
            say "  no summary line; see $log-load.log"
            continue
        fi
        echo "{\"runtime\":\"$rt\",\"run\":$r,\"cpuTicks\":$((after - before)),\"dbCpuTicks\":$((db_after - db_before)),\"redisCpuTicks\":$((redis_after - redis_before)),\"clkTck\":$CLK_TCK,\"loadavg\":$load,\"summary\":$summary}" >>"$RAW"
        "$PY" - "$(tail -1 "$RAW")" <<'PY' >&2
import json, sys
d = json.loads(sys.argv[1])
s = d["summary"]
cpu = d["cpuTicks"] / d["clkTck"] * 1e6 / max(1, s["requests"])
print(f"  {s['reqPerSec']:,.0f} req/s, {s['requests']:,} requests in {s['seconds']:.1f} s, {s['errors']} failed,"
      f" server CPU {cpu:,.0f} us/request")
PY
    done
done

# ---- 3. the tables -----------------------------------------------------------------------------------------------
"$PY" - "$RAW" "$RUNTIMES" <<'PY' | tee "$OUT/table.md"
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
runtimes = [r for r in sys.argv[2].split() if any(x["runtime"] == r for x in rows)]
med = statistics.median
def cpu(x, key="cpuTicks"):
    return x[key] / x["clkTck"] * 1e6 / max(1, x["summary"]["requests"])
by = {rt: [x for x in rows if x["runtime"] == rt] for rt in runtimes}
print("| runtime | runs | req/s min | median | max | server CPU µs/req (median) | MariaDB µs/req | Redis µs/req |"
      " failed | 409 busy (median) | load avg |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for rt in runtimes:
    v = by[rt]
    rps = sorted(x["summary"]["reqPerSec"] for x in v)
    print(f"| {rt} | {len(v)} | {rps[0]:,.0f} | {med(rps):,.0f} | {rps[-1]:,.0f} | {med(cpu(x) for x in v):,.0f} | "
          f"{med(cpu(x, 'dbCpuTicks') for x in v):,.0f} | {med(cpu(x, 'redisCpuTicks') for x in v):,.0f} | "
          f"{sum(x['summary']['errors'] for x in v)} | {med(x['summary']['busy'] for x in v):,.0f} | "
          f"{', '.join(str(x['loadavg']) for x in v)} |")
print()
eps = ["register", "login", "start", "poll", "cancel", "machines", "all"]
print("| latency ms (median of runs) | " + " | ".join(f"{rt} p50 | {rt} p99" for rt in runtimes) + " |")
print("|---|" + "---:|---:|" * len(runtimes))
for ep in eps:
    cells = []
    for rt in runtimes:
        lat = [x["summary"]["latencyMs"].get(ep) for x in by[rt] if x["summary"]["latencyMs"].get(ep)]
        cells += [f"{med(l['p50'] for l in lat):,.1f}", f"{med(l['p99'] for l in lat):,.1f}"] if lat else ["-", "-"]
    print(f"| {ep} | " + " | ".join(cells) + " |")
if "spindle" in by and "fastapi" in by and by["spindle"] and by["fastapi"]:
    s, f = by["spindle"], by["fastapi"]
    rps = med(x["summary"]["reqPerSec"] for x in s) / med(x["summary"]["reqPerSec"] for x in f)
    cpur = med(cpu(x) for x in f) / med(cpu(x) for x in s)
    print()
    print(f"Spindle / FastAPI: req/s x{rps:.2f}; server CPU per request: FastAPI uses x{cpur:.2f} Spindle's.")
PY
say "raw results, logs and tables in $OUT"
