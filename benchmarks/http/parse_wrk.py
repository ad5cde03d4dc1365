"""Turns wrk's --latency output (stdin) into one JSON line for http.sh's raw results."""
import argparse
import json
import re
import sys

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def millis(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * UNITS[m.group(2)] if m else None


def main():
    ap = argparse.ArgumentParser()
    for name in ("runtime", "endpoint"):
        ap.add_argument("--" + name, required=True)
    for name in ("connections", "pipeline", "run", "pinned"):
        ap.add_argument("--" + name, type=int, required=True)
    for name in ("load", "cpu-seconds", "wall-seconds"):
        ap.add_argument("--" + name, type=float, required=True)
    ap.add_argument("--sys-seconds", type=float, help="the kernel's share of --cpu-seconds")
    a = ap.parse_args()
    out = sys.stdin.read()
    rec = {"runtime": a.runtime, "endpoint": a.endpoint, "connections": a.connections, "pipeline": a.pipeline,
           "run": a.run, "load1": a.load, "pinned": bool(a.pinned)}
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if not m or not rps:
        rec["error"] = "no result from wrk"
        print(json.dumps(rec))
        return
    requests = int(m.group(1))
    rec["requests"] = requests
    rec["rps"] = float(rps.group(1))
    for pct in ("50", "90", "99"):
        p = re.search(r"^\s+%s%%\s+(\S+)" % pct, out, re.M)
        if p:
            rec["p%s_ms" % pct] = millis(p.group(1))
    errors = 0
    se = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if se:
        errors += sum(int(x) for x in se.groups())
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        errors += int(non2xx.group(1))
    rec["errors"] = errors
    rec["server_cpu_s"] = a.cpu_seconds
    rec["window_s"] = a.wall_seconds
    rec["server_cpu_us_per_req"] = a.cpu_seconds * 1e6 / requests if requests else None
    if a.sys_seconds is not None and requests:
        rec["server_sys_us_per_req"] = a.sys_seconds * 1e6 / requests
    print(json.dumps(rec))


if __name__ == "__main__":
    main()
