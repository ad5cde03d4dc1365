"""Markdown tables from web.sh's raw.jsonl: per endpoint and connection count, each runtime's req/s, p50/p99 latency,
server CPU per request (user+system, all threads), MariaDB's CPU per request, and its ratios to FastAPI and Vert.x
(req/s: throughput over the peer's; per core: the peer's CPU per request over this one's), as median (min-max) of the
runs; then spindle-web's own cost per request over the bare spindle-http handler."""
import json
import statistics
import sys
from collections import defaultdict

ORDER = ["/plaintext", "/json", "/db", "/queries", "/fortunes", "/updates"]


def fmt(xs, f):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return "-"
    med = statistics.median(xs)
    if len(xs) == 1:
        return f(med)
    return f"{f(med)} ({f(xs[0])}-{f(xs[-1])})"


def med(rs, key):
    xs = [r[key] for r in rs if r.get(key) is not None]
    return statistics.median(xs) if xs else None


def ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "-"


def main(path):
    load = defaultdict(list)
    failed = []
    order = []
    for line in open(path):
        r = json.loads(line)
        if r["runtime"] not in order:
            order.append(r["runtime"])
        if "error" in r:
            failed.append(r)
        else:
            load[(r["endpoint"], r["connections"])].append(r)
    cells = sorted(load.items(), key=lambda kv: (ORDER.index("/" + kv[0][0]) if "/" + kv[0][0] in ORDER else 99,
                                                 kv[0][1]))
    overhead = []
    for (ep, conns), rows in cells:
        print(f"\n### /{ep}, {conns} connections\n")
        print("| runtime | req/s | p50 ms | p99 ms | server CPU µs/req | MariaDB CPU µs/req "
              "| vs FastAPI req/s | per core | vs Vert.x req/s | per core | errors |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        by_rt = defaultdict(list)
        for r in rows:
            by_rt[r["runtime"]].append(r)
        peers = {p: (med(by_rt.get(p, []), "rps"), med(by_rt.get(p, []), "server_cpu_us_per_req"))
                 for p in ("fastapi", "vertx")}
        for rt in order:
            rs = by_rt.get(rt)
            if not rs:
                continue
            rps, cpu = med(rs, "rps"), med(rs, "server_cpu_us_per_req")
            vs = []
            for p in ("fastapi", "vertx"):
                p_rps, p_cpu = peers[p]
                vs += [ratio(rps, p_rps), ratio(p_cpu, cpu)]
            pin = "" if rs[0].get("pinned") else " (unpinned)"
            print(f"| {rt}{pin} | {fmt([r['rps'] for r in rs], lambda v: f'{v:,.0f}')} "
                  f"| {fmt([r.get('p50_ms') for r in rs], lambda v: f'{v:.2f}')} "
                  f"| {fmt([r.get('p99_ms') for r in rs], lambda v: f'{v:.2f}')} "
                  f"| {fmt([r.get('server_cpu_us_per_req') for r in rs], lambda v: f'{v:.1f}')} "
                  f"| {fmt([r.get('db_cpu_us_per_req') for r in rs], lambda v: f'{v:.1f}')} "
                  f"| {' | '.join(vs)} | {sum(r['errors'] for r in rs)} |")
        web, bare = by_rt.get("spindle"), by_rt.get("spindle-http")
        if web and bare:
            overhead.append((ep, conns, med(web, "server_cpu_us_per_req"), med(bare, "server_cpu_us_per_req")))
    if overhead:
        print("\n### spindle-web's own cost per request over the bare spindle-http handler (target: under 20%)\n")
        print("| endpoint | connections | spindle-http CPU µs/req | spindle-web CPU µs/req | framework cost |")
        print("|---|---:|---:|---:|---:|")
        for ep, conns, web, bare in overhead:
            print(f"| /{ep} | {conns} | {bare:.2f} | {web:.2f} | {(web - bare) / bare * 100:+.0f}% |")
    if failed:
        print("\nFailed runs: " + ", ".join(f"{r['runtime']} {r['endpoint']} ({r['error']})" for r in failed))


if __name__ == "__main__":
    main(sys.argv[1])
