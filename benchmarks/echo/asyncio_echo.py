#!/usr/bin/python3
"""The echo benchmark's CPython servers: asyncio or uvloop, with streams or with a protocol.

    asyncio_echo.py --loop asyncio|uvloop --mode streams|protocol --port P

One event loop on one thread, listening on 127.0.0.1 only, running until killed (SIGTERM or SIGINT).

- streams: asyncio.start_server; per connection, reader.read(65536), writer.write(data), await writer.drain(),
  the idiom of the asyncio documentation.
- protocol: an asyncio.Protocol whose data_received calls transport.write(data): no coroutine per connection,
  the fast path uvloop advertises.

Run it with Debian's /usr/bin/python3, which has python3-uvloop.
"""

import argparse
import asyncio
import signal
import sys


async def handle(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


class EchoProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.transport.write(data)

    def connection_lost(self, exc):
        self.transport = None


async def serve(mode, port):
    loop = asyncio.get_running_loop()
    if mode == "streams":
        server = await asyncio.start_server(handle, "127.0.0.1", port)
    else:
        server = await loop.create_server(EchoProtocol, "127.0.0.1", port)
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set_result, None)
    print(f"asyncio_echo: {type(loop).__module__} loop, {mode}, listening on 127.0.0.1:{port}", file=sys.stderr,
          flush=True)
    async with server:
        await stop


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    p.add_argument("--mode", choices=["streams", "protocol"], default="streams")
    p.add_argument("--port", type=int, required=True)
    a = p.parse_args()
    if a.loop == "uvloop":
        import uvloop
        factory = uvloop.new_event_loop
    else:
        factory = asyncio.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(serve(a.mode, a.port))


if __name__ == "__main__":
    main()
