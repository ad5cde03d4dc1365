"""Python websockets' echo server (Debian python3-websockets), compression off: ws_echo_python.py PORT."""
import asyncio
import sys

import websockets


async def echo(ws, path=None):
    async for m in ws:
        await ws.send(m)


async def main(port):
    async with websockets.serve(echo, "127.0.0.1", port, compression=None, ping_interval=None, max_size=2**20):
        print("listening", port, flush=True)
        await asyncio.Future()


asyncio.run(main(int(sys.argv[1])))
