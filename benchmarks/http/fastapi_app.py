"""The HTTP benchmark's Python peer: FastAPI on uvicorn (Debian's python3-fastapi and python3-uvicorn), with uvloop
and httptools when installed, one worker process; /plaintext and /json as TechEmpower's fastapi entry.

    python3 fastapi_app.py --port P [--workers N]
"""
import argparse
import json
import sys

import uvicorn
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, Response

app = FastAPI()


@app.get("/plaintext")
async def plaintext():
    return PlainTextResponse(b"Hello, World!")


@app.get("/json")
async def json_endpoint():
    return Response(json.dumps({"message": "Hello, World!"}).encode(), media_type="application/json")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--workers", type=int, default=1)
    a = ap.parse_args()
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
    print(f"fastapi on 127.0.0.1:{a.port}, loop={loop}, http={http}, workers={a.workers}", file=sys.stderr)
    uvicorn.run("fastapi_app:app" if a.workers > 1 else app, host="127.0.0.1", port=a.port, loop=loop, http=http,
                workers=a.workers, log_level="warning", access_log=False,
                timeout_keep_alive=60)  # as the other servers here: idle connections held for the idle-memory measure


if __name__ == "__main__":
    main()
