"""A real HTTP/1.1 peer for Spindle's client tests: Python's http.server with keep-alive, plus the odd cases.

Usage: python3 peer_server.py PORT
"""
import email.parser
import email.policy
import gzip
import hashlib
import http.server
import json
import sys
import time
import urllib.parse
import zlib


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    requests_on_connection = 0

    def log_message(self, *args):
        pass

    def handle_expect_100(self):
        if self.path.startswith("/reject-upload"):
            return True  # answer with the final status at once, without 100 Continue
        return super().handle_expect_100()

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def reply(self, status, body, ctype="text/plain", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def route(self):
        self.requests_on_connection += 1
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        path = url.path
        if self.headers.get("Expect", "").lower() == "100-continue" and path == "/reject-upload":
            self.reply(413, b"too big, not sent", extra=[("Connection", "close")])
            self.close_connection = True
            return
        body = self.read_body()
        if path == "/echo":
            doc = {
                "method": self.command,
                "path": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("latin-1"),
                "chunked": self.headers.get("Transfer-Encoding", "") == "chunked",
            }
            self.reply(200, json.dumps(doc).encode(), "application/json")
        elif path == "/sha":
            doc = {"len": len(body), "sha": hashlib.sha256(body).hexdigest(),
                   "type": self.headers.get("Content-Type"), "length": self.headers.get("Content-Length"),
                   "chunked": self.headers.get("Transfer-Encoding", "") == "chunked"}
            self.reply(200, json.dumps(doc).encode(), "application/json")
        elif path == "/multipart":
            ctype = self.headers.get("Content-Type", "")
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + body)
            parts = []
            for part in msg.iter_parts():
                data = part.get_payload(decode=True)
                parts.append({"name": part.get_param("name", header="content-disposition"),
                              "filename": part.get_filename(), "type": part.get_content_type()
                              if part.get("Content-Type") else None,
                              "len": len(data), "sha": hashlib.sha256(data).hexdigest()})
            self.reply(200, json.dumps({"multipart": msg.is_multipart(), "parts": parts,
                                        "length": self.headers.get("Content-Length")}).encode(),
                       "application/json")
        elif path == "/cookies/set":
            extra = [("Set-Cookie", v) for k, v in urllib.parse.parse_qsl(url.query) if k == "c"]
            self.reply(200, b"set", extra=extra)
        elif path == "/conn":
            # which connection and how many requests it carried: proves keep-alive reuse
            self.reply(200, f"{self.client_address[1]} {self.requests_on_connection}".encode())
        elif path == "/chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Trailer", "X-Count")
            self.end_headers()
            n = int(q.get("n", "10"))
            for i in range(n):
                piece = f"piece {i}\n".encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.flush()
            self.wfile.write(f"0\r\nX-Count: {n}\r\n\r\n".encode())
        elif path in ("/gzip", "/deflate"):
            data = ("compressible text " * int(q.get("n", "1000"))).encode()
            packed = gzip.compress(data) if path == "/gzip" else zlib.compress(data)
            self.reply(200, packed, extra=[("Content-Encoding", path[1:])])
        elif path.startswith("/redirect/"):
            code = int(path.rsplit("/", 1)[1])
            self.reply(code, b"moved", extra=[("Location", q.get("to", "/echo"))])
        elif path == "/loop":
            n = int(q.get("n", "0"))
            self.reply(302, b"", extra=[("Location", f"/loop?n={n + 1}")])
        elif path == "/slow":
            time.sleep(float(q.get("delay", "1")))
            self.reply(200, b"slow")
        elif path == "/slowbody":
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            self.wfile.write(b"12345")
            self.wfile.flush()
            time.sleep(float(q.get("delay", "1")))
            self.wfile.write(b"67890")
        elif path == "/big":
            n = int(q.get("n", "1000000"))
            self.reply(200, bytes(i % 251 for i in range(n)), "application/octet-stream")
        elif path == "/close":
            self.reply(200, b"bye", extra=[("Connection", "close")])
            self.close_connection = True
        elif path.startswith("/status/"):
            self.reply(int(path.rsplit("/", 1)[1]), b"status body")
        elif path == "/latin1":
            self.reply(200, "caf\u00e9".encode("latin-1"), "text/plain; charset=ISO-8859-1")
        else:
            self.reply(404, b"no such path " + path.encode())

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = route


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
