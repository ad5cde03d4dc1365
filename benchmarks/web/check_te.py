"""Checks one server's answers to TechEmpower's tests before web.sh measures it; exits non-zero, naming what was
wrong, on the first wrong answer.

    python3 check_te.py --base http://127.0.0.1:P --endpoints "plaintext json db queries fortunes updates" \
        --queries 20 --mariadb "mariadb --protocol=tcp -h127.0.0.1 -PD -uU -pW hello_world"
"""
import argparse
import html
import json
import re
import shlex
import subprocess
import sys
import urllib.request

EXTRA = "Additional fortune added at request time."
SCRIPT = '<script>alert("This should not be displayed in a browser alert box.");</script>'


class Wrong(Exception):
    pass


def get(base, path):
    with urllib.request.urlopen(base + path, timeout=30) as r:
        if r.status != 200:
            raise Wrong(f"{path}: status {r.status}")
        return r.headers.get("Content-Type", ""), r.read()


def expect(cond, what):
    if not cond:
        raise Wrong(what)


def world(path, w):
    expect(isinstance(w, dict) and set(w) == {"id", "randomNumber"}, f"{path}: not a World object: {w!r}")
    expect(isinstance(w["id"], int) and 1 <= w["id"] <= 10000, f"{path}: id out of 1..10000: {w!r}")
    expect(isinstance(w["randomNumber"], int) and 1 <= w["randomNumber"] <= 10000,
           f"{path}: randomNumber out of 1..10000: {w!r}")


def json_body(path, ctype, body):
    expect(ctype.startswith("application/json"), f"{path}: Content-Type {ctype!r}, not application/json")
    try:
        return json.loads(body)
    except ValueError:
        raise Wrong(f"{path}: not JSON: {body[:200]!r}")


def worlds(base, path, n):
    ws = json_body(path, *get(base, path))
    expect(isinstance(ws, list) and len(ws) == n, f"{path}: expected a list of {n} worlds, got {str(ws)[:200]}")
    for w in ws:
        world(path, w)
    return ws


def check(base, ep, queries, mariadb):
    if ep == "plaintext":
        ctype, body = get(base, "/plaintext")
        expect(ctype.startswith("text/plain"), f"/plaintext: Content-Type {ctype!r}")
        expect(body == b"Hello, World!", f"/plaintext: body {body[:100]!r}")
    elif ep == "json":
        expect(json_body("/json", *get(base, "/json")) == {"message": "Hello, World!"}, "/json: wrong object")
    elif ep == "db":
        world("/db", json_body("/db", *get(base, "/db")))
    elif ep == "queries":
        worlds(base, f"/queries?queries={queries}", queries)
        worlds(base, "/queries?queries=foo", 1)
        worlds(base, "/queries?queries=0", 1)
        worlds(base, "/queries?queries=501", 500)
        worlds(base, "/queries", 1)
    elif ep == "fortunes":
        ctype, body = get(base, "/fortunes")
        expect(ctype.startswith("text/html"), f"/fortunes: Content-Type {ctype!r}")
        page = body.decode("utf-8")
        expect(SCRIPT not in page and "<script>" not in page, "/fortunes: the <script> fortune is not escaped")
        rows = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td></tr>", page, re.S)
        messages = [html.unescape(m) for _, m in rows]
        expect(len(rows) == 13, f"/fortunes: {len(rows)} rows, not 13 (12 + the one added at request time)")
        expect(EXTRA in messages and dict(rows).get("0") is not None, "/fortunes: the added fortune is missing")
        expect(SCRIPT in messages, "/fortunes: the <script> fortune is missing")
        expect("フレームワークのベンチマーク" in messages, "/fortunes: the Japanese fortune is missing or mangled")
        expect(messages == sorted(messages), "/fortunes: not sorted by message")
        expect(page.lstrip().lower().startswith("<!doctype html>"), "/fortunes: not an HTML page")
    elif ep == "updates":
        ws = worlds(base, f"/updates?queries={queries}", queries)
        worlds(base, "/updates?queries=foo", 1)
        if mariadb:
            first = {}
            for w in ws:
                first.setdefault(w["id"], w["randomNumber"])
            sql = "SELECT id, randomNumber FROM World WHERE id IN (%s)" % ",".join(str(i) for i in first)
            out = subprocess.run(shlex.split(mariadb) + ["-N", "-B", "-e", sql], capture_output=True, text=True,
                                 timeout=30)
            expect(out.returncode == 0, f"/updates: could not read World back: {out.stderr.strip()}")
            stored = {int(a): int(b) for a, b in (line.split() for line in out.stdout.splitlines())}
            expect(stored == first, f"/updates: the database does not hold the numbers answered "
                                    f"(answered {first}, stored {stored})")
    else:
        raise Wrong(f"unknown endpoint {ep}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--endpoints", required=True)
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--mariadb", default="")
    a = ap.parse_args()
    for ep in a.endpoints.split():
        try:
            check(a.base, ep, a.queries, a.mariadb)
        except Wrong as e:
            print(f"WRONG ANSWER: {e}", file=sys.stderr)
            sys.exit(1)
        except Exception as e:  # noqa: BLE001 (a refused connection, a timeout, an HTTP error status)
            print(f"WRONG ANSWER: {ep}: {type(e).__name__}: {e}", file=sys.stderr)
            sys.exit(1)
        print(f"ok {ep}", file=sys.stderr)


if __name__ == "__main__":
    main()
