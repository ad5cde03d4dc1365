"""The web benchmark's Python peer (benchmarks/web.sh): TechEmpower's six tests on FastAPI + uvicorn (Debian's
python3-fastapi, python3-uvicorn), aiomysql (python3-aiomysql) and jinja2 for the fortunes template, one worker,
uvloop and httptools when installed. Multiple queries and updates run one after the other on one connection per
request; updates are one bulk statement, as every server in web.sh.

    python3 fastapi_te.py --port P --db-port D [--pool S]
"""
import argparse
import json
import random
import sys

import aiomysql
import jinja2
import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

SELECT_WORLD = "SELECT id, randomNumber FROM World WHERE id = %s"
TEMPLATE = jinja2.Environment(autoescape=True).from_string(
    "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>"
    "{% for f in fortunes %}<tr><td>{{ f[0] }}</td><td>{{ f[1] }}</td></tr>{% endfor %}</table></body></html>")

app = FastAPI()
pool = None
options = None


def count(queries):
    try:
        n = int(queries)
    except (TypeError, ValueError):
        return 1
    return min(max(n, 1), 500)


def rid():
    return random.randint(1, 10000)


def json_response(value):
    return Response(json.dumps(value, separators=(",", ":")).encode(), media_type="application/json")


@app.on_event("startup")
async def startup():
    global pool
    pool = await aiomysql.create_pool(host="127.0.0.1", port=options.db_port, user="benchmarkdbuser",
                                      password="benchmarkdbpass", db="hello_world", charset="utf8mb4", minsize=1,
                                      maxsize=options.pool, autocommit=True)


@app.get("/plaintext")
async def plaintext():
    return PlainTextResponse(b"Hello, World!")


@app.get("/json")
async def json_endpoint():
    return json_response({"message": "Hello, World!"})


@app.get("/db")
async def db():
    async with pool.acquire() as conn, conn.cursor() as cur:
        await cur.execute(SELECT_WORLD, (rid(),))
        i, n = await cur.fetchone()
    return json_response({"id": i, "randomNumber": n})


@app.get("/queries")
async def queries(queries: str = None):
    out = []
    async with pool.acquire() as conn, conn.cursor() as cur:
        for _ in range(count(queries)):
            await cur.execute(SELECT_WORLD, (rid(),))
            i, n = await cur.fetchone()
            out.append({"id": i, "randomNumber": n})
    return json_response(out)


@app.get("/fortunes")
async def fortunes():
    async with pool.acquire() as conn, conn.cursor() as cur:
        await cur.execute("SELECT id, message FROM Fortune")
        rows = list(await cur.fetchall())
    rows.append((0, "Additional fortune added at request time."))
    rows.sort(key=lambda r: r[1])
    return HTMLResponse(TEMPLATE.render(fortunes=rows))


@app.get("/updates")
async def updates(queries: str = None):
    n = count(queries)
    out = []
    async with pool.acquire() as conn, conn.cursor() as cur:
        for _ in range(n):
            await cur.execute(SELECT_WORLD, (rid(),))
            i, _old = await cur.fetchone()
            out.append({"id": i, "randomNumber": rid()})
        sql = ("UPDATE World SET randomNumber = CASE id" + " WHEN %s THEN %s" * n + " END WHERE id IN ("
               + ", ".join(["%s"] * n) + ")")
        params = [v for w in out for v in (w["id"], w["randomNumber"])] + [w["id"] for w in out]
        await cur.execute(sql, params)
    return json_response(out)


def main():
    global options
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--db-port", type=int, required=True)
    ap.add_argument("--pool", type=int, default=64)
    options = ap.parse_args()
    loop = "auto"
    http = "auto"
    try:
        import uvloop  # noqa: F401
        loop = "uvloop"
    except ImportError:
        pass
    try:
        import httptools  # noqa: F401
        http = "httptools"
    except ImportError:
        pass
    print(f"fastapi on 127.0.0.1:{options.port}, loop={loop}, http={http}, database port {options.db_port}",
          file=sys.stderr)
    uvicorn.run(app, host="127.0.0.1", port=options.port, loop=loop, http=http, log_level="warning",
                access_log=False)


if __name__ == "__main__":
    main()
