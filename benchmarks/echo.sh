#!/usr/bin/env bash
# The echo benchmark: one echo server at a time (Spindle, CPython asyncio and uvloop, Go, Netty), each driven by the
# project's own load client over 127.0.0.1, and markdown tables of requests/s, MiB/s and the server's CPU time per
# request.
#
#   benchmarks/echo.sh                       # sizes 1024 10240 102400 x every runtime, RUNS times each (default 3)
#   benchmarks/echo.sh --quick               # a smoke test: 1 run of 1 s warm-up + 2 s measured, 1 KiB only
#   benchmarks/echo.sh --runtimes "go-p1 netty-epoll" --sizes "1024"   # a subset
#
# Environment: RUNS (runs per size and runtime), CONNECTIONS (default 64), WARMUP_S (default 6: the JVM servers
# compile their hot paths in the first seconds), MEASURE_S (default 5, at most 60), MAX_REQUESTS (the client ends a measured window early after this many; default
# 50,000,000), JAVA_HOME (a JDK 25+), JVM_OPTS (extra flags for the JVM servers), PORT_BASE (default 17100: each
# run listens on the next port up), WAIT_QUIET (seconds to wait, at most, for the 1-minute load average to drop
# below 0.5 before starting; default 0). The load average at the start of every run is kept with its result.
#
# Runtimes: spindle (SpindleEchoServer: a direct ByteBuffer handler), spindle-bytes (the same with byte[] reads,
# asyncio's form), spindle-jdkpoller (SpindleEchoServer on the jdk-poller backend: blocking JDK channels, the JDK's
# own poller wakes the coroutines; JVM_OPTS=-Djdk.pollerMode=1 gives it platform poller threads, and no other row
# uses the JDK's poller), spindle-netty (SpindleEchoServer on spindle-netty's native epoll), asyncio-streams,
# asyncio-protocol, uvloop-streams, uvloop-protocol (Debian's /usr/bin/python3), go-p1 (GOMAXPROCS=1), go
# (GOMAXPROCS unset and the server NOT pinned, so that it may use both cores), netty-nio and netty-epoll (one event
# loop thread). Each server but go's is pinned to core 1 and the client to core 0 (when there are two cores or
# more). Raw results, logs and the tables go to benchmarks/results/echo-<date-time>/ (not committed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

QUICK=0
SIZES="1024 10240 102400"
RUNTIMES="spindle spindle-bytes spindle-jdkpoller spindle-netty asyncio-streams asyncio-protocol uvloop-streams uvloop-protocol go-p1 go netty-nio netty-epoll"
SIZES_SET=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --runtimes) RUNTIMES="$2"; shift ;;
        --sizes) SIZES="$2"; SIZES_SET=1; shift ;;
        -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "echo.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

if [[ $QUICK == 1 ]]; then
    RUNS="${RUNS:-1}"; WARMUP_S="${WARMUP_S:-1}"; MEASURE_S="${MEASURE_S:-2}"
    [[ $SIZES_SET == 1 ]] || SIZES="1024"
else
    RUNS="${RUNS:-3}"; WARMUP_S="${WARMUP_S:-6}"; MEASURE_S="${MEASURE_S:-5}"
fi
CONNECTIONS="${CONNECTIONS:-64}"
MAX_REQUESTS="${MAX_REQUESTS:-50000000}"
JVM_OPTS="${JVM_OPTS:-}"
PORT_BASE="${PORT_BASE:-17100}"
SPINDLE_FLAG="--add-opens java.base/java.lang=ALL-UNNAMED"
NETTY_FLAG="--enable-native-access=ALL-UNNAMED" # Netty's epoll transport loads a JNI library
# The only address anything here connects to or listens on.
HOST=127.0.0.1

say() { echo "echo.sh: $*" >&2; }

# ---- prerequisites -------------------------------------------------------------------------------------------

# shellcheck source=prereqs.sh
source "$HERE/prereqs.sh"
if [[ ! -x "$GO" ]]; then
    say "Go is needed for the load client itself: install golang (as root: apt-get install -y golang)"
    exit 1
fi
HAVE_PY=0; HAVE_UVLOOP=0
[[ -x "$PY" ]] && HAVE_PY=1
[[ $HAVE_PY == 1 ]] && "$PY" -c 'import uvloop' 2>/dev/null && HAVE_UVLOOP=1

# Pinning: the server on core 1, the client on core 0, when the machine has two cores or more.
if [[ $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then
    PIN_SERVER="taskset -c 1"; PIN_CLIENT="taskset -c 0"
else
    PIN_SERVER=""; PIN_CLIENT=""
    say "fewer than two cores (or no taskset): nothing is pinned"
fi

# ---- build ---------------------------------------------------------------------------------------------------

JAR="$ROOT/benchmarks/target/benchmarks.jar"
say "building the benchmarks module (Maven) ..."
if ! (cd "$ROOT" && ./mvnw -q -B -o -DskipTests package -Dspotless.check.skip=true -pl benchmarks -am >&2); then
    say "the offline build failed; trying once more with Maven Central reachable (Netty may be missing locally)"
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package -Dspotless.check.skip=true -pl benchmarks -am >&2)
fi
CLIENT="$HERE/target/echo-client"
GO_SERVER="$HERE/target/echo-go"
say "building the load client and the Go server ..."
(cd "$HERE/echo/client" && GOPROXY=off GOFLAGS=-mod=mod "$GO" build -o "$CLIENT" .)
(cd "$HERE/echo/goserver" && GOPROXY=off GOFLAGS=-mod=mod "$GO" build -o "$GO_SERVER" .)
JAR_LIST=$'\n'"$("$JDK/bin/jar" tf "$JAR")"$'\n'
# Whether the jar holds class $1 (a path like dev/spindle/X.class).
jar_has() { [[ $JAR_LIST == *$'\n'"$1"$'\n'* ]]; }
HAVE_SPINDLE=0; HAVE_JDKPOLLER=0; HAVE_SPINDLE_NETTY=0
jar_has dev/spindle/bench/echo/SpindleEchoServer.class && HAVE_SPINDLE=1
[[ $HAVE_SPINDLE == 1 ]] && jar_has dev/spindle/bench/jdkpoller/JdkPollerBackend.class && HAVE_JDKPOLLER=1
[[ $HAVE_SPINDLE == 1 ]] && jar_has dev/spindle/netty/internal/NettyBackend.class && HAVE_SPINDLE_NETTY=1

wait_quiet

STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="$HERE/results/echo-$STAMP"
mkdir -p "$OUT/logs"
RAW="$OUT/raw.jsonl"
: > "$RAW"

{
    echo "date: $(date -R)"
    echo "nproc: $(nproc)"
    echo "cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" \
        "($(sed -n 's/^cpu MHz\s*: //p' /proc/cpuinfo | head -1) MHz$(grep -q '^flags.* hypervisor' /proc/cpuinfo &&
            echo ', virtual machine'))"
    echo "kernel: $(uname -sr)"
    echo "jdk: $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
    [[ $HAVE_PY == 1 ]] && echo "python: $("$PY" -c 'import sys; print(sys.version.split()[0])')"
    [[ $HAVE_UVLOOP == 1 ]] && echo "uvloop: $("$PY" -c 'import uvloop; print(uvloop.__version__)')"
    echo "go: $("$GO" version)"
    echo "netty: $(sed -n 's:.*<netty.version>\(.*\)</netty.version>.*:\1:p' "$ROOT/pom.xml")"
    echo "spindle server: $([[ $HAVE_SPINDLE == 1 ]] && echo "SpindleEchoServer in the jar" || echo "absent (skipped)")" \
        "(backends: nio$([[ $HAVE_JDKPOLLER == 1 ]] && echo ", jdk-poller")$([[ $HAVE_SPINDLE_NETTY == 1 ]] &&
            echo ", netty epoll"))"
    echo "spindle-core: $(git -C "$ROOT" log -1 --format='%h %s' 2>/dev/null || echo '?')$(cd "$ROOT" &&
        git diff --quiet HEAD -- spindle-core 2>/dev/null || echo ' (plus uncommitted changes in spindle-core)')"
    echo "runs: $RUNS  sizes: $SIZES  connections: $CONNECTIONS  warm-up: ${WARMUP_S}s  measured: ${MEASURE_S}s" \
        " max requests: $MAX_REQUESTS"
    echo "pinning: server '${PIN_SERVER:-none}' (go: none), client '${PIN_CLIENT:-none}'"
    echo "jvm opts: $JVM_OPTS (spindle adds $SPINDLE_FLAG, netty adds $NETTY_FLAG, spindle-netty both)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

# ---- one run -------------------------------------------------------------------------------------------------

# The server command of runtime $1 listening on port $2, or nothing if the runtime cannot run here.
server_for() {
    local rt="$1" port="$2"
    case "$rt" in
        # The Spindle server comes with Spindle's streams API: until then this row is skipped.
        spindle)
            [[ $HAVE_SPINDLE == 1 ]] &&
                echo "$JAVA $SPINDLE_FLAG $JVM_OPTS -cp $JAR dev.spindle.bench.echo.SpindleEchoServer --port $port" ;;
        spindle-bytes)
            [[ $HAVE_SPINDLE == 1 ]] &&
                echo "$JAVA $SPINDLE_FLAG $JVM_OPTS -cp $JAR dev.spindle.bench.echo.SpindleEchoServer --bytes --port $port" ;;
        spindle-jdkpoller)
            [[ $HAVE_JDKPOLLER == 1 ]] &&
                echo "$JAVA $SPINDLE_FLAG $JVM_OPTS -Dspindle.io.backend=jdk-poller -cp $JAR dev.spindle.bench.echo.SpindleEchoServer --port $port" ;;
        spindle-netty)
            [[ $HAVE_SPINDLE_NETTY == 1 ]] &&
                echo "$JAVA $SPINDLE_FLAG $NETTY_FLAG $JVM_OPTS -Dspindle.io.backend=netty -Dspindle.netty.driver=epoll -cp $JAR dev.spindle.bench.echo.SpindleEchoServer --port $port" ;;
        asyncio-streams|asyncio-protocol)
            [[ $HAVE_PY == 1 ]] && echo "$PY $HERE/echo/asyncio_echo.py --loop asyncio --mode ${rt#*-} --port $port" ;;
        uvloop-streams|uvloop-protocol)
            [[ $HAVE_UVLOOP == 1 ]] && echo "$PY $HERE/echo/asyncio_echo.py --loop uvloop --mode ${rt#*-} --port $port" ;;
        go-p1) echo "env GOMAXPROCS=1 $GO_SERVER -port $port" ;;
        go) echo "env -u GOMAXPROCS $GO_SERVER -port $port" ;;
        netty-nio|netty-epoll)
            echo "$JAVA $NETTY_FLAG $JVM_OPTS -cp $JAR dev.spindle.bench.echo.NettyEchoServer --transport ${rt#*-} --port $port" ;;
        *) say "unknown runtime $rt"; return 1 ;;
    esac
    return 0
}

# Waits until something listens on 127.0.0.1:$1 while process $2 lives; fails after 30 s or if it died.
wait_listening() {
    local port="$1" pid="$2" i
    for ((i = 0; i < 300; i++)); do
        kill -0 "$pid" 2>/dev/null || return 1
        if ss -Hltn "src $HOST:$port" 2>/dev/null | grep -q .; then return 0; fi
        sleep 0.1
    done
    return 1
}

# Ends server $1 (a child of this shell): TERM, then KILL after 10 s.
stop_server() {
    local pid="$1" i
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

PORT=$PORT_BASE
SERVER_PID=""
trap 'if [[ -n "$SERVER_PID" ]]; then stop_server "$SERVER_PID"; fi' EXIT
# Runs runtime $1 on size $2, run $3: starts the server, runs the client, keeps the result, stops the server.
run_one() {
    local rt="$1" size="$2" i="$3"
    PORT=$((PORT + 1))
    local cmd
    cmd="$(server_for "$rt" "$PORT" || true)"
    [[ -n "$cmd" ]] || return 0
    local pin="$PIN_SERVER"
    [[ $rt == go ]] && pin="" # the point of this row: the Go runtime free to use every core
    local log="$OUT/logs/echo-$size-$rt-$i.log"
    local load
    load="$(cut -d' ' -f1 /proc/loadavg)"
    echo "\$ ${pin:+$pin }$cmd" > "$log"
    # shellcheck disable=SC2086 # plain word lists; taskset and env exec, so $! is the server itself
    $pin $cmd >> "$log" 2>&1 &
    local pid=$!
    SERVER_PID=$pid
    local why=""
    if ! wait_listening "$PORT" "$pid"; then
        why="server did not listen on $HOST:$PORT"
    else
        local client=("$CLIENT" -runtime "$rt" -addr "$HOST:$PORT" -connections "$CONNECTIONS" -size "$size"
            -warmup "$WARMUP_S" -seconds "$MEASURE_S" -max-requests "$MAX_REQUESTS" -server-pid "$pid")
        echo "\$ ${PIN_CLIENT:+$PIN_CLIENT }${client[*]}" >> "$log"
        local rc=0
        # shellcheck disable=SC2086
        timeout --kill-after=10 $((WARMUP_S + MEASURE_S + 60)) $PIN_CLIENT "${client[@]}" > "$OUT/client.out" 2>> "$log" ||
            rc=$?
        cat "$OUT/client.out" >> "$log"
        local line
        line="$(grep '^BENCH ' "$OUT/client.out" | tail -1 | sed 's/^BENCH //' || true)"
        if [[ -n "$line" ]]; then
            # The client's line goes in even when it counted errors (rc 1): the tables show them.
            echo "{\"load1\": $load, \"run\": $i, \"server_pinned\": $([[ -n $pin ]] && echo true || echo false), ${line#\{}" >> "$RAW"
            say "$(printf '%-6s %-16s run %s: %s (load %s)' "$size" "$rt" "$i" "$("$PY" -c 'import json, sys
r = json.loads(sys.argv[1]); e = r["extra"]
print("{:,.0f} req/s, {:,.1f} MiB/s, server user {:.2f} us/req, errors {}".format(r["value"], e["mib_per_s"],
      e.get("server_user_cpu_us_per_req", float("nan")), e["errors"]))' "$line" 2>/dev/null || echo "$line")" "$load")"
        else
            why="client exit $rc, no result"
            [[ $rc == 124 || $rc == 137 ]] && why="client timed out"
        fi
    fi
    stop_server "$pid"
    SERVER_PID=""
    if [[ -n "$why" ]]; then
        printf '{"load1": %s, "run": %s, "runtime": "%s", "workload": "echo-%s", "error": "%s"}\n' \
            "$load" "$i" "$rt" "$size" "$why" >> "$RAW"
        say "$size $rt run $i FAILED ($why); see $log"
    fi
}

START=$SECONDS
for size in $SIZES; do
    for ((i = 1; i <= RUNS; i++)); do # runs interleaved across runtimes, so drift hits all alike
        for rt in $RUNTIMES; do
            run_one "$rt" "$size" "$i"
        done
    done
done
rm -f "$OUT/client.out"
say "runs took $((SECONDS - START)) s"
"$PY" "$HERE/echo/summarize_echo.py" "$RAW" | tee "$OUT/summary.md"
say "raw results, logs and tables: $OUT"
