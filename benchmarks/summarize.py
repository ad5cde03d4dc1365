#!/usr/bin/python3
"""Turns the raw result lines of benchmarks/run.sh into markdown tables.

    summarize.py results/<stamp>/raw.jsonl

Each input line is one run: the JSON object a benchmark main printed after "BENCH " (runtime, workload, count,
value, unit, extra), or {"runtime", "workload", "error"} for a run that failed or timed out. Per workload it prints
min / median / max of the value per runtime, the ratio of Spindle's median to each peer's median, the medians of a
few secondary figures, and the issue's target for that workload, met or missed.
"""

import json
import statistics
import sys

ORDER = ["spindle", "spindle-generator-thread", "spindle-tuned", "jdk-vt", "jdk-vt-queue", "asyncio", "uvloop", "go-p1", "go-p2", "go-p4", "go-p8",
         "asyncio+tracemalloc", "uvloop+tracemalloc"]

LABELS = {
    "spindle": "Spindle (JDK 25)",
    "spindle-tuned": "Spindle, tuned JVM flags ¹",
    "spindle-generator-thread": "Spindle Generator on a plain thread",
    "jdk-vt": "JDK virtual threads, default scheduler",
    "jdk-vt-queue": "JDK virtual threads, SynchronousQueue",
    "asyncio": "CPython asyncio",
    "uvloop": "CPython + uvloop",
    "go-p1": "Go, GOMAXPROCS=1",
    "asyncio+tracemalloc": "CPython asyncio, tracemalloc on",
    "uvloop+tracemalloc": "CPython + uvloop, tracemalloc on",
}

WORKLOADS = [
    # name, title, lower_is_better, secondary extras (key, header, format)
    ("switch", "switch: one value handed back and forth (ns per handoff)", True, []),
    ("spawn", "spawn: trivial tasks spawned, then each awaited (tasks/s)", False, []),
    ("memory", "memory: coroutines parked in a 1-hour sleep (bytes per coroutine)", True, [
        ("__specific", "runtime's own count, B/coroutine", "{:,.0f}"),
        ("start_s", "start all, s", "{:.2f}"),
        ("cancel_s", "cancel all, s", "{:.2f}"),
    ]),
    ("timers", "timers: callLater with delays uniform in 0..1 s (timers scheduled and fired per s of wall time)",
     False, [
         ("schedule_s", "scheduling, s", "{:.3f}"),
         ("wall_s", "wall, s", "{:.3f}"),
         ("cpu_s", "process CPU, s", "{:.3f}"),
         ("timers_per_cpu_s", "timers per CPU-s", "{:,.0f}"),
     ]),
    ("queue", "queue: one producer, one consumer, bounded queue of 100 (put/get pairs per s)", False, [
        ("ns_per_pair", "ns per pair", "{:,.0f}"),
    ]),
    ("generator", "generator: a synchronous generator's items pulled one at a time (items/s)", False, [
        ("ns_per_item", "ns per item", "{:,.0f}"),
    ]),
    ("agen", "agen: an async generator's items pulled one at a time by a coroutine (items/s)", False, [
        ("ns_per_item", "ns per item", "{:,.0f}"),
    ]),
    ("lock", "lock: 100 coroutines share one lock, each holding it across a yield (acquire/release per s)", False, [
        ("ns_per_acquire", "ns per acquire", "{:,.0f}"),
    ]),
]

# The targets for Spindle: (bound, "max" or "min", unit text).
TARGETS = {
    "switch": (200.0, "max", "ns/switch"),
    "spawn": (1_500_000.0, "min", "tasks/s"),
    "memory": (1024.0, "max", "B/coroutine"),
    "timers": (1_000_000.0, "min", "timers/s"),
}

SPECIFIC_KEYS = [
    ("heap_b_per_coroutine", "JVM heap after GC"),
    ("heap_stack_b_per_goroutine", "Go HeapInuse+StackInuse"),
    ("tracemalloc_b_per_coroutine", "tracemalloc"),
]


def label(rt):
    if rt in LABELS:
        return LABELS[rt]
    if rt.startswith("go-p"):
        return f"Go, GOMAXPROCS={rt[4:]} (default)"
    return rt


def fmt_value(v, unit):
    if v is None:
        return "–"
    if unit.startswith("ns"):
        return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"
    return f"{v:,.0f}"


def specific(extra):
    for key, what in SPECIFIC_KEYS:
        if key in extra and isinstance(extra[key], (int, float)):
            return extra[key], what
    return None, None


def main(path):
    runs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                runs.append(json.loads(line))

    out = []
    headline = []
    for name, title, lower_better, extras in WORKLOADS:
        wl = [r for r in runs if r.get("workload") == name]
        if not wl:
            continue
        rts = sorted({r["runtime"] for r in wl}, key=lambda rt: (ORDER.index(rt) if rt in ORDER else 99, rt))
        ok = {rt: [r for r in wl if r["runtime"] == rt and "error" not in r] for rt in rts}
        failed = {rt: [r for r in wl if r["runtime"] == rt and "error" in r] for rt in rts}
        unit = next((r["unit"] for r in wl if "unit" in r), "")
        med = {rt: statistics.median(r["value"] for r in ok[rt]) if ok[rt] else None for rt in rts}
        sp = med.get("spindle")

        out.append(f"### {title}\n")
        counts = sorted({r["count"] for r in wl if "count" in r and not r["runtime"].endswith("+tracemalloc")})
        tm_counts = sorted({r["count"] for r in wl if "count" in r and r["runtime"].endswith("+tracemalloc")})
        loads = [r["load1"] for r in wl if isinstance(r.get("load1"), (int, float))]
        load_txt = f"; 1-minute load average at the start of the runs: {min(loads):.2f}–{max(loads):.2f}" if loads else ""
        tm_txt = f" (tracemalloc rows: {', '.join(f'{c:,}' for c in tm_counts)})" if tm_counts else ""
        out.append(f"Count: {', '.join(f'{c:,}' for c in counts)}{tm_txt}; unit: {unit}; "
                   f"{'lower' if lower_better else 'higher'} is better{load_txt}.\n")
        head = ["runtime", "runs", "min", "median", "max", "Spindle median / this median"]
        head += [h for _, h, _ in extras]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
        for rt in rts:
            vals = sorted(r["value"] for r in ok[rt])
            n_ok, n_fail = len(vals), len(failed[rt])
            runs_txt = f"{n_ok}" + (f" (+{n_fail} failed: {failed[rt][0]['error']})" if n_fail else "")
            if vals:
                row = [label(rt), runs_txt, fmt_value(vals[0], unit), fmt_value(med[rt], unit),
                       fmt_value(vals[-1], unit)]
            else:
                row = [label(rt), runs_txt, "–", "–", "–"]
            if rt == "spindle" or sp is None or med[rt] is None or rt.endswith("+tracemalloc"):
                row.append("–" if rt != "spindle" else "1")
            else:
                ratio = sp / med[rt]
                better = ratio < 1 if lower_better else ratio > 1
                factor = (1 / ratio if lower_better else ratio) if better else (ratio if lower_better else 1 / ratio)
                row.append(f"{ratio:.2f} (Spindle {factor:.1f}× {'better' if better else 'worse'})")
            for key, _, f in extras:
                if key == "__specific":
                    xs = [specific(r["extra"]) for r in ok[rt]]
                    xs = [(v, w) for v, w in xs if v is not None]
                    row.append(f"{f.format(statistics.median(v for v, _ in xs))} ({xs[0][1]})" if xs else "–")
                else:
                    xs = [r["extra"][key] for r in ok[rt] if isinstance(r["extra"].get(key), (int, float))]
                    row.append(f.format(statistics.median(xs)) if xs else "–")
            out.append("| " + " | ".join(row) + " |")
        out.append("")

        if name not in TARGETS:  # the toolkit's workloads have peers but no target figure
            continue
        bound, kind, tunit = TARGETS[name]
        if sp is not None:
            met = sp <= bound if kind == "max" else sp >= bound
            if met:
                verdict = "met"
            elif kind == "max":
                verdict = f"missed: {sp / bound:.2f}× the bound ({sp - bound:+,.0f} {tunit})"
            else:
                verdict = f"missed: {sp / bound:.0%} of the bound ({sp - bound:+,.0f} {tunit})"
            line = (f"Target: {'at most' if kind == 'max' else 'at least'} {bound:,.0f} {tunit}; "
                    f"Spindle's median {fmt_value(sp, unit)}: **{verdict}**.")
            if name == "memory":
                xs = [specific(r["extra"])[0] for r in ok["spindle"]]
                xs = [x for x in xs if x is not None]
                if xs:
                    h = statistics.median(xs)
                    line += (f" By the JVM heap count ({h:,.0f} B): "
                             f"{'met' if h <= bound else f'missed, {h / bound:.2f}× the bound'}.")
            if name == "timers":
                sp_runs = ok["spindle"]
                if sp_runs:
                    c = sp_runs[0]["count"]
                    d = sp_runs[0]["extra"].get("max_delay_s", 1.0)
                    line += (f" Note that the wall time can never be below the longest delay ({d:g} s), so this "
                             f"workload cannot exceed {c / d:,.0f} timers/s at this count, whatever the runtime.")
            out.append(line + "\n")
            headline.append((name, unit, sp, bound, kind, verdict))

    if headline:
        out.append("### Spindle against the targets\n")
        out.append("| workload | Spindle median | target | verdict |")
        out.append("|---|---:|---:|---|")
        for name, unit, sp, bound, kind, verdict in headline:
            out.append(f"| {name} | {fmt_value(sp, unit)} {unit} | {'≤' if kind == 'max' else '≥'} "
                       f"{bound:,.0f} | {verdict} |")
        out.append("")
    if any(r.get("runtime") == "spindle-tuned" for r in runs):
        flags = "see machine.txt"
        try:
            import os
            with open(os.path.join(os.path.dirname(os.path.abspath(path)), "machine.txt")) as f:
                for line in f:
                    if line.startswith("spindle-tuned adds:"):
                        flags = "`" + line.split(":", 1)[1].strip() + "`"
        except OSError:
            pass
        out.append(f"¹ The same Spindle code and JVM, plus {flags}: no JDK-wide registry of every virtual thread, "
                   "and a smaller per-thread ScopedValue cache.\n")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
