#!/usr/bin/env python3
"""observe.sh's helper. Run mode: runs one command, prints '<value> <unit> <cpu_seconds>' from its BENCH line and the
CPU its process tree used (user + system). Summary mode (--summarize raw.tsv): a markdown table per workload."""
import json
import resource
import statistics
import subprocess
import sys


def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"measure.py: {cmd[0]} failed with {p.returncode}")
    bench = [l for l in p.stdout.splitlines() if l.startswith("BENCH ")]
    if not bench:
        sys.exit("measure.py: no BENCH line in:\n" + p.stdout)
    r = json.loads(bench[-1][6:])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"{r['value']} {r['unit']} {cpu:.2f}")


def summarize(path):
    rows = {}
    order = []
    loads = []
    for line in open(path):
        cfg, workload, _run, load, result = line.rstrip("\n").split("\t")
        value, unit, cpu = result.split(" ")
        key = (workload, cfg)
        if key not in rows:
            rows[key] = ([], [], unit)
            order.append(key)
        rows[key][0].append(float(value))
        rows[key][1].append(float(cpu))
        loads.append(float(load))
    print(f"load average at the start of the runs: {min(loads):.2f} to {max(loads):.2f}\n")
    for workload in dict.fromkeys(w for w, _ in order):
        unit = next(rows[k][2] for k in order if k[0] == workload)
        lower_better = not unit.endswith("/s")
        print(f"### {workload} ({unit}, {'lower' if lower_better else 'higher'} is better)\n")
        print("| configuration | runs | min | median | max | CPU s/run (median) | median vs off |")
        print("|---|---|---|---|---|---|---|")
        off = statistics.median(rows[(workload, "off")][0]) if (workload, "off") in rows else None
        for w, cfg in order:
            if w != workload:
                continue
            vals, cpus, _ = rows[(w, cfg)]
            med = statistics.median(vals)
            rel = ""
            if off:
                change = (med / off - 1) if lower_better else (off / med - 1)
                rel = f"{change * 100:+.1f}% cost"
            print(f"| {cfg} | {len(vals)} | {min(vals):.4g} | {med:.4g} | {max(vals):.4g} | "
                  f"{statistics.median(cpus):.2f} | {rel} |")
        print()


if __name__ == "__main__":
    if sys.argv[1] == "--summarize":
        summarize(sys.argv[2])
    else:
        run(sys.argv[1:])
