"""Summarizes benchmarks/redis/run.sh's results.jsonl as a Markdown table (min/median/max ops/s of the runs)."""
import collections
import json
import statistics
import sys

rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("{"):
        r = json.loads(line)
        rows[(r["op"], r["c"], r["P"], r["client"])].append(r)

print("| op | conc. | pipeline | client | ops/s min / median / max | p50 µs | p99 µs | CPU µs/op |")
print("|---|---|---|---|---|---|---|---|")
for (op, c, p, client), rs in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
    ops = sorted(r["ops_s"] for r in rs)
    med = statistics.median
    print(f"| {op.upper()} | {c} | {p} | {client} | {ops[0]:,.0f} / {med(ops):,.0f} / {ops[-1]:,.0f} "
          f"| {med(r['p50_us'] for r in rs):.0f} | {med(r['p99_us'] for r in rs):.0f} "
          f"| {med(r['cpu_us_per_op'] for r in rs):.1f} |")
