"""A misbehaving-on-purpose HTTP(S) server on 127.0.0.x for the link checker's tests and benchmark.

One port speaks both plain HTTP and TLS (it peeks at the first byte: 0x16 opens a TLS handshake),
so `http://127.0.0.1:P/x` and `https://127.0.0.1:P/x` are the same page, as on a real site.
Every request is logged (method, path, time) so tests can assert what the checker did.
"""

from __future__ import annotations

import http.server
import socket
import socketserver
import ssl
import struct
import threading
import time
from collections import Counter


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self._route("HEAD")

    def do_GET(self):
        self._route("GET")

    def _send(self, code, headers=None, body=b""):
        self.send_response(code)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def _route(self, method):
        server = self.server
        path, _, query = self.path.partition("?")
        with server.lock:
            server.log.append((method, self.path, time.monotonic()))
            server.hits[self.path] += 1
            hits = server.hits[self.path]
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
        try:
            return self._answer(method, path, hits)
        finally:
            with server.lock:
                server.in_flight -= 1

    def _answer(self, method, path, hits):
        server = self.server
        if server.latency:
            time.sleep(server.latency)
        name = path.strip("/").split("/")[0]
        if name in ("ok", ""):
            return self._send(200, body=b"ok")
        if name == "p301":
            return self._send(301, {"Location": "/p308"})
        if name == "p308":
            return self._send(308, {"Location": "/ok"})
        if name == "moved":
            return self._send(301, {"Location": "/ok"})
        if name == "temp":
            return self._send(302, {"Location": "/ok"})
        if name == "to-https":
            port = self.server.server_address[1]
            return self._send(301, {"Location": f"https://127.0.0.1:{port}/ok"})
        if name in ("404", "410", "500", "403", "401", "999"):
            return self._send(int(name))
        if name == "flaky":  # 500 once, then fine
            return self._send(500 if hits == 1 else 200)
        if name == "always503":
            return self._send(503)
        if name == "ratelimited":  # 429 with Retry-After: 1 once, then fine
            return self._send(429, {"Retry-After": "1"}) if hits == 1 else self._send(200)
        if name == "always429":
            return self._send(429, {"Retry-After": "1"})
        if name == "slow-retry":
            return self._send(429, {"Retry-After": "3600"})
        if name == "head405":
            return self._send(405) if method == "HEAD" else self._send(200, body=b"ok")
        if name == "slow":
            time.sleep(server.slow_seconds)
            return self._send(200)
        if name == "hang":
            time.sleep(server.hang_seconds)
            return None
        if name == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return None
        if name == "needs-cookie":  # sets a cookie on a redirect and lets in only who sends it back
            if path.endswith("/in"):
                return self._send(200 if "visited=1" in (self.headers.get("Cookie") or "") else 403)
            return self._send(302, {"Location": "/needs-cookie/in", "Set-Cookie": "visited=1; Path=/"})
        if name == "loop":
            return self._send(302, {"Location": "/loop2"})
        if name == "loop2":
            return self._send(302, {"Location": "/loop"})
        if name == "endless":
            if method == "HEAD":
                return self._send(405)
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            chunk = b"x" * 65536
            deadline = time.monotonic() + 20
            try:
                while time.monotonic() < deadline:
                    self.wfile.write(chunk)
                    server.endless_bytes += len(chunk)
            except OSError:
                pass
            self.close_connection = True
            return None
        return self._send(404)


class LinkServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, host="127.0.0.1", tls: ssl.SSLContext | None = None, latency: float = 0.0):
        super().__init__((host, 0), Handler)
        self.tls = tls
        self.latency = latency
        self.lock = threading.Lock()
        self.log: list[tuple[str, str, float]] = []
        self.hits: Counter = Counter()
        self.hang_seconds = 30.0
        self.slow_seconds = 0.5
        self.in_flight = 0
        self.max_in_flight = 0
        self.endless_bytes = 0

    def finish_request(self, request, client_address):
        if self.tls is not None:
            try:
                request.settimeout(5)
                first = request.recv(1, socket.MSG_PEEK)
                request.settimeout(None)
            except OSError:
                return
            if first == b"\x16":
                try:
                    request = self.tls.wrap_socket(request, server_side=True)
                except (ssl.SSLError, OSError):
                    return
        super().finish_request(request, client_address)

    def url(self, path="", scheme="http") -> str:
        host, port = self.server_address[:2]
        return f"{scheme}://{host}:{port}/{path.lstrip('/')}"

    def start(self) -> "LinkServer":
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()
