"""Markdown tables from http.sh's raw.jsonl: per endpoint, connections and pipeline depth, each runtime's req/s,
p50/p99 latency and server CPU per request (user+system, all threads) as median (min-max) of the runs; then the
RSS per idle keep-alive connection."""
import json
import statistics
import sys
from collections import defaultdict


def fmt(xs, f):
    if not xs:
        return "-"
    xs = sorted(xs)
    med = statistics.median(xs)
    if len(xs) == 1:
        return f(med)
    return f"{f(med)} ({f(xs[0])}-{f(xs[-1])})"


def kernel(rs):
    """The median of the server's system (kernel) CPU per request, or '-' for results recorded without it."""
    sys_us = [r["server_sys_us_per_req"] for r in rs if r.get("server_sys_us_per_req") is not None]
    return f"{statistics.median(sys_us):.2f}" if sys_us else "-"


def main(path):
    load = defaultdict(list)
    idle = defaultdict(list)
    failed = []
    order = []
    for line in open(path):
        r = json.loads(line)
        if r["runtime"] not in order:
            order.append(r["runtime"])
        if "error" in r:
            failed.append(r)
        elif "idle" in r:
            idle[r["runtime"]].append(r)
        else:
            load[(r["endpoint"], r["connections"], r["pipeline"])].append(r)
    for (ep, conns, depth), rows in sorted(load.items()):
        print(f"\n### /{ep}, {conns} connections, {'pipelined x' + str(depth) if depth > 1 else 'not pipelined'}\n")
        print("| runtime | req/s | p50 ms | p99 ms | server CPU µs/req | of which kernel | CPU vs spindle | errors |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        by_rt = defaultdict(list)
        for r in rows:
            by_rt[r["runtime"]].append(r)
        base = by_rt.get("spindle")
        base_cpu = statistics.median([r["server_cpu_us_per_req"] for r in base]) if base else None
        for rt in order:
            rs = by_rt.get(rt)
            if not rs:
                continue
            cpu = [r["server_cpu_us_per_req"] for r in rs]
            ratio = f"{statistics.median(cpu) / base_cpu:.2f}x" if base_cpu else "-"
            pin = "" if rs[0].get("pinned") else " (unpinned)"
            print(f"| {rt}{pin} | {fmt([r['rps'] for r in rs], lambda v: f'{v:,.0f}')} "
                  f"| {fmt([r.get('p50_ms') for r in rs if r.get('p50_ms') is not None], lambda v: f'{v:.2f}')} "
                  f"| {fmt([r.get('p99_ms') for r in rs if r.get('p99_ms') is not None], lambda v: f'{v:.2f}')} "
                  f"| {fmt(cpu, lambda v: f'{v:.2f}')} | {kernel(rs)} | {ratio} | {sum(r['errors'] for r in rs)} |")
    if idle:
        print("\n### Memory per idle keep-alive connection (RSS held with N idle connections, minus RSS before)\n")
        print("| runtime | idle connections | RSS before MiB | bytes per idle connection |")
        print("|---|---:|---:|---:|")
        for rt in order:
            rs = idle.get(rt)
            if not rs:
                continue
            per = [(r["rss_held_kib"] - r["rss_before_kib"]) * 1024 / r["idle"] for r in rs]
            print(f"| {rt} | {rs[0]['idle']:,} | {fmt([r['rss_before_kib'] / 1024 for r in rs], lambda v: f'{v:.0f}')} "
                  f"| {fmt(per, lambda v: f'{v:,.0f}')} |")
    if failed:
        print("\nFailed runs: " + ", ".join(f"{r['runtime']} {r.get('endpoint', 'idle')} ({r['error']})" for r in failed))


if __name__ == "__main__":
    main(sys.argv[1])
