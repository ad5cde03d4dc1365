#!/usr/bin/env bash
# The Redis benchmark (issue 12): GET and SET of 100-byte values with 1, 50 and 500 concurrent clients, pipelined
# (depth 16) and not, for redis-benchmark (the C reference), Spindle (multiplexed, and pooled), Lettuce (async,
# commands pipelined on one connection), Jedis on virtual threads, and redis-py asyncio, side by side in one run.
# Each cell runs RUNS times (default 3); the summary gives min/median/max of ops/s, the median p50/p99 latency of a
# request, and CPU per operation of the client process.
#
#   benchmarks/redis/run.sh                 # everything
#   OPS=20000 RUNS=1 CONC="1 50" OPERATIONS=get benchmarks/redis/run.sh   # a quick look
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
say() { echo "[redis-bench] $*" >&2; }
source "$root/benchmarks/prereqs.sh"

OPS="${OPS:-200000}"
RUNS="${RUNS:-3}"
CONC="${CONC:-1 50 500}"
DEPTHS="${DEPTHS:-1 16}"
OPERATIONS="${OPERATIONS:-get set}"
CLIENTS="${CLIENTS:-redis-benchmark spindle spindle-pooled lettuce jedis redis-py}"
out="${OUT:-$here/target/results.jsonl}"
mkdir -p "$here/target"
: > "$out"

for bin in redis-server redis-benchmark; do
    command -v "$bin" >/dev/null || { say "MISSING: $bin (apt-get install -y redis-server redis-tools)"; exit 1; }
done
"$PY" -c 'import redis.asyncio' 2>/dev/null || say "MISSING: python3-redis (apt-get install -y python3-redis); redis-py rows skipped"

say "building the benchmarks module and its class path"
(cd "$root" && ./mvnw -q -B -pl benchmarks -am package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -DskipTests -DskipTestDeps -Dspotless.check.skip=true >&2)
cp="$(cat "$root/benchmarks/target/classpath.txt")"
"$JDK/bin/javac" -d "$here/target/classes" -cp "$cp" "$here/RedisBench.java"
cp="$here/target/classes:$cp"

port="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
dir="$(mktemp -d)"
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize no >"$dir/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
say "redis-server $(redis-server --version | awk '{print $3}') on port $port; $OPS operations per cell, $RUNS runs"

jvm=("$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -Xss1m -cp "$cp")

for op in $OPERATIONS; do
  for c in $CONC; do
    for depth in $DEPTHS; do
      for client in $CLIENTS; do
        for run in $(seq "$RUNS"); do
          wait_quiet
          case "$client" in
            redis-benchmark)
              t0=$(date +%s%N)
              csv="$( { /usr/bin/time -f '%U %S' redis-benchmark -p "$port" -t "$op" -d 100 -c "$c" -n "$OPS" \
                      -P "$depth" -r 1000 --csv -q; } 2>"$dir/time" )"
              line="$(echo "$csv" | grep -i "\"$op\"" | head -1)"
              cpu="$(tail -1 "$dir/time")"
              "$PY" - "$op" "$c" "$depth" "$OPS" "$line" "$cpu" >>"$out" <<'PYEOF'
import json, sys
op, c, depth, ops, line, cpu = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6]
f = [x.strip('"') for x in line.split(",")]
# "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
u, s = (float(x) for x in cpu.split())
print(json.dumps({"client": "redis-benchmark", "op": op, "c": c, "P": depth, "ops_s": float(f[1]),
                  "p50_us": float(f[4]) * 1e3, "p99_us": float(f[6]) * 1e3, "cpu_us_per_op": (u + s) * 1e6 / ops}))
PYEOF
              ;;
            redis-py)
              "$PY" -c 'import redis.asyncio' 2>/dev/null || continue
              # redis-py is ~10x slower: a tenth of the operations keeps the cell's time comparable
              "$PY" "$here/redis_py_bench.py" "$op" "$c" "$depth" "$((OPS / 10))" "$port" >>"$out"
              ;;
            *)
              "${jvm[@]}" RedisBench "$client" "$op" "$c" "$depth" "$OPS" "$port" 2>"$dir/err" | grep '^{' >>"$out" \
                  || { say "$client $op c=$c P=$depth failed:"; tail -5 "$dir/err" >&2; }
              ;;
          esac
        done
      done
      say "$op c=$c P=$depth done"
    done
  done
done

"$PY" "$here/summarize.py" "$out"
