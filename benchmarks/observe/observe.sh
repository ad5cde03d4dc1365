#!/usr/bin/env bash
# What observability costs on the core's switch and spawn workloads (CoreBench): each workload is run with
#   off          no JFR, no watchdog (observability compiled in, nobody looking)
#   jfr-spindle  a JFR recording of Spindle's events only (benchmarks/observe/spindle-only.jfc)
#   jfr-default  a JFR recording with JFR's default settings (the JDK's events, and Spindle's, which are on by default)
#   watchdog     the stall watchdog on (-Dspindle.stallThreshold=100ms)
#   base         (with BASE_REF=<git ref>) Spindle as it was at that ref, before observability
# runs interleaved (run 1 of every configuration, then run 2...) so that a change of machine load hits all alike, and
# prints per workload min/median/max of the workload's own figure and CPU seconds per run, and the median against off.
#
#   benchmarks/observe/observe.sh                       # RUNS=5, COUNT=1000000
#   BASE_REF=0fc3f8a benchmarks/observe/observe.sh      # also the code before observability, built in a copy
#   benchmarks/observe/observe.sh --jmh                 # then JMH SpindleMicro (switch, spawn) off / jfr / watchdog
#
# Environment: RUNS, COUNT, WARMUP (as run.sh), CONFIGS (a subset, e.g. "off jfr-spindle"), JAVA_HOME (a JDK 25+),
# WAIT_QUIET (seconds to wait, at most, for a quiet machine; default 0). Results go to benchmarks/results/observe-<date>/.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH="$(cd "$HERE/.." && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
RUNS="${RUNS:-5}"; COUNT="${COUNT:-1000000}"; WARMUP="${WARMUP:-2}"
CONFIGS="${CONFIGS:-off jfr-spindle jfr-default watchdog}"
JMH=0
[[ "${1:-}" == "--jmh" ]] && JMH=1
say() { echo "observe.sh: $*" >&2; }

# shellcheck source=../prereqs.sh
source "$BENCH/prereqs.sh"
wait_quiet "${WAIT_QUIET:-0}"
OUT="$BENCH/results/observe-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

say "building the benchmarks jar"
(cd "$ROOT" && ./mvnw -q -B -o -DskipTests -Dspotless.check.skip=true package -pl benchmarks -am >&2)
JAR="$BENCH/target/benchmarks.jar"
cp "$JAR" "$OUT/benchmarks.jar"
JAR="$OUT/benchmarks.jar"
BASE_JAR=""
if [[ -n "${BASE_REF:-}" ]]; then
    say "building $BASE_REF in a copy"
    COPY="$OUT/base-src"
    mkdir -p "$COPY"
    git -C "$ROOT" archive "$BASE_REF" | tar -x -C "$COPY"
    (cd "$COPY" && ./mvnw -q -B -o -DskipTests -Dspotless.check.skip=true package -pl benchmarks -am >&2)
    BASE_JAR="$OUT/base.jar"
    cp "$COPY/benchmarks/target/benchmarks.jar" "$BASE_JAR"
    rm -rf "$COPY"
    CONFIGS="base $CONFIGS"
fi

flags() { # the JVM flags of a configuration
    case "$1" in
        off|base) echo "" ;;
        jfr-spindle) echo "-XX:StartFlightRecording:settings=$HERE/spindle-only.jfc,filename=$OUT/rec-spindle.jfr" ;;
        jfr-default) echo "-XX:StartFlightRecording:settings=default,filename=$OUT/rec-default.jfr" ;;
        watchdog) echo "-Dspindle.stallThreshold=100ms" ;;
        *) say "unknown configuration $1"; exit 2 ;;
    esac
}

RAW="$OUT/raw.tsv"
: > "$RAW"
for run in $(seq 1 "$RUNS"); do
    for workload in switch spawn; do
        for cfg in $CONFIGS; do
            jar="$JAR"; [[ "$cfg" == base ]] && jar="$BASE_JAR"
            # shellcheck disable=SC2046
            line="$(python3 "$HERE/measure.py" "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED $(flags "$cfg") \
                -cp "$jar" dev.spindle.bench.CoreBench "$workload" --count "$COUNT" --warmup "$WARMUP")"
            load="$(cut -d' ' -f1 /proc/loadavg)"
            printf '%s\t%s\t%s\t%s\t%s\n' "$cfg" "$workload" "$run" "$load" "$line" >> "$RAW"
            say "run $run $workload $cfg: $line (load $load)"
        done
    done
done
python3 "$HERE/measure.py" --summarize "$RAW" | tee "$OUT/summary.md"

if [[ $JMH == 1 ]]; then
    for cfg in off jfr-spindle watchdog; do
        say "JMH $cfg"
        # shellcheck disable=SC2046
        "$JAVA" -jar "$JAR" 'SpindleMicro\.(switchHandoff|spawnAndAwait)$' -f 2 -wi 5 -i 5 -r 1 -w 1 \
            -jvmArgsAppend "--add-opens java.base/java.lang=ALL-UNNAMED $(flags "$cfg")" -rf json -rff "$OUT/jmh-$cfg.json" \
            | tee "$OUT/jmh-$cfg.txt" | grep -E '^SpindleMicro|^Benchmark' >&2
    done
fi
say "results in $OUT"
