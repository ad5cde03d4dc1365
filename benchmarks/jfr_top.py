#!/usr/bin/python3
"""Where the time goes in a JFR recording: the hottest methods by CPU samples.

    jfr print --json --events jdk.ExecutionSample rec.jfr > samples.json
    jfr_top.py samples.json [--top N] [--lines]

Prints three tables from the jdk.ExecutionSample events: the methods on top of the stack (self time), the methods
anywhere on the stack (inclusive time, each counted once per sample), and the hottest top-of-stack lines when
--lines is given. Frames are named Class.method (class without its package prefix past the last dot).
"""

import collections
import json
import sys


def frame_name(frame, with_line=False):
    m = frame["method"]
    cls = m["type"]["name"].replace("/", ".")
    name = f"{cls}.{m['name']}"
    if with_line:
        name += f":{frame.get('lineNumber', '?')}"
    return name


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    top = 25
    if "--top" in sys.argv:
        top = int(sys.argv[sys.argv.index("--top") + 1])
        args = [a for a in args if a != str(top)]
    with open(args[0]) as f:
        data = json.load(f)
    events = data["recording"]["events"]
    selfc = collections.Counter()
    incl = collections.Counter()
    lines = collections.Counter()
    total = 0
    for e in events:
        st = e["values"].get("stackTrace")
        if not st or not st.get("frames"):
            continue
        frames = st["frames"]
        total += 1
        selfc[frame_name(frames[0])] += 1
        lines[frame_name(frames[0], True)] += 1
        for name in {frame_name(fr) for fr in frames}:
            incl[name] += 1
    print(f"{total} samples\n")
    print("| self % | method (top of stack) |\n|---:|---|")
    for name, c in selfc.most_common(top):
        print(f"| {100 * c / total:.1f} | `{name}` |")
    print("\n| inclusive % | method (anywhere on the stack) |\n|---:|---|")
    for name, c in incl.most_common(top):
        print(f"| {100 * c / total:.1f} | `{name}` |")
    if "--lines" in sys.argv:
        print("\n| self % | line (top of stack) |\n|---:|---|")
        for name, c in lines.most_common(top):
            print(f"| {100 * c / total:.1f} | `{name}` |")


if __name__ == "__main__":
    main()
