#!/usr/bin/env bash
# The HTTP benchmark: one server at a time (Spindle on both backends with 1 and 2 loops, FastAPI+uvicorn, Netty's
# HTTP codec, Vert.x 5 web, Helidon 4 SE, Go net/http), driven by wrk over 127.0.0.1 on TechEmpower's plaintext and
# JSON endpoints, with and without pipelining; then the memory each server holds per idle keep-alive connection.
# Markdown tables of req/s, p50/p99 latency and the server's user+system CPU per request (min/median/max of RUNS).
#
#   benchmarks/http.sh                      # everything, RUNS times each (default 3)
#   benchmarks/http.sh --quick              # a smoke test: 1 run, 2 s warm-up + 3 s measured, plaintext at 64
#   benchmarks/http.sh --runtimes "spindle go-p1" --endpoints plaintext --connections 64 --pipeline "1 16"
#   benchmarks/http.sh --idle-only          # only the idle-connection memory
#
# Environment: RUNS (default 3), WARMUP_S (default 5), MEASURE_S (default 10), IDLE (idle connections for the
# memory measure, default 10000; 0 skips it), JAVA_HOME (a JDK 25+), JVM_OPTS (extra flags for every JVM server),
# PORT_BASE (default 18100), WAIT_QUIET (seconds to wait at most for the load average to drop below 0.5).
#
# Runtimes: spindle, spindle-2 (2 loops), spindle-netty, spindle-netty-2 (Spindle on spindle-netty's epoll), fastapi
# (uvicorn, one worker, uvloop and httptools when installed), netty (HttpServerCodec, one epoll event loop), vertx
# (vertx-web router, one event loop), helidon (Helidon SE 4: a virtual thread per request, its own thread count),
# go-p1 (GOMAXPROCS=1), go (GOMAXPROCS unset), nginx (one process, fixed bodies: the C floor of what the kernel and a
# lean server cost per request here; not in the default list, installed from Debian's nginx-light when asked for and
# root). On two cores or more, one-loop servers are pinned to core 1 and wrk to
# core 0; the others (spindle-2, spindle-netty-2, helidon, go) are not pinned, and share both cores with wrk: compare
# their CPU per request, not their req/s. Raw results, logs and tables go to benchmarks/results/http-<date-time>/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

QUICK=0
IDLE_ONLY=0
RUNTIMES="spindle spindle-2 spindle-netty spindle-netty-2 fastapi netty vertx helidon go-p1 go"
ENDPOINTS="plaintext json"
CONNECTIONS_LIST="64 256"
PIPELINES="1 16"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --idle-only) IDLE_ONLY=1 ;;
        --runtimes) RUNTIMES="$2"; shift ;;
        --endpoints) ENDPOINTS="$2"; shift ;;
        --connections) CONNECTIONS_LIST="$2"; shift ;;
        --pipeline) PIPELINES="$2"; shift ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "http.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
if [[ $QUICK == 1 ]]; then
    RUNS="${RUNS:-1}"; WARMUP_S="${WARMUP_S:-2}"; MEASURE_S="${MEASURE_S:-3}"; IDLE="${IDLE:-1000}"
    ENDPOINTS="${ENDPOINTS%% *}"; CONNECTIONS_LIST="${CONNECTIONS_LIST%% *}"
else
    RUNS="${RUNS:-3}"; WARMUP_S="${WARMUP_S:-5}"; MEASURE_S="${MEASURE_S:-10}"; IDLE="${IDLE:-10000}"
fi
JVM_OPTS="${JVM_OPTS:-}"
PORT_BASE="${PORT_BASE:-18100}"
SPINDLE_FLAG="--add-opens java.base/java.lang=ALL-UNNAMED"
NATIVE_FLAG="--enable-native-access=ALL-UNNAMED"
HOST=127.0.0.1 # the only address anything here listens on or connects to

say() { echo "http.sh: $*" >&2; }

# ---- prerequisites -------------------------------------------------------------------------------------------
# shellcheck source=prereqs.sh
source "$HERE/prereqs.sh"
need=()
command -v wrk >/dev/null || need+=(wrk)
[[ " $RUNTIMES " == *" nginx "* ]] && ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]] && need+=(nginx-light)
"$PY" -c 'import fastapi, uvicorn' 2>/dev/null || need+=(python3-fastapi python3-uvicorn)
"$PY" -c 'import httptools' 2>/dev/null || need+=(python3-httptools)
if [[ ${#need[@]} -gt 0 ]]; then
    if [[ $(id -u) == 0 ]]; then
        say "installing ${need[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2 || true
    else
        say "MISSING: ${need[*]} (as root: apt-get install -y ${need[*]})"
    fi
fi
command -v wrk >/dev/null || { say "wrk is required (apt-get install wrk)"; exit 1; }

if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then
    PIN_SERVER="taskset -c 1"; PIN_CLIENT="taskset -c 0"
else
    PIN_SERVER=""; PIN_CLIENT=""
fi

JAR="$ROOT/benchmarks/target/benchmarks.jar"
PEERS_JAR="$HERE/http/jvm-peers/target/http-jvm-peers.jar"
GO_SERVER="$HERE/target/http-go"
say "building the benchmarks module, the JVM peers and the Go server ..."
(cd "$ROOT" && ./mvnw -q -B -o -DskipTests -DskipTestDeps -Dspotless.check.skip=true package -pl benchmarks -am >&2) ||
    (cd "$ROOT" && ./mvnw -q -B -DskipTests -DskipTestDeps -Dspotless.check.skip=true package -pl benchmarks -am >&2)
(cd "$HERE/http/jvm-peers" && "$ROOT/mvnw" -q -B -o package >&2) || (cd "$HERE/http/jvm-peers" && "$ROOT/mvnw" -q -B package >&2)
mkdir -p "$HERE/target"
(cd "$HERE/http/goserver" && GOPROXY=off GOFLAGS=-mod=mod "$GO" build -o "$GO_SERVER" .)

wait_quiet

STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="$HERE/results/http-$STAMP"
mkdir -p "$OUT/logs"
RAW="$OUT/raw.jsonl"
: > "$RAW"
{
    echo "date: $(date -R)"
    echo "nproc: $(nproc)"
    echo "cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)$(grep -q '^flags.* hypervisor' /proc/cpuinfo && echo ' (virtual machine)')"
    echo "kernel: $(uname -sr)"
    echo "jdk: $("$JAVA" -version 2>&1 | head -1)"
    echo "python: $("$PY" -c 'import sys, fastapi, uvicorn; print(sys.version.split()[0], "fastapi", fastapi.__version__, "uvicorn", uvicorn.__version__)' 2>/dev/null || echo '?')"
    echo "go: $("$GO" version)"
    echo "wrk: $(wrk -v 2>&1 | head -1)"
    echo "spindle: $(git -C "$ROOT" log -1 --format='%h %s' 2>/dev/null || echo '?')"
    echo "runs: $RUNS  warm-up: ${WARMUP_S}s  measured: ${MEASURE_S}s  endpoints: $ENDPOINTS  connections: $CONNECTIONS_LIST  pipeline: $PIPELINES"
    echo "pinning: one-loop servers '${PIN_SERVER:-none}', wrk '${PIN_CLIENT:-none}'"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

server_for() {
    local rt="$1" port="$2"
    local spindle="$JAVA $SPINDLE_FLAG $JVM_OPTS -cp $JAR dev.spindle.bench.http.SpindleHttpServer --port $port"
    local netty_backend="$NATIVE_FLAG -Dspindle.io.backend=netty -Dspindle.netty.driver=epoll"
    case "$rt" in
        spindle) echo "$spindle --loops 1" ;;
        spindle-2) echo "$spindle --loops 2" ;;
        spindle-netty) echo "${spindle/$SPINDLE_FLAG/$SPINDLE_FLAG $netty_backend} --loops 1" ;;
        spindle-netty-2) echo "${spindle/$SPINDLE_FLAG/$SPINDLE_FLAG $netty_backend} --loops 2" ;;
        fastapi) echo "$PY $HERE/http/fastapi_app.py --port $port" ;;
        netty) echo "$JAVA $NATIVE_FLAG $JVM_OPTS -cp $PEERS_JAR peers.NettyHttpServer --port $port --threads 1" ;;
        vertx) echo "$JAVA $NATIVE_FLAG $JVM_OPTS -cp $PEERS_JAR peers.VertxHttpServer --port $port --threads 1" ;;
        helidon) echo "$JAVA $JVM_OPTS -cp $PEERS_JAR peers.HelidonHttpServer --port $port" ;;
        go-p1) echo "env GOMAXPROCS=1 $GO_SERVER -port $port" ;;
        nginx)
            local dir="$OUT/nginx-$port"
            mkdir -p "$dir"
            sed -e "s|@PORT@|$port|g" -e "s|@DIR@|$dir|g" "$HERE/http/nginx.conf.template" > "$dir/nginx.conf"
            echo "/usr/sbin/nginx -p $dir -c $dir/nginx.conf -e $dir/error.log" ;;
        go) echo "env -u GOMAXPROCS $GO_SERVER -port $port" ;;
        *) say "unknown runtime $rt"; return 1 ;;
    esac
}

pinned() { # one-loop servers are pinned; the multi-core rows are the point of being free
    case "$1" in spindle-2|spindle-netty-2|helidon|go) return 1 ;; *) return 0 ;; esac
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
cpu_ticks() { # "utime+stime stime" of the tree, in clock ticks
    local total=0 sys=0 p f
    for p in $(tree_pids "$1"); do
        f="$(cat "/proc/$p/stat" 2>/dev/null)" || continue
        f="${f##*) }" # fields after the command name; utime and stime are fields 14 and 15 of the whole line
        read -r -a a <<< "$f"
        total=$((total + a[11] + a[12]))
        sys=$((sys + a[12]))
    done
    echo "$total $sys"
}
rss_kib() {
    local total=0 p v
    for p in $(tree_pids "$1"); do
        v="$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)"
        total=$((total + ${v:-0}))
    done
    echo "$total"
}

stop_server() {
    local pid="$1" i p
    local pids
    pids="$(tree_pids "$pid")"
    kill -TERM $pids 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL $pids 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
SERVER_PID=""
trap '[[ -n "$SERVER_PID" ]] && stop_server "$SERVER_PID"' EXIT

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

CLK_TCK="$(getconf CLK_TCK)"
run_load() {
    local rt="$1" ep="$2" conns="$3" depth="$4" i="$5"
    PORT=$((PORT + 1))
    local log="$OUT/logs/$rt-$ep-c$conns-p$depth-$i.log"
    local load
    load="$(cut -d' ' -f1 /proc/loadavg)"
    if ! start_server "$rt" "$log"; then
        say "$rt did not start; see $log"
        printf '{"runtime": "%s", "endpoint": "%s", "connections": %s, "pipeline": %s, "run": %s, "error": "did not start"}\n' \
            "$rt" "$ep" "$conns" "$depth" "$i" >> "$RAW"
        stop_server "$SERVER_PID"; SERVER_PID=""
        return
    fi
    local url="http://$HOST:$PORT/$ep"
    local script=()
    [[ $depth -gt 1 ]] && script=(-s "$HERE/http/pipeline.lua")
    local wrk_cmd=(wrk -t1 -c"$conns" --latency --timeout 5s "${script[@]}")
    # shellcheck disable=SC2086
    $PIN_CLIENT "${wrk_cmd[@]}" -d"${WARMUP_S}s" "$url" ${script:+-- $depth} >> "$log" 2>&1 || true
    local c0 c1 s0 s1 t0 t1
    read -r c0 s0 < <(cpu_ticks "$SERVER_PID"); t0="$(date +%s.%N)"
    # shellcheck disable=SC2086
    $PIN_CLIENT "${wrk_cmd[@]}" -d"${MEASURE_S}s" "$url" ${script:+-- $depth} > "$OUT/wrk.out" 2>&1 || true
    read -r c1 s1 < <(cpu_ticks "$SERVER_PID"); t1="$(date +%s.%N)"
    cat "$OUT/wrk.out" >> "$log"
    stop_server "$SERVER_PID"; SERVER_PID=""
    "$PY" "$HERE/http/parse_wrk.py" --runtime "$rt" --endpoint "$ep" --connections "$conns" --pipeline "$depth" \
        --run "$i" --load "$load" --cpu-seconds "$(echo "($c1 - $c0) / $CLK_TCK" | bc -l)" \
        --sys-seconds "$(echo "($s1 - $s0) / $CLK_TCK" | bc -l)" \
        --wall-seconds "$(echo "$t1 - $t0" | bc -l)" --pinned "$([[ -n $PIN ]] && echo 1 || echo 0)" \
        < "$OUT/wrk.out" >> "$RAW" || say "could not parse wrk's output; see $log"
    say "$(tail -1 "$RAW")"
}

run_idle() {
    local rt="$1" i="$2"
    PORT=$((PORT + 1))
    local log="$OUT/logs/$rt-idle-$i.log"
    if ! start_server "$rt" "$log"; then
        say "$rt did not start; see $log"
        stop_server "$SERVER_PID"; SERVER_PID=""
        return
    fi
    # warm the server a little, as a real one would be, then measure its RSS with no connection and with IDLE
    wrk -t1 -c16 -d2s "http://$HOST:$PORT/plaintext" >> "$log" 2>&1 || true
    sleep 1
    local before after
    before="$(rss_kib "$SERVER_PID")"
    local rc=0
    "$PY" "$HERE/http/idle_client.py" --port "$PORT" --connections "$IDLE" --hold-seconds 3 \
        --rss-command "$HERE/http/rss_of.sh $SERVER_PID" > "$OUT/idle.out" 2>> "$log" || rc=$?
    cat "$OUT/idle.out" >> "$log"
    after="$(sed -n 's/^RSS_HELD_KIB //p' "$OUT/idle.out")"
    stop_server "$SERVER_PID"; SERVER_PID=""
    if [[ $rc != 0 || -z "$after" ]]; then
        say "$rt idle run $i failed; see $log"
        return
    fi
    printf '{"runtime": "%s", "idle": %s, "run": %s, "rss_before_kib": %s, "rss_held_kib": %s}\n' \
        "$rt" "$IDLE" "$i" "$before" "$after" >> "$RAW"
    say "$rt idle: $(( (after - before) * 1024 / IDLE )) bytes of RSS per idle connection"
}

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
START=$SECONDS
if [[ $IDLE_ONLY == 0 ]]; then
    for ep in $ENDPOINTS; do
        for conns in $CONNECTIONS_LIST; do
            for depth in $PIPELINES; do
                for ((i = 1; i <= RUNS; i++)); do # runs interleaved across runtimes, so drift hits all alike
                    for rt in $RUNTIMES; do
                        run_load "$rt" "$ep" "$conns" "$depth" "$i"
                    done
                done
            done
        done
    done
fi
if [[ $IDLE -gt 0 ]]; then
    for ((i = 1; i <= RUNS; i++)); do
        for rt in $RUNTIMES; do
            run_idle "$rt" "$i"
        done
    done
fi
rm -f "$OUT/wrk.out" "$OUT/idle.out"
say "runs took $((SECONDS - START)) s"
"$PY" "$HERE/http/summarize_http.py" "$RAW" | tee "$OUT/summary.md"
say "raw results, logs and tables: $OUT"
