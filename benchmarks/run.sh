#!/usr/bin/env bash
# Runs Spindle side by side with its peers on the same workloads and prints markdown tables: the core's four
# (switch spawn memory timers) and the toolkit's four (queue generator agen lock).
#
#   benchmarks/run.sh                 # every workload x every runtime, RUNS times each (default 3), 1,000,000 each
#   benchmarks/run.sh --quick         # a smoke test: 1 run of 100,000 each, one short warm-up
#   benchmarks/run.sh --jmh           # the above, then the JMH micro-benchmarks of Spindle's switch and spawn
#   benchmarks/run.sh --jmh-only      # only the JMH micro-benchmarks
#   benchmarks/run.sh --workloads "switch spawn" --runtimes "spindle go-p1"   # a subset
#   benchmarks/run.sh --ref HEAD      # Spindle as committed at a git ref, not as in the work tree (built in a copy)
#   benchmarks/run.sh --diagnostics   # also CoreDiagnostics: switch and spawn floors, mass wake-up with/without prewarm
#   benchmarks/run.sh --jfr           # also a JFR profile of each Spindle workload, with its hottest frames
#
# Environment: RUNS (runs per workload and runtime), COUNT (operations per run), WARMUP (warm-up rounds of a tenth of
# COUNT inside each process), TIMEOUT (seconds one run may take before it is killed), TRACEMALLOC (1: one extra
# asyncio and uvloop memory run with tracemalloc on, at most 100,000 coroutines; 0: skip), JAVA_HOME (a JDK 25+),
# JVM_OPTS (extra flags for both JVM runtimes), WAIT_QUIET (seconds to wait, at most, for the 1-minute load average
# to drop below 0.5 before starting; default 0: start at once). The load average at the start of every run is kept
# with its result: on a 2-core machine anything else running skews the figures.
#
# Runtimes: spindle (CoreBench), spindle-tuned (CoreBench with SPINDLE_TUNED_OPTS, by default
# -Djdk.trackAllThreads=false -Djava.lang.ScopedValue.cacheSize=2), jdk-vt (VirtualThreadBench, park/unpark handoff), jdk-vt-queue (switch only, through
# SynchronousQueue), asyncio and uvloop (Debian's /usr/bin/python3), go-p1 (GOMAXPROCS=1) and go (default
# GOMAXPROCS); spindle-generator-thread runs the generator workload with the consumer on a plain thread, outside any
# loop. The toolkit workloads run on spindle (ToolkitBench), asyncio, uvloop and Go only. Raw results, logs and the tables go to benchmarks/results/<date-time>/ (not committed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

QUICK=0
REF=""
DIAGNOSTICS=0
PROFILE=0
JMH=0
SIDE_BY_SIDE=1
WORKLOADS="switch spawn memory timers queue generator agen lock"
RUNTIMES="spindle spindle-generator-thread spindle-tuned jdk-vt jdk-vt-queue asyncio uvloop go-p1 go"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --jmh) JMH=1 ;;
        --jmh-only) JMH=1; SIDE_BY_SIDE=0 ;;
        --workloads) WORKLOADS="$2"; shift ;;
        --runtimes) RUNTIMES="$2"; shift ;;
        --ref) REF="$2"; shift ;;
        --diagnostics) DIAGNOSTICS=1 ;;
        --jfr) PROFILE=1 ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

if [[ $QUICK == 1 ]]; then
    RUNS="${RUNS:-1}"; COUNT="${COUNT:-100000}"; WARMUP="${WARMUP:-1}"; TIMEOUT="${TIMEOUT:-120}"
else
    RUNS="${RUNS:-3}"; COUNT="${COUNT:-1000000}"; WARMUP="${WARMUP:-2}"; TIMEOUT="${TIMEOUT:-300}"
fi
TRACEMALLOC="${TRACEMALLOC:-1}"
JVM_OPTS="${JVM_OPTS:-}"
SPINDLE_FLAG="--add-opens java.base/java.lang=ALL-UNNAMED"
SPINDLE_TUNED_OPTS="${SPINDLE_TUNED_OPTS:--Djdk.trackAllThreads=false -Djava.lang.ScopedValue.cacheSize=2}"

say() { echo "run.sh: $*" >&2; }

# ---- prerequisites -------------------------------------------------------------------------------------------

# shellcheck source=prereqs.sh
source "$HERE/prereqs.sh"
HAVE_PY=0; HAVE_UVLOOP=0; HAVE_GO=0
[[ -x "$PY" ]] && HAVE_PY=1
[[ $HAVE_PY == 1 ]] && "$PY" -c 'import uvloop' 2>/dev/null && HAVE_UVLOOP=1
[[ -x "$GO" ]] && HAVE_GO=1

# ---- build ---------------------------------------------------------------------------------------------------

GO_BIN="$HERE/target/go-bench"
# Spindle is built from the work tree, or with --ref from a copy of that commit (with this benchmarks folder as it
# is here, which may not be committed yet), so that a work tree in the middle of an edit does not get measured.
BUILD_ROOT="$ROOT"
GOAL=install
if [[ -n "$REF" ]]; then
    sha="$(git -C "$ROOT" rev-parse --short "$REF^{commit}")"
    BUILD_ROOT="${TMPDIR:-/tmp}/spindle-bench-$sha"
    say "copying Spindle at $REF ($sha) to $BUILD_ROOT"
    rm -rf "$BUILD_ROOT"
    mkdir -p "$BUILD_ROOT"
    git -C "$ROOT" archive "$sha" | tar -x -C "$BUILD_ROOT"
    rm -rf "$BUILD_ROOT/benchmarks"
    mkdir -p "$BUILD_ROOT/benchmarks"
    tar -C "$HERE" --exclude=./target --exclude=./results -c . | tar -x -C "$BUILD_ROOT/benchmarks"
    GOAL=package # nothing of a copy goes to the local Maven repository
fi
JAR="$BUILD_ROOT/benchmarks/target/benchmarks.jar"
say "building the benchmarks module (Maven, in $BUILD_ROOT) ..."
if ! (cd "$BUILD_ROOT" && ./mvnw -q -B -o -DskipTests $GOAL -Dspotless.check.skip=true -pl benchmarks -am >&2); then
    say "the offline build failed; trying once more with Maven Central reachable (JMH may be missing locally)"
    (cd "$BUILD_ROOT" && ./mvnw -q -B -DskipTests $GOAL -Dspotless.check.skip=true -pl benchmarks -am >&2)
fi
if [[ $HAVE_GO == 1 && $SIDE_BY_SIDE == 1 ]]; then
    say "building the Go peer ..."
    (cd "$HERE/peers/go" && GOPROXY=off GOFLAGS=-mod=mod "$GO" build -o "$GO_BIN" .)
fi

wait_quiet

STAMP="$(date +%Y%m%d-%H%M%S)"
OUT="$HERE/results/$STAMP"
mkdir -p "$OUT/logs"
RAW="$OUT/raw.jsonl"
: > "$RAW"

{
    echo "date: $(date -R)"
    echo "nproc: $(nproc)"
    echo "cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)" \
        "(family $(sed -n 's/^cpu family\s*: //p' /proc/cpuinfo | head -1)," \
        "model $(sed -n 's/^model\s*: //p' /proc/cpuinfo | head -1)," \
        "$(sed -n 's/^cpu MHz\s*: //p' /proc/cpuinfo | head -1) MHz," \
        "cache $(sed -n 's/^cache size\s*: //p' /proc/cpuinfo | head -1)$(grep -q '^flags.* hypervisor' /proc/cpuinfo &&
            echo ', virtual machine'))"
    echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
    echo "kernel: $(uname -sr)"
    echo "jdk: $("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ')"
    [[ $HAVE_PY == 1 ]] && echo "python: $("$PY" -c 'import sys; print(sys.version.split()[0])')"
    [[ $HAVE_UVLOOP == 1 ]] && echo "uvloop: $("$PY" -c 'import uvloop; print(uvloop.__version__)')"
    [[ $HAVE_GO == 1 ]] && echo "go: $("$GO" version)"
    echo "runs: $RUNS  count: $COUNT  warmup: $WARMUP  timeout: ${TIMEOUT}s  jvm opts: $SPINDLE_FLAG $JVM_OPTS"
    echo "spindle-tuned adds: $SPINDLE_TUNED_OPTS"
    if [[ -n "$REF" ]]; then
        echo "spindle-core: $(git -C "$ROOT" log -1 --format='%h %s' "$REF") (built from a copy of $REF)"
    else
        echo "spindle-core: $(git -C "$ROOT" log -1 --format='%h %s' 2>/dev/null || echo '?')$(cd "$ROOT" &&
            git diff --quiet HEAD -- spindle-core 2>/dev/null || echo ' (plus uncommitted changes in spindle-core)')"
    fi
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

# ---- one run -------------------------------------------------------------------------------------------------

# The command line of runtime $1 on workload $2 with count $3, or nothing if the runtime does not apply.
command_for() {
    local rt="$1" w="$2" n="$3"
    local common=(--count "$n" --warmup "$WARMUP")
    if [[ " queue generator agen lock " == *" $w "* ]]; then # the toolkit workloads: Spindle, asyncio, uvloop, Go
        case "$rt" in
            spindle) echo "$JAVA $SPINDLE_FLAG $JVM_OPTS -cp $JAR dev.spindle.bench.ToolkitBench $w ${common[*]}"; return 0 ;;
            spindle-generator-thread)
                [[ $w == generator ]] &&
                    echo "$JAVA $SPINDLE_FLAG $JVM_OPTS -Dbench.runtime=spindle-generator-thread -cp $JAR dev.spindle.bench.ToolkitBench $w --on-thread ${common[*]}"
                return 0 ;;
            asyncio|uvloop|go-p1|go) ;; # below
            *) return 0 ;;
        esac
    fi
    case "$rt" in
        spindle-generator-thread) ;;
        spindle) echo "$JAVA $SPINDLE_FLAG $JVM_OPTS -cp $JAR dev.spindle.bench.CoreBench $w ${common[*]}" ;;
        spindle-tuned)
            echo "$JAVA $SPINDLE_FLAG $JVM_OPTS $SPINDLE_TUNED_OPTS -Dbench.runtime=spindle-tuned -cp $JAR dev.spindle.bench.CoreBench $w ${common[*]}" ;;
        jdk-vt) echo "$JAVA $SPINDLE_FLAG $JVM_OPTS -cp $JAR dev.spindle.bench.VirtualThreadBench $w ${common[*]}" ;;
        jdk-vt-queue)
            [[ $w == switch ]] &&
                echo "$JAVA $SPINDLE_FLAG $JVM_OPTS -cp $JAR dev.spindle.bench.VirtualThreadBench $w --handoff queue ${common[*]}" ;;
        asyncio) [[ $HAVE_PY == 1 ]] && echo "$PY $HERE/peers/asyncio_bench.py --loop asyncio $w ${common[*]}" ;;
        uvloop) [[ $HAVE_UVLOOP == 1 ]] && echo "$PY $HERE/peers/asyncio_bench.py --loop uvloop $w ${common[*]}" ;;
        go-p1) [[ $HAVE_GO == 1 ]] && echo "env GOMAXPROCS=1 $GO_BIN $w -count $n -warmup $WARMUP" ;;
        go) [[ $HAVE_GO == 1 ]] && echo "env -u GOMAXPROCS $GO_BIN $w -count $n -warmup $WARMUP" ;;
        *) say "unknown runtime $rt"; return 1 ;;
    esac
    return 0
}

# Runs one command under the time limit; appends its result line (or an error record) to the raw file.
run_one() {
    local rt="$1" w="$2" i="$3" cmd="$4"
    local log="$OUT/logs/$w-$rt-$i.log"
    echo "\$ $cmd" > "$log"
    local rc=0 load
    load="$(cut -d' ' -f1 /proc/loadavg)"
    # shellcheck disable=SC2086 # the command is a plain word list
    timeout --kill-after=10 "$TIMEOUT" $cmd >> "$log" 2>&1 || rc=$?
    local line
    line="$(grep '^BENCH ' "$log" | tail -1 | sed 's/^BENCH //' || true)"
    if [[ $rc == 0 && -n "$line" ]]; then
        echo "{\"load1\": $load, ${line#\{}" >> "$RAW"
        say "$(printf '%-7s %-13s run %s: %s' "$w" "$rt" "$i" \
            "$("$PY" -c 'import json,sys; r=json.loads(sys.argv[1]); print(format(r["value"], ",.1f"), r["unit"])' "$line" 2>/dev/null || echo "$line")")"
    else
        local why="exit $rc"
        [[ $rc == 124 || $rc == 137 ]] && why="timeout after ${TIMEOUT}s"
        printf '{"load1": %s, "runtime": "%s", "workload": "%s", "error": "%s"}\n' "$load" "$rt" "$w" "$why" >> "$RAW"
        say "$w $rt run $i FAILED ($why); see $log"
    fi
}

# ---- the side-by-side runs -----------------------------------------------------------------------------------

START=$SECONDS
if [[ $SIDE_BY_SIDE == 1 ]]; then
    for w in $WORKLOADS; do
        for ((i = 1; i <= RUNS; i++)); do # runs interleaved across runtimes, so drift hits all alike
            for rt in $RUNTIMES; do
                cmd="$(command_for "$rt" "$w" "$COUNT" || true)"
                if [[ -n "$cmd" ]]; then run_one "$rt" "$w" "$i" "$cmd"; fi
            done
        done
        if [[ $w == memory && $TRACEMALLOC == 1 && $HAVE_PY == 1 ]]; then
            n=$((COUNT < 100000 ? COUNT : 100000))
            for loop in asyncio uvloop; do
                [[ $loop == uvloop && $HAVE_UVLOOP == 0 ]] && continue
                [[ " $RUNTIMES " == *" $loop "* ]] || continue
                run_one "$loop+tracemalloc" memory 1 "$PY $HERE/peers/asyncio_bench.py --loop $loop memory --count $n --tracemalloc"
            done
        fi
    done
    say "side-by-side runs took $((SECONDS - START)) s"
    "$PY" "$HERE/summarize.py" "$RAW" | tee "$OUT/summary.md"
fi

# ---- diagnostics and profiles of the Spindle side -----------------------------------------------------------

if [[ $DIAGNOSTICS == 1 ]]; then
    say "diagnostics (CoreDiagnostics) ..."
    diag() {
        echo "\$ java ... dev.spindle.bench.CoreDiagnostics $*"
        # shellcheck disable=SC2086
        timeout --kill-after=10 "$TIMEOUT" "$JAVA" $SPINDLE_FLAG $JVM_OPTS -cp "$JAR" dev.spindle.bench.CoreDiagnostics "$@" 2>&1 ||
            echo "(failed or timed out)"
    }
    {
        diag switch-floor --count $((COUNT * 2))
        diag spawn-floor --count "$COUNT"
        diag wake --count "$COUNT"
        diag wake --count "$COUNT" --prewarm 20000
    } | tee "$OUT/diagnostics.txt"
fi

if [[ $PROFILE == 1 ]]; then
    mkdir -p "$OUT/jfr"
    for w in $WORKLOADS; do
        n=$COUNT
        [[ $w == switch ]] && n=$((COUNT * 20)) # long enough for a few thousand samples
        [[ $w == timers ]] && n=$((COUNT * 3))
        say "JFR profile of Spindle's $w ($n) ..."
        rec="$OUT/jfr/$w.jfr"
        # shellcheck disable=SC2086
        timeout --kill-after=10 "$TIMEOUT" "$JAVA" $SPINDLE_FLAG $JVM_OPTS \
            "-XX:StartFlightRecording=filename=$rec,settings=profile,jdk.ExecutionSample#period=1ms" \
            -cp "$JAR" dev.spindle.bench.CoreBench "$w" --count "$n" --warmup "$WARMUP" > "$OUT/jfr/$w.log" 2>&1 ||
            say "the profiled $w run failed; see $OUT/jfr/$w.log"
        if [[ -f "$rec" ]]; then
            "$JDK/bin/jfr" print --json --events jdk.ExecutionSample "$rec" > "$OUT/jfr/$w.samples.json"
            {
                echo "#### JFR: Spindle $w ($n), $(grep '^BENCH' "$OUT/jfr/$w.log" | sed 's/^BENCH //' | cut -c1-200)"
                echo
                "$PY" "$HERE/jfr_top.py" "$OUT/jfr/$w.samples.json" --top 15 --lines
                echo
            } | tee "$OUT/jfr/$w.md"
            rm -f "$OUT/jfr/$w.samples.json"
        fi
    done
fi

# ---- JMH -----------------------------------------------------------------------------------------------------

if [[ $JMH == 1 ]]; then
    if [[ $QUICK == 1 ]]; then
        jmh_args=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
    else
        jmh_args=(-f 2 -wi 5 -w 2s -i 5 -r 2s)
    fi
    say "JMH: ${jmh_args[*]}"
    # shellcheck disable=SC2086
    timeout --kill-after=10 1800 "$JAVA" $SPINDLE_FLAG -jar "$JAR" "${jmh_args[@]}" \
        -rf json -rff "$OUT/jmh.json" 'dev.spindle.bench.jmh.*' 2>&1 | tee "$OUT/jmh.txt"
fi
say "raw results, logs and tables: $OUT (total $((SECONDS - START)) s)"
