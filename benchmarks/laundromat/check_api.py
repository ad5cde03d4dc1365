"""Checks one laundromat service's answers (benchmarks/laundromat/run.sh runs it against each runtime before measuring
and compares the outputs): one line per step with the status code, the JSON keys and the values that must agree
(states, token type, counts). Standard library only; 127.0.0.1 only.

    python3 check_api.py http://127.0.0.1:PORT MACHINES
"""
import json
import re
import sys
import urllib.error
import urllib.request
from urllib.parse import urlparse


# a LocalDateTime as Jackson writes it: ISO-8601 without a zone, the fraction without trailing zeros
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?$")


def call(base, method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token is not None:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        text = e.read()
        try:
            value = json.loads(text) if text else None
        except ValueError:
            value = text.decode(errors="replace")
        return e.code, dict(e.headers), value


def shape(value):
    if isinstance(value, dict):
        return "{" + ",".join(sorted(value)) + "}"
    if isinstance(value, list):
        return "[" + (shape(value[0]) if value else "") + "]x" + str(len(value))
    return type(value).__name__


def main():
    base, machines = sys.argv[1].rstrip("/"), int(sys.argv[2])
    if urlparse(base).hostname not in ("127.0.0.1", "localhost"):
        sys.exit("check_api.py talks to 127.0.0.1 or localhost only")
    lines = []

    def step(name, status, value, *extra):
        words = [name, str(status), shape(value)] + [str(x) for x in extra]
        detail = value.get("detail") if isinstance(value, dict) else None
        if isinstance(detail, str):
            words.append(repr(detail))  # the error's message
        elif isinstance(detail, list):  # a 422: where each violation is
            words.append(str(sorted(tuple(str(p) for p in d.get("loc", ())) for d in detail)))
        lines.append(" ".join(words))

    creds = {"name": "check_ada", "password": "correct horse"}
    s, _, v = call(base, "POST", "/customers", creds)
    step("register", s, v, v.get("name") if isinstance(v, dict) else "")
    s, _, v = call(base, "POST", "/customers", creds)
    step("register-again", s, v)
    s, _, v = call(base, "POST", "/customers", {"name": "x", "password": "short"})
    step("register-invalid", s, v)
    s, h, v = call(base, "POST", "/token", {"name": "check_ada", "password": "wrong horse"})
    step("login-wrong", s, v, h.get("www-authenticate") or h.get("WWW-Authenticate"))
    s, _, v = call(base, "POST", "/token", creds)
    step("login", s, v, v.get("tokenType"), len(v.get("accessToken", "")))
    token = v.get("accessToken")
    s, h, v = call(base, "POST", "/washes", {"program": "cotton", "minutes": 30})
    step("start-no-token", s, v, h.get("www-authenticate") or h.get("WWW-Authenticate"))
    s, _, v = call(base, "POST", "/washes", {"program": "cotton", "minutes": 30}, token="x" * 43)
    step("start-bad-token", s, v)
    s, _, v = call(base, "POST", "/washes", {"program": "lava", "minutes": 0}, token=token)
    step("start-invalid", s, v)
    s, _, v = call(base, "GET", "/machines")
    step("machines", s, v, len(v) == machines, [m["state"] for m in v].count("FREE"))
    s, _, v = call(base, "POST", "/washes", {"program": "cotton", "minutes": 30, "machine": 2}, token=token)
    step("start", s, v, v.get("state"), v.get("machine"), v.get("durationMs"), v.get("remainingMs"),
         v.get("finishedAt"), bool(ISO.match(v.get("createdAt") or "")))
    wash = v.get("id")
    s, _, v = call(base, "POST", "/washes", {"program": "wool", "minutes": 30, "machine": 2}, token=token)
    step("start-busy", s, v)
    s, _, v = call(base, "GET", "/machines/2")
    step("machine", s, v, v.get("state"), v.get("washId") == wash, v.get("program"))
    s, _, v = call(base, "GET", f"/washes/{wash}", token=token)
    step("poll", s, v, v.get("state"), v.get("id") == wash)
    s, _, v = call(base, "GET", "/washes/999999999", token=token)
    step("poll-unknown", s, v)
    s, _, v = call(base, "GET", "/washes", token=token)
    step("history", s, v)
    s, _, v = call(base, "DELETE", f"/washes/{wash}", token=token)
    step("cancel", s, v, v.get("state"), v.get("finishedAt") is not None)
    s, _, v = call(base, "DELETE", f"/washes/{wash}", token=token)
    step("cancel-again", s, v)
    s, _, v = call(base, "GET", "/machines/2")
    step("machine-freed", s, v, v.get("state"), v.get("washId"))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
