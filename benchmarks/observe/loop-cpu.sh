#!/usr/bin/env bash
# Loop-thread CPU per operation (LoopCpu.java) of core's switch and spawn, for several spindle-core jars and JVM flags,
# alternated, so that load drift hits every configuration alike. How BENCHMARKS.md's "What seeing inside costs" ran:
#
#   benchmarks/observe/loop-cpu.sh switch 6 base=/tmp/base.jar off=spindle-core/target/spindle-core-0.1.0-SNAPSHOT.jar \
#       "watchdog=spindle-core/target/spindle-core-0.1.0-SNAPSHOT.jar|-Dspindle.stallThreshold=100ms" \
#       "jfr=spindle-core/target/spindle-core-0.1.0-SNAPSHOT.jar|-XX:StartFlightRecording=settings=benchmarks/observe/spindle-only.jfc"
#
# Arguments: the workload (switch or spawn), how many JVMs per configuration, then label=jar[|JVM flags] per
# configuration (a "before" jar: check out the old commit in a worktree and run ./mvnw -pl spindle-core package).
# Prints one line per JVM, then per configuration the median of the JVMs' medians, their range, and the median of
# their minimums. JAVA_HOME: a JDK 25 (default /usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
J="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin"
what="$1"; rounds="$2"; shift 2
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
declare -A classes=()
n=0
for spec in "$@"; do
    rest="${spec#*=}"; jar="${rest%%|*}"
    if [[ -z "${classes[$jar]:-}" ]]; then
        n=$((n + 1)); d="$work/c$n"; mkdir -p "$d"
        "$J/javac" -nowarn -cp "$jar" -d "$d" "$here/LoopCpu.java"
        classes[$jar]="$d"
    fi
done
for _ in $(seq 1 "$rounds"); do
    for spec in "$@"; do
        label="${spec%%=*}"; rest="${spec#*=}"; jar="${rest%%|*}"; flags=""
        [[ "$rest" == *"|"* ]] && flags="${rest#*|}"
        # shellcheck disable=SC2086
        echo "$label $("$J/java" $flags --add-opens java.base/java.lang=ALL-UNNAMED -cp "$jar:${classes[$jar]}" LoopCpu "$what" 60 2>/dev/null | grep median)"
    done
done | tee "$work/out"
python3 - "$work/out" <<'PY'
import collections, re, statistics, sys
med, mins = collections.defaultdict(list), collections.defaultdict(list)
for line in open(sys.argv[1]):
    m = re.match(r'(\S+) \S+ median ([\d.]+) ns/op\s+min ([\d.]+)', line)
    if m:
        med[m[1]].append(float(m[2])); mins[m[1]].append(float(m[3]))
print("| configuration | JVMs | median ns/op | range of medians | median of minimums |")
print("|---|---:|---:|---|---:|")
for k in med:
    print(f"| {k} | {len(med[k])} | {statistics.median(med[k]):.0f} | {min(med[k]):.0f}-{max(med[k]):.0f} | {statistics.median(mins[k]):.0f} |")
PY
