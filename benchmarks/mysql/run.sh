#!/usr/bin/env bash
# MySQL client benchmark (issue 13): Spindle beside MariaDB Connector/J + HikariCP on virtual threads,
# vertx-mysql-client 5, aiomysql (Debian python3-aiomysql) and sysbench oltp_point_select (the C client, the floor),
# all against one MariaDB server this script starts on 127.0.0.1 with its own data directory.
#
#   benchmarks/mysql/run.sh                     # every workload x concurrency x runtime, RUNS times each
#   RUNS=1 SECONDS_PER_RUN=3 benchmarks/mysql/run.sh --workloads point --conc "1 16"
#
# Workloads: point (SELECT c FROM sbtest1 WHERE id = ?, as sysbench's oltp_point_select), insert (single-row INSERT),
# scan (10,000 rows of sbtest1). Concurrency: coroutines / virtual threads / vert.x request loops / asyncio tasks, each
# with a pool of that many connections, taking a connection per operation. Each run warms up for a third of
# SECONDS_PER_RUN and measures the rest. Output: a markdown table of ops/s (min / median / max over RUNS) and process
# CPU µs per op (median; the client process only, the server's CPU is not counted). Raw lines go to
# benchmarks/mysql/results/<date-time>/ (not committed).
#
# JAVA_EXTRA: more JVM options for the Java runtimes, e.g. to profile one cell:
#   JAVA_EXTRA="-XX:StartFlightRecording:filename=/tmp/jfr/,settings=profile" RUNS=1 benchmarks/mysql/run.sh \
#       --workloads point --conc 16 --runtimes spindle
# B_CLASSES: the classes of another build of spindle-mysql (e.g. compiled from an older commit); the runtimes spindle-b
# and spindle-netty-b are then Spindle with those in front, so "--runtimes 'spindle spindle-b'" compares two builds
# run by run, in turn.
# JAVA_HEAP: the Java runtimes' heap options, -Xmx2g by default. Short runs of the scans measure the JVM growing its
# heap (first touches of new memory, which are dear in a VM, and rows copied by the collector while 16 or 128 scans
# hold them); "-Xms2g -Xmx2g -XX:+AlwaysPreTouch" measures the steady state instead.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUNS="${RUNS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-6}"
WORKLOADS="point insert scan"
CONCS="1 16 128"
RUNTIMES="sysbench spindle spindle-netty jdbc vertx aiomysql"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --workloads) WORKLOADS="$2"; shift ;;
        --conc) CONCS="$2"; shift ;;
        --runtimes) RUNTIMES="$2"; shift ;;
        -h|--help) sed -n '2,/^set -/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
say() { echo "[mysql-bench] $*" >&2; }
PY=/usr/bin/python3 # Debian's, where python3-aiomysql lives (not a pyenv shim)

JDK="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JDK/bin/java"
# The peers come from Debian: installed here when missing and run as root, else named and the run stops.
need=()
command -v sysbench >/dev/null || need+=(sysbench)
command -v mariadb >/dev/null || need+=(mariadb-client)
command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] || need+=(mariadb-server)
"$PY" -c 'import aiomysql' 2>/dev/null || need+=(python3-aiomysql)
if [[ ${#need[@]} -gt 0 && $(id -u) == 0 ]]; then
    say "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2 || true
fi
for bin in mariadbd mariadb-install-db mariadb sysbench; do
    command -v "$bin" >/dev/null || [[ -x "/usr/sbin/$bin" ]] || { say "$bin missing: apt-get install mariadb-server mariadb-client sysbench"; exit 1; }
done
"$PY" -c 'import aiomysql' 2>/dev/null || { say "aiomysql missing: apt-get install python3-aiomysql"; exit 1; }

OUT="$HERE/results/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/spindle-mysql-bench-XXXXXX)"
PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
USER_=bench
PASS_=bench-pw

cleanup() {
    [[ -f "$WORK/mysqld.pid" ]] && kill "$(cat "$WORK/mysqld.pid")" 2>/dev/null || true
    sleep 1
    rm -rf "$WORK"
}
trap cleanup EXIT

say "building Spindle and the class path"
(cd "$ROOT" && ./mvnw -q -o -pl benchmarks -am compile dependency:build-classpath -DskipTestDeps -Dspotless.check.skip=true \
    -Dmdep.outputFile="$WORK/cp.txt" >"$OUT/build.log" 2>&1) || { say "build failed: $OUT/build.log"; exit 1; }
CP="$ROOT/spindle-core/target/classes:$ROOT/spindle-netty/target/classes:$ROOT/spindle-mysql/target/classes:$(cat "$WORK/cp.txt")"
mkdir -p "$WORK/classes"
"$JDK/bin/javac" -d "$WORK/classes" -cp "$CP" "$HERE/MySqlBench.java"
CP="$WORK/classes:$CP"

say "starting mariadbd on 127.0.0.1:$PORT"
mariadb-install-db --no-defaults --datadir="$WORK/data" --user=root --auth-root-authentication-method=normal \
    --skip-test-db >"$OUT/install.log" 2>&1
cat >"$WORK/init.sql" <<SQL
CREATE DATABASE IF NOT EXISTS bench;
CREATE USER IF NOT EXISTS '$USER_'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('$PASS_');
GRANT ALL ON *.* TO '$USER_'@'%';
SQL
/usr/sbin/mariadbd --no-defaults --datadir="$WORK/data" --port="$PORT" --bind-address=127.0.0.1 \
    --socket="$WORK/mysqld.sock" --pid-file="$WORK/mysqld.pid" --user=root --init-file="$WORK/init.sql" \
    --skip-log-bin --innodb-buffer-pool-size=512M --innodb-flush-log-at-trx-commit=2 --max-connections=2000 \
    --performance-schema=OFF --skip-name-resolve >"$OUT/mariadbd.log" 2>&1 &
for _ in $(seq 100); do
    mariadb --protocol=tcp -h127.0.0.1 -P"$PORT" -u"$USER_" -p"$PASS_" -e 'SELECT 1' bench >/dev/null 2>&1 && break
    sleep 0.2
done
SB=(sysbench oltp_point_select --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$PORT" --mysql-user="$USER_"
    --mysql-password="$PASS_" --mysql-db=bench --tables=1 --table-size=100000)
"${SB[@]}" prepare >"$OUT/sysbench-prepare.log" 2>&1
mariadb --protocol=tcp -h127.0.0.1 -P"$PORT" -u"$USER_" -p"$PASS_" bench \
    -e 'CREATE TABLE bench_insert (id BIGINT AUTO_INCREMENT PRIMARY KEY, k INT, c CHAR(120)) ENGINE=InnoDB'

# sysbench: events of 10 point selects each; its "queries" rate is the comparable figure. CPU from its rusage.
run_sysbench() {
    local conc=$1
    "$PY" - "$conc" "$SECONDS_PER_RUN" "${SB[@]}" <<'PY'
import re, resource, subprocess, sys
conc, secs, sb = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
proc = subprocess.run(sb + [f"--threads={conc}", f"--time={max(1, int(secs))}", "run"],
                      capture_output=True, text=True)
out = proc.stdout
q = re.search(r"queries:\s+(\d+)\s+\(([\d.]+) per sec", out)
if q is None:
    sys.exit("sysbench gave no rate: " + proc.stdout[-500:] + proc.stderr[-500:])
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
n = int(q.group(1))
print(f"RESULT sysbench point {conc} {float(q.group(2)):.0f} {(ru.ru_utime + ru.ru_stime) * 1e6 / max(n, 1):.1f}")
PY
}

for w in $WORKLOADS; do
    for c in $CONCS; do
        for r in $(seq "$RUNS"); do # runs outside runtimes: the runtimes take turns, so a busy spell hits them alike
            for rt in $RUNTIMES; do
                [[ $rt == sysbench && $w != point ]] && continue
                say "$w x$c $rt run $r"
                echo "== $w $c $rt run $r" >>"$OUT/stderr.log"
                case $rt in
                    sysbench) line="$(run_sysbench "$c" 2>>"$OUT/stderr.log" || true)" ;;
                    aiomysql) line="$(timeout 300 "$PY" "$HERE/aiomysql_bench.py" "$w" "$c" "$SECONDS_PER_RUN" "$PORT" "$USER_" "$PASS_" | grep RESULT || true)" ;;
                    spindle-netty) line="$(timeout 300 "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
                        ${JAVA_HEAP:--Xmx2g} ${JAVA_EXTRA:-} -Dspindle.io.backend=netty -cp "$CP" MySqlBench spindle "$w" "$c" "$SECONDS_PER_RUN" "$PORT" "$USER_" "$PASS_" \
                        2>>"$OUT/stderr.log" | grep RESULT | sed 's/RESULT spindle /RESULT spindle-netty /' || true)" ;;
                    spindle-b|spindle-netty-b) line="$(timeout 300 "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
                        ${JAVA_HEAP:--Xmx2g} ${JAVA_EXTRA:-} -Dspindle.io.backend="$([[ $rt == spindle-b ]] && echo nio || echo netty)" \
                        -cp "${B_CLASSES:?B_CLASSES names the other build}:$CP" MySqlBench spindle "$w" "$c" "$SECONDS_PER_RUN" "$PORT" "$USER_" "$PASS_" \
                        2>>"$OUT/stderr.log" | grep RESULT | sed "s/RESULT spindle /RESULT $rt /" || true)" ;;
                    *) line="$(timeout 300 "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
                        ${JAVA_HEAP:--Xmx2g} ${JAVA_EXTRA:-} -cp "$CP" MySqlBench "$rt" "$w" "$c" "$SECONDS_PER_RUN" "$PORT" "$USER_" "$PASS_" 2>>"$OUT/stderr.log" | grep RESULT || true)" ;;
                esac
                if [[ -n "$line" ]]; then
                    echo "$line $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$OUT/raw.txt"
                else
                    say "  no result (see $OUT/stderr.log)"
                fi
            done
        done
    done
done

"$PY" - "$OUT/raw.txt" <<'PY' | tee "$OUT/table.md"
import statistics, sys
from collections import defaultdict
cells = defaultdict(list)
for line in open(sys.argv[1]):
    _, rt, w, c, ops, cpu, load = line.split()
    cells[(w, int(c), rt)].append((float(ops), float(cpu)))
print("| workload | conc | runtime | ops/s min | median | max | CPU µs/op (median) |")
print("|---|---:|---|---:|---:|---:|---:|")
for (w, c, rt), v in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
    ops = sorted(x[0] for x in v)
    print(f"| {w} | {c} | {rt} | {ops[0]:,.0f} | {statistics.median(ops):,.0f} | {ops[-1]:,.0f} | "
          f"{statistics.median(x[1] for x in v):.1f} |")
PY
