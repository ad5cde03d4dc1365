#!/usr/bin/env bash
# Prints the resident set size, in KiB, of process $1 and all its descendants (uvicorn workers included).
tree() { echo "$1"; for c in $(pgrep -P "$1" 2>/dev/null); do tree "$c"; done; }
total=0
for p in $(tree "$1"); do
    v="$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null)"
    total=$((total + ${v:-0}))
done
echo "$total"
