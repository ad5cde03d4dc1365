#!/usr/bin/env bash
# HTTP server benchmark: wrk against Spindle (JDK selector and Netty backends, 1 and 2 loops), Go net/http and
# FastAPI+uvicorn, side by side in one run. For each: RUNS runs of DURATION seconds at CONNS connections on
# /plaintext; reports req/s and the server's user+system CPU per request (from /proc/<pid>/stat), min/median/max.
#
#   benchmarks/http/run.sh [--runs 3] [--duration 5] [--conns 64] [--path /plaintext]
#
# On a shared machine the figures move with the neighbours' load: compare within one run, not across runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/benchmarks/http
RUNS=3
DURATION=5
CONNS=64
URLPATH=/plaintext
while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) RUNS=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --conns) CONNS=$2; shift 2 ;;
        --path) URLPATH=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
say() { echo "[http-bench] $*" >&2; }
# shellcheck source=../prereqs.sh
source "$ROOT/benchmarks/prereqs.sh"
command -v wrk >/dev/null || { say "wrk is missing (Debian package wrk)"; exit 1; }

say "building spindle-http and spindle-netty"
./mvnw -q -o -pl spindle-http,spindle-netty -am package -DskipTests -DskipTestDeps >&2
CPFILE=$(mktemp)
./mvnw -q -o -pl spindle-netty dependency:build-classpath -Dmdep.outputFile="$CPFILE" >&2
# the reactor's fresh classes, never a stale copy from the local repository
CP="$ROOT/spindle-core/target/classes:$ROOT/spindle-http/target/classes:$ROOT/spindle-netty/target/classes:$(tr ':' '\n' <"$CPFILE" | grep -v /dev/spindle/ | paste -sd:)"
rm -f "$CPFILE"
GOBIN_DIR=$(mktemp -d)
(cd "$HERE" && GOCACHE=${GOCACHE:-/tmp/gocache} "$GO" build -o "$GOBIN_DIR/hello" hello.go)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)

# bench NAME PORT COMMAND...: starts the server, warms it up, runs wrk RUNS times, prints one summary line
bench() {
    local name=$1 port=$2
    shift 2
    "$@" >/tmp/http-bench-$port.log 2>&1 &
    local pid=$!
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$port$URLPATH" && break
        sleep 0.2
    done
    wrk -t2 -c"$CONNS" -d3s "http://127.0.0.1:$port$URLPATH" >/dev/null 2>&1 # warm-up (JIT)
    local rps=() cpu=()
    for _ in $(seq "$RUNS"); do
        local t0 out reqs t1
        t0=$(cpu_ticks "$pid")
        out=$(wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$port$URLPATH")
        t1=$(cpu_ticks "$pid")
        reqs=$(echo "$out" | awk '/requests in/ {print $1}')
        rps+=("$(echo "$out" | awk '/Requests\/sec/ {print $2}')")
        cpu+=("$(awk -v d=$((t1 - t0)) -v hz="$HZ" -v n="$reqs" 'BEGIN {printf "%.1f", d / hz * 1e6 / n}')")
    done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    printf '%-28s req/s %s   CPU us/req %s\n' "$name" "$(stats "${rps[@]}")" "$(stats "${cpu[@]}")"
}

stats() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "min %s median %s max %s", a[1], a[int((NR+1)/2)], a[NR]}'; }

JFLAGS=(--add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Djava.util.logging.config.file=$ROOT/spindle-http/src/test/resources/logging.properties)
say "wrk -c$CONNS -d${DURATION}s $URLPATH, $RUNS runs each (after a 3 s warm-up)"
bench "spindle nio, 1 loop" 18081 "$JAVA" "${JFLAGS[@]}" -cp "$CP" "$HERE/HelloSpindle.java" 18081 1
bench "spindle nio, 2 loops" 18082 "$JAVA" "${JFLAGS[@]}" -cp "$CP" "$HERE/HelloSpindle.java" 18082 2
bench "spindle netty, 1 loop" 18083 "$JAVA" "${JFLAGS[@]}" -Dspindle.io.backend=netty -cp "$CP" "$HERE/HelloSpindle.java" 18083 1
bench "spindle netty, 2 loops" 18084 "$JAVA" "${JFLAGS[@]}" -Dspindle.io.backend=netty -cp "$CP" "$HERE/HelloSpindle.java" 18084 2
bench "go net/http" 18085 "$GOBIN_DIR/hello" 18085
UVI=(--log-level warning --no-access-log)
"$PY" -c 'import uvloop' 2>/dev/null && UVI+=(--loop uvloop)
"$PY" -c 'import httptools' 2>/dev/null && UVI+=(--http httptools)
bench "fastapi+uvicorn (${UVI[*]:3})" 18086 "$PY" -m uvicorn --app-dir "$HERE" hello_fastapi:app --port 18086 "${UVI[@]}"
rm -rf "$GOBIN_DIR"
