#!/usr/bin/python3
"""Turns the raw result lines of benchmarks/echo.sh into markdown tables, one per message size.

    summarize_echo.py results/echo-<stamp>/raw.jsonl

Each input line is one run: the JSON object the load client printed after "BENCH " (runtime, workload "echo-<size>",
count, value in req/s, unit, extra), with the load average and the run number that echo.sh put in front, or
{"runtime", "workload", "error"} for a run that failed. Per size and runtime it prints min / median / max of the
requests/s and of the server's user CPU time per request, the medians of the other figures, and each median
divided by the reference's: Spindle's when Spindle ran, Go's with GOMAXPROCS=1 otherwise. When Spindle ran, it
also checks the issue's targets: user CPU per request at most Go's and at most Netty epoll's, req/s at least Go's.
"""

import json
import statistics
import sys

ORDER = ["spindle", "spindle-bytes", "spindle-jdkpoller", "spindle-netty", "asyncio-streams", "asyncio-protocol",
         "uvloop-streams", "uvloop-protocol", "go-p1", "go", "netty-nio", "netty-epoll"]

LABELS = {
    "spindle": "Spindle, one loop",
    "spindle-bytes": "Spindle, one loop, byte[] handler",
    "spindle-jdkpoller": "Spindle, one loop, jdk-poller backend (blocking JDK channels)",
    "spindle-netty": "Spindle, one loop, spindle-netty backend (native epoll)",
    "asyncio-streams": "CPython asyncio, streams",
    "asyncio-protocol": "CPython asyncio, protocol",
    "uvloop-streams": "uvloop, streams",
    "uvloop-protocol": "uvloop, protocol",
    "go-p1": "Go, GOMAXPROCS=1",
    "go": "Go, GOMAXPROCS unset, server not pinned ¹",
    "netty-nio": "Netty NIO, one loop thread",
    "netty-epoll": "Netty epoll, one loop thread",
}


def label(rt):
    return LABELS.get(rt, rt)


def median_of(runs, key):
    xs = [r["extra"][key] for r in runs if isinstance(r["extra"].get(key), (int, float))]
    return statistics.median(xs) if xs else None


def fmt(v, spec):
    return "–" if v is None else format(v, spec)


def ratio(v, ref):
    return "–" if v is None or not ref else f"{v / ref:.2f}"


def main(path):
    runs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                runs.append(json.loads(line))

    sizes = sorted({int(r["workload"].split("-", 1)[1]) for r in runs if r.get("workload", "").startswith("echo-")})
    out = []
    verdicts = []
    have_spindle = any(r.get("runtime") == "spindle" and "error" not in r for r in runs)
    ref = "spindle" if have_spindle else "go-p1"
    for size in sizes:
        wl = [r for r in runs if r.get("workload") == f"echo-{size}"]
        rts = sorted({r["runtime"] for r in wl}, key=lambda rt: (ORDER.index(rt) if rt in ORDER else 99, rt))
        ok = {rt: [r for r in wl if r["runtime"] == rt and "error" not in r] for rt in rts}
        failed = {rt: [r for r in wl if r["runtime"] == rt and "error" in r] for rt in rts}
        med_rps = {rt: statistics.median(r["value"] for r in ok[rt]) if ok[rt] else None for rt in rts}
        med_user = {rt: median_of(ok[rt], "server_user_cpu_us_per_req") for rt in rts}

        good = [r for r in wl if "error" not in r]
        conns = sorted({r["extra"]["connections"] for r in good})
        secs = [r["extra"]["seconds"] for r in good]
        loads = [r["load1"] for r in wl if isinstance(r.get("load1"), (int, float))]
        size_txt = f"{size // 1024} KiB" if size % 1024 == 0 else f"{size} B"
        out.append(f"### echo, {size_txt} messages\n")
        out.append(f"{', '.join(map(str, conns))} connections, one message in flight on each; measured windows of "
                   f"{min(secs):.1f}–{max(secs):.1f} s after a warm-up; MiB/s counts the bytes echoed back (one "
                   f"direction); CPU times are the server process's (all its threads), from /proc, over the "
                   f"measured window" + (f"; 1-minute load average at the start of the runs: "
                                         f"{min(loads):.2f}–{max(loads):.2f}" if loads else "") + ".\n"
                   if good else "No successful run.\n")
        ref_txt = label(ref) + "'s"
        head = ["runtime", "runs", "req/s min", "median", "max", "MiB/s", "server user µs/req min", "median", "max",
                "sys µs/req", "server CPU, % of a core", "p99 latency, µs", f"req/s ÷ {ref_txt}",
                f"user µs/req ÷ {ref_txt}"]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
        for rt in rts:
            rs = ok[rt]
            n_fail = len(failed[rt])
            errs = sum(r["extra"].get("errors", 0) for r in rs)
            runs_txt = f"{len(rs)}" + (f" (+{n_fail} failed: {failed[rt][0]['error']})" if n_fail else "")
            if errs:
                runs_txt += f" ({errs} connection errors)"
            rps = sorted(r["value"] for r in rs)
            user = sorted(r["extra"]["server_user_cpu_us_per_req"] for r in rs
                          if isinstance(r["extra"].get("server_user_cpu_us_per_req"), (int, float)))
            util = median_of(rs, "server_cpu_util")
            row = [label(rt), runs_txt,
                   fmt(rps[0] if rps else None, ",.0f"), fmt(med_rps[rt], ",.0f"), fmt(rps[-1] if rps else None, ",.0f"),
                   fmt(median_of(rs, "mib_per_s"), ",.0f"),
                   fmt(user[0] if user else None, ".2f"), fmt(med_user[rt], ".2f"), fmt(user[-1] if user else None, ".2f"),
                   fmt(median_of(rs, "server_sys_cpu_us_per_req"), ".2f"),
                   fmt(None if util is None else util * 100, ".0f"),
                   fmt(median_of(rs, "p99_us"), ",.0f"),
                   "1" if rt == ref else ratio(med_rps[rt], med_rps.get(ref)),
                   "1" if rt == ref else ratio(med_user[rt], med_user.get(ref))]
            out.append("| " + " | ".join(row) + " |")
        out.append("")

        if have_spindle and med_user.get("spindle") is not None:
            su, sr = med_user["spindle"], med_rps["spindle"]
            checks = []
            for peer, what in (("go-p1", "Go's (GOMAXPROCS=1)"), ("netty-epoll", "Netty epoll's")):
                if med_user.get(peer) is not None:
                    checks.append((f"user CPU/req ≤ {what}", su <= med_user[peer], f"{su:.2f} vs {med_user[peer]:.2f} µs"))
            if med_rps.get("go-p1") is not None:
                checks.append(("req/s ≥ Go's (GOMAXPROCS=1)", sr >= med_rps["go-p1"],
                               f"{sr:,.0f} vs {med_rps['go-p1']:,.0f}"))
            for what, met, figures in checks:
                verdicts.append((size_txt, what, figures, met))

    if verdicts:
        out.append("### Spindle against the targets (medians)\n")
        out.append("| size | target | Spindle vs peer | verdict |")
        out.append("|---|---|---:|---|")
        for size_txt, what, figures, met in verdicts:
            out.append(f"| {size_txt} | {what} | {figures} | {'met' if met else '**missed**'} |")
        out.append("")
    if any(r.get("runtime") == "go" for r in runs):
        out.append("¹ With the server pinned to one core, Go's default GOMAXPROCS would be 1 (it follows the CPU "
                   "affinity), the same as the row above; unpinned, it is the machine's core count, and the server "
                   "shares the client's core.\n")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    main(sys.argv[1])
