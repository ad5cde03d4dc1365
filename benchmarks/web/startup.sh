#!/usr/bin/env bash
# spindle-web's startup benchmark (issue 11): a 50-route app (dev.spindle.bench.web.WebStartup) started in a fresh
# JVM, RUNS times; each run prints the time from just before `java` ran to the 200 answer of its first request, the
# process's CPU time, and the phases (JVM start, declaring the routes, compiling them, starting the server, the
# first request). Prints min/median/max of each over the runs, with the load average before and after.
#
#   benchmarks/web/startup.sh                   # RUNS=10 runs, default JVM flags
#   benchmarks/web/startup.sh --aot             # also with a JDK 25 AOT cache (JEP 483/514) trained by one run
#   RUNS=5 JVM_OPTS="-XX:TieredStopAtLevel=1 -Dspindle.warmup=false" benchmarks/web/startup.sh --no-build
#   benchmarks/web/startup.sh --floor           # also the floors: an empty main, a hello-world spindle-http server
#
# Environment: RUNS (default 10), JAVA_HOME (a JDK 25+), JVM_OPTS (extra flags for every run), JAR (the jar to run,
# default benchmarks/target/web-startup.jar: the app with spindle-web and its dependencies only, as an app ships,
# rather than benchmarks.jar with every peer, whose 14,600-entry directory the JVM reads when it first opens it;
# with --no-build, a saved jar compares two builds).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUNS="${RUNS:-10}"
AOT=0
BUILD=1
FLOOR=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --aot) AOT=1 ;;
        --no-build) BUILD=0 ;;
        --floor) FLOOR=1 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "startup.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

say() { echo "startup.sh: $*" >&2; }
# shellcheck source=../jdk.sh
source "$ROOT/benchmarks/jdk.sh"
JAR="${JAR:-$ROOT/benchmarks/target/web-startup.jar}"
if [[ $BUILD == 1 ]]; then
    echo "building the benchmarks module ..." >&2
    (cd "$ROOT" && ./mvnw -q -B -o -DskipTests -DskipTestDeps -Dspotless.check.skip=true package -pl benchmarks -am >&2) ||
        (cd "$ROOT" && ./mvnw -q -B -DskipTests -DskipTestDeps -Dspotless.check.skip=true package -pl benchmarks -am >&2)
fi
FLAGS="--add-opens java.base/java.lang=ALL-UNNAMED ${JVM_OPTS:-}"
LOG="$(mktemp -d)"
trap 'rm -rf "$LOG"' EXIT

echo "jdk: $("$JAVA" -version 2>&1 | head -1); nproc: $(nproc); spindle: $(git -C "$ROOT" log -1 --format=%h 2>/dev/null || echo '?')"
echo "JVM flags: $FLAGS"

series() { # name, extra flags[, main class and its flags]: RUNS fresh JVMs, then the summary
    local name="$1" extra="$2" main="${3:-dev.spindle.bench.web.WebStartup}" out="$LOG/$1.txt"
    local before after
    before="$(cut -d' ' -f1-3 /proc/loadavg)"
    : > "$out"
    for ((i = 0; i < RUNS; i++)); do
        # shellcheck disable=SC2086
        "$JAVA" $FLAGS $extra -cp "$JAR" $main --start-ns "$(date +%s%N)" \
            2> "$LOG/stderr.txt" >> "$out" || { cat "$LOG/stderr.txt" >&2; exit 1; }
    done
    after="$(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "## $name: $RUNS runs, load average before $before, after $after"
    python3 - "$out" <<'PY'
import statistics, sys
rows = [dict(kv.split("=") for kv in line.split()) for line in open(sys.argv[1]) if line.strip()]
print("| measure | min | median | max |")
print("|---|---:|---:|---:|")
for key in rows[0]:
    v = sorted(float(r[key]) for r in rows)
    print(f"| {key} | {v[0]:.0f} | {statistics.median(v):.0f} | {v[-1]:.0f} |")
PY
}

series "default" ""
if [[ $AOT == 1 ]]; then
    CACHE="$LOG/web-startup.aot"
    # shellcheck disable=SC2086
    "$JAVA" $FLAGS -XX:AOTCacheOutput="$CACHE" -cp "$JAR" dev.spindle.bench.web.WebStartup > /dev/null 2>&1
    series "aot-cache" "-XX:AOTCache=$CACHE"
fi
if [[ $FLOOR == 1 ]]; then
    series "floor-empty-main" "" "dev.spindle.bench.web.StartupFloor --empty"
    series "floor-spindle-http-hello" "" "dev.spindle.bench.web.StartupFloor"
    if [[ $AOT == 1 ]]; then
        FCACHE="$LOG/floor.aot"
        # shellcheck disable=SC2086
        "$JAVA" $FLAGS -XX:AOTCacheOutput="$FCACHE" -cp "$JAR" dev.spindle.bench.web.StartupFloor \
            --start-ns "$(date +%s%N)" > /dev/null 2>&1
        series "floor-spindle-http-hello-aot" "-XX:AOTCache=$FCACHE" "dev.spindle.bench.web.StartupFloor"
    fi
fi
