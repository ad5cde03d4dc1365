#!/usr/bin/env bash
# WebSocket echo benchmark: one server at a time (Spindle on the JDK selector and on Netty's epoll, Netty's own
# WebSocket codec, Python websockets), each driven by the same load client (Spindle's WebSocketClient: CONNECTIONS
# sockets, each sending a SIZE-byte binary message and waiting for its echo). Reports messages/s and the server's
# user+system CPU per message, min/median/max over RUNS runs. Compression and keepalive pings are off everywhere.
#
#   benchmarks/http/ws-echo.sh                    # every runtime, RUNS (3) runs each
#   RUNTIMES="spindle netty" RUNS=1 benchmarks/http/ws-echo.sh
#
# Environment: RUNS (3), CONNECTIONS (64), SIZE (64 bytes), WARMUP_S (5), MEASURE_S (10), PORT (17300),
# JAVA_HOME (a JDK 25), PIN (1: server pinned to core 1, client to core 0 when there are two cores; 0: no pinning). Only
# 127.0.0.1.
# Results go to benchmarks/results/ws-echo-<date-time>/ (not committed).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUNS="${RUNS:-3}"; CONNECTIONS="${CONNECTIONS:-64}"; SIZE="${SIZE:-64}"
WARMUP_S="${WARMUP_S:-5}"; MEASURE_S="${MEASURE_S:-10}"; PORT="${PORT:-17300}"
RUNTIMES="${RUNTIMES:-spindle spindle-netty netty python-websockets}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
PY=/usr/bin/python3
FLAGS="--add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
OUT="$ROOT/benchmarks/results/ws-echo-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
say() { echo "ws-echo.sh: $*" >&2; }
SERVER_PID=""
# a server is never left behind, whatever ends the script
trap '[[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null; true' EXIT

if [[ "${PIN:-1}" == 1 && $(nproc) -ge 2 ]] && command -v taskset >/dev/null; then
    PIN_SERVER="taskset -c 1"; PIN_CLIENT="taskset -c 0"
else
    PIN_SERVER=""; PIN_CLIENT=""
fi

say "compiling spindle-http and spindle-netty"
(cd "$ROOT" && ./mvnw -q -o -pl spindle-http,spindle-netty -am compile -DskipTestDeps)
(cd "$ROOT" && ./mvnw -q -o -pl spindle-netty dependency:build-classpath -Dmdep.outputFile="$OUT/netty.cp" >/dev/null)
NETTY_JARS="$(tr ':' '\n' < "$OUT/netty.cp" | grep -v '/dev/spindle/' | paste -sd:)"
SPINDLE_CP="$ROOT/spindle-core/target/classes:$ROOT/spindle-http/target/classes:$ROOT/spindle-netty/target/classes:$NETTY_JARS"
JAVAC="$(dirname "$JAVA")/javac"
M2="$HOME/.m2/repository/io/netty"
NETTY_CODEC_CP=""
for a in common buffer transport codec-base codec-http handler resolver transport-native-unix-common codec-compression; do
    NETTY_CODEC_CP="$NETTY_CODEC_CP:$M2/netty-$a/4.2.9.Final/netty-$a-4.2.9.Final.jar"
done

# compiled once here rather than by the source launcher at each start (slow, and timed against the start-up wait)
mkdir -p "$OUT/classes/spindle" "$OUT/classes/netty"
"$JAVAC" -d "$OUT/classes/spindle" -cp "$SPINDLE_CP" "$HERE/WsEchoSpindle.java" "$HERE/WsLoad.java"
"$JAVAC" -d "$OUT/classes/netty" -cp "${NETTY_CODEC_CP#:}" "$HERE/WsEchoNetty.java"
SPINDLE_RUN_CP="$OUT/classes/spindle:$SPINDLE_CP"

start_server() { # runtime port -> pid in SERVER_PID
    local rt="$1" port="$2"
    case "$rt" in
        spindle) exec $PIN_SERVER "$JAVA" $FLAGS -cp "$SPINDLE_RUN_CP" WsEchoSpindle "$port" ;;
        spindle-netty) exec $PIN_SERVER "$JAVA" $FLAGS -Dspindle.io.backend=netty -cp "$SPINDLE_RUN_CP" WsEchoSpindle "$port" ;;
        netty) exec $PIN_SERVER "$JAVA" -cp "$OUT/classes/netty:${NETTY_CODEC_CP#:}" WsEchoNetty "$port" ;;
        python-websockets) exec $PIN_SERVER "$PY" "$HERE/ws_echo_python.py" "$port" ;;
        *) say "unknown runtime $rt"; exit 2 ;;
    esac > "$OUT/$rt-server-$port.log" 2>&1 & # exec: $! is the server itself, whose CPU is measured and which is killed
    SERVER_PID=$!
    for _ in $(seq 1 600); do
        grep -q listening "$OUT/$rt-server-$port.log" 2>/dev/null && return 0
        sleep 0.1
    done
    say "$rt did not start:"; cat "$OUT/$rt-server-$port.log" >&2; exit 1
}

echo "runtime run messages_per_s server_cpu_us_per_msg load" > "$OUT/raw.txt"
for rt in $RUNTIMES; do
    for run in $(seq 1 "$RUNS"); do
        PORT=$((PORT + 1))
        start_server "$rt" "$PORT"
        line=$($PIN_CLIENT "$JAVA" $FLAGS -cp "$SPINDLE_RUN_CP" WsLoad "ws://127.0.0.1:$PORT/" \
            "$CONNECTIONS" "$SIZE" "$WARMUP_S" "$MEASURE_S" "$SERVER_PID" "$(getconf CLK_TCK)" | grep '^messages=')
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
        msgs=$(sed 's/.*messages=\([0-9]*\).*/\1/' <<< "$line")
        secs=$(sed 's/.*seconds=\([0-9.]*\) .*/\1/' <<< "$line")
        cpu=$(sed 's/.*cpu_seconds=\([0-9.]*\).*/\1/' <<< "$line")
        rate=$(awk -v m="$msgs" -v s="$secs" 'BEGIN { printf "%.0f", m / s }')
        per=$(awk -v m="$msgs" -v c="$cpu" 'BEGIN { if (m > 0) printf "%.2f", c * 1e6 / m; else printf "0" }')
        echo "$rt $run $rate $per $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/raw.txt" >&2
    done
done

"$PY" - "$OUT/raw.txt" <<'PYEOF' | tee "$OUT/table.md"
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[1:]]
print("| server | messages/s (min / median / max) | server CPU µs per message (min / median / max) | load avg |")
print("|---|---|---|---|")
for rt in dict.fromkeys(r[0] for r in rows):
    rs = [r for r in rows if r[0] == rt]
    m = sorted(float(r[2]) for r in rs); c = sorted(float(r[3]) for r in rs)
    print(f"| {rt} | {m[0]:,.0f} / {statistics.median(m):,.0f} / {m[-1]:,.0f} | "
          f"{c[0]:.1f} / {statistics.median(c):.1f} / {c[-1]:.1f} | {', '.join(r[4] for r in rs)} |")
PYEOF
say "results in $OUT"
