#!/usr/bin/env bash
# spindle-web's CPU per request over the bare spindle-http handler (issue 11: under 20%), without MariaDB or peers:
# the bare handler (dev.spindle.bench.http.SpindleHttpServer) and the web app (dev.spindle.bench.web.TechEmpowerApp,
# whose /plaintext and /json need no database) alternate, ROUNDS times per endpoint, each a fresh JVM on core 1 with
# one loop, wrk -t1 -c64 on core 0: WARMUP_S of load unmeasured, then MEASURE_S measured. The server's user+system
# CPU over the measured window (from /proc/PID/stat) divided by wrk's request count is its CPU per request.
#
#   benchmarks/web/overhead.sh                         # ROUNDS=2, /plaintext and /json, 4 s warm-up, 8 s measured
#   ROUNDS=3 ENDPOINTS=/json JAR=/tmp/old.jar benchmarks/web/overhead.sh --no-build
#
# Environment: ROUNDS, ENDPOINTS, WARMUP_S, MEASURE_S, JAR (default benchmarks/target/benchmarks.jar), JAVA_HOME.
# A few minutes in all; the figures are as noisy as the machine is busy (the load average is printed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROUNDS="${ROUNDS:-2}"
ENDPOINTS="${ENDPOINTS:-/plaintext /json}"
WARMUP_S="${WARMUP_S:-4}"
MEASURE_S="${MEASURE_S:-8}"
BUILD=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "overhead.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
command -v wrk > /dev/null || { echo "overhead.sh: wrk is required (apt-get install wrk)" >&2; exit 1; }
say() { echo "overhead.sh: $*" >&2; }
# shellcheck source=../jdk.sh
source "$ROOT/benchmarks/jdk.sh"
JAR="${JAR:-$ROOT/benchmarks/target/benchmarks.jar}"
if [[ $BUILD == 1 ]]; then
    echo "building the benchmarks module ..." >&2
    (cd "$ROOT" && ./mvnw -q -B -o -DskipTests -DskipTestDeps -Dspotless.check.skip=true package -pl benchmarks -am >&2)
fi
SERVER_CPU="taskset -c 1"
CLIENT_CPU="taskset -c 0"
if [[ $(nproc) -lt 2 ]]; then SERVER_CPU=""; CLIENT_CPU=""; fi
PORT=18961

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() { # name, main class, endpoint: prints one line
    local name="$1" main="$2" ep="$3" pid c0 c1 out reqs
    # shellcheck disable=SC2086
    $SERVER_CPU "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED -cp "$JAR" "$main" --port "$PORT" --loops 1 \
        > /dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 150); do
        curl -s -o /dev/null "http://127.0.0.1:$PORT$ep" && break
        sleep 0.2
    done
    $CLIENT_CPU wrk -t1 -c64 -d"${WARMUP_S}s" "http://127.0.0.1:$PORT$ep" > /dev/null 2>&1
    c0="$(cpu_ticks "$pid")"
    out="$($CLIENT_CPU wrk -t1 -c64 -d"${MEASURE_S}s" "http://127.0.0.1:$PORT$ep" 2>&1)"
    c1="$(cpu_ticks "$pid")"
    kill "$pid"
    wait "$pid" 2> /dev/null || true
    reqs="$(awk '/requests in/ {print $1}' <<< "$out")"
    echo "$name $ep $reqs $((c1 - c0))"
}

echo "jdk: $("$JAVA" -version 2>&1 | head -1); nproc: $(nproc); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS"' EXIT
for ((r = 0; r < ROUNDS; r++)); do
    for ep in $ENDPOINTS; do
        measure bare dev.spindle.bench.http.SpindleHttpServer "$ep" | tee -a "$RESULTS" >&2
        measure web dev.spindle.bench.web.TechEmpowerApp "$ep" | tee -a "$RESULTS" >&2
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RESULTS" <<'PY'
import collections, statistics, sys
us = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, ep, reqs, ticks = line.split()
    us[(name, ep)].append(int(ticks) * 10_000 / int(reqs))  # 10 ms ticks, in µs per request
print("| endpoint | bare spindle-http CPU µs/req | spindle-web CPU µs/req | framework cost |")
print("|---|---:|---:|---:|")
for ep in dict.fromkeys(ep for _, ep in us):
    b, w = statistics.median(us[("bare", ep)]), statistics.median(us[("web", ep)])
    print(f"| {ep} | {b:.1f} | {w:.1f} | {(w / b - 1) * 100:+.0f}% |")
PY
