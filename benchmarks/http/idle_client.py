"""Opens N keep-alive connections to 127.0.0.1:PORT, makes one GET /plaintext on each (so every connection has
served a request and sits idle in keep-alive), holds them all open, asks RSS_COMMAND for the server's RSS, and
prints `RSS_HELD_KIB <n>`; then closes them. Fails if any connection is refused or closed while held."""
import argparse
import selectors
import socket
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--connections", type=int, required=True)
    ap.add_argument("--hold-seconds", type=float, default=3.0)
    ap.add_argument("--rss-command", required=True)
    a = ap.parse_args()
    request = b"GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    socks = []
    sel = selectors.DefaultSelector()
    t0 = time.time()
    for i in range(a.connections):
        s = socket.create_connection(("127.0.0.1", a.port), timeout=10)
        s.sendall(request)
        socks.append(s)
        if len(socks) % 500 == 0:  # read the answers in batches, so the server never holds many writes
            drain(socks[-500:])
    drain(socks[len(socks) - len(socks) % 500:])
    print(f"opened {len(socks)} connections in {time.time() - t0:.1f} s", file=sys.stderr)
    time.sleep(a.hold_seconds)  # let the server settle (GC, buffers given back)
    for s in socks:  # every connection is still open: no EOF waiting
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                sys.exit("a held connection was closed by the server")
        except BlockingIOError:
            pass
    rss = int(subprocess.check_output(a.rss_command, shell=True).decode().strip())
    print(f"RSS_HELD_KIB {rss}")
    for s in socks:
        s.close()


def drain(batch):
    for s in batch:
        data = b""
        while b"Hello, World!" not in data:
            chunk = s.recv(4096)
            if not chunk:
                sys.exit("the server closed a connection before answering")
            data += chunk


if __name__ == "__main__":
    main()
