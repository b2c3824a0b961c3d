"""An HTTP server on 127.0.0.1 that misbehaves on purpose, written on raw sockets so it can break
the protocol: drip its answer a byte at a time, send `100 Continue` forever, send a megabyte of
header, a bad status line, HTTP/0.9, endless headers or body, redirect without end or to addresses
no link may lead to, stall a TLS handshake.

Each path picks a behaviour (see `_answer`); every request and connection is counted so tests can
assert what the checker did.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter

DRIP = 0.2  # seconds between the bytes of a dripping answer


class HostileServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.listener = socket.create_server((host, 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.host = host
        self.hits: Counter = Counter()
        self.connections = 0
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.tls_listener = socket.create_server((host, 0))  # accepts, then stalls the TLS handshake
        self.tls_listener.settimeout(0.2)
        self.tls_port = self.tls_listener.getsockname()[1]

    def url(self, path: str = "", scheme: str = "http") -> str:
        return f"{scheme}://{self.host}:{self.port}/{path.lstrip('/')}"

    def stall_url(self, path: str = "x") -> str:
        return f"https://{self.host}:{self.tls_port}/{path}"

    def start(self) -> "HostileServer":
        threading.Thread(target=self._accept, args=(self.listener, self._serve), daemon=True).start()
        threading.Thread(target=self._accept, args=(self.tls_listener, self._stall), daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()
        self.tls_listener.close()

    def _accept(self, listener, handler) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = listener.accept()
            except (socket.timeout, OSError):
                continue
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._guarded, args=(handler, conn), daemon=True).start()

    def _guarded(self, handler, conn) -> None:
        try:
            conn.settimeout(30)
            handler(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def _stall(self, conn) -> None:
        conn.recv(65536)  # the client hello
        conn.sendall(b"\x16\x03\x03\x40\x00")  # a handshake record of 16 KiB is coming...
        while not self.stopped.is_set():  # ...one byte at a time
            conn.sendall(b"\x02")
            time.sleep(DRIP)

    def _serve(self, conn) -> None:
        reader = conn.makefile("rb")
        while True:
            line = reader.readline(65537)
            if not line:
                return
            method, path = (line.decode("latin-1").split(" ") + ["", ""])[:2]
            while reader.readline(65537) not in (b"\r\n", b"\n", b""):
                pass
            with self.lock:
                self.hits[path] += 1
                hits = self.hits[path]
            if not self._answer(conn, method, path, hits):
                return

    def _send(self, conn, status: str, headers: dict | None = None, body: bytes = b"", method: str = "GET") -> bool:
        head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        conn.sendall(head.encode() + b"\r\n" + (body if method != "HEAD" else b""))
        return True

    def _forever(self, conn, chunk: bytes) -> bool:
        while not self.stopped.is_set():
            conn.sendall(chunk)
            time.sleep(DRIP)
        return False

    def _answer(self, conn, method: str, path: str, hits: int) -> bool:
        """Answer one request; False to close the connection."""
        name = path.split("?")[0].strip("/")
        if name in ("ok", "new5", "old5/keep", "page"):
            return self._send(conn, "200 OK", body=b"ok", method=method)
        if name == "404":
            return self._send(conn, "404 Not Found", method=method)
        if name == "old5":
            return self._send(conn, "301 Moved Permanently", {"Location": "/new5"}, method=method)
        if name == "to-404":
            return self._send(conn, "301 Moved Permanently", {"Location": "/404"}, method=method)
        if name.startswith("storm/"):
            following = int(name.split("/")[1]) + 1
            return self._send(conn, "302 Found", {"Location": f"/storm/{following}"}, method=method)
        if name == "metadata":
            return self._send(conn, "302 Found", {"Location": "http://169.254.169.254/latest/meta-data/"}, method=method)
        if name == "private":
            return self._send(conn, "302 Found", {"Location": "http://10.0.0.1/admin"}, method=method)
        if name == "drip":
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            return self._forever(conn, b"X")
        if name == "continue":
            return self._forever(conn, b"HTTP/1.1 100 Continue\r\n\r\n")
        if name == "endless-headers":
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            while not self.stopped.is_set():
                conn.sendall(b"X-Again: and again\r\n" * 50)
            return False
        if name == "endless-body":
            if method == "HEAD":
                return self._send(conn, "405 Method Not Allowed", method=method)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n")
            while not self.stopped.is_set():
                conn.sendall(b"x" * 65536)
            return False
        if name == "bad-status":
            conn.sendall(b"HELLO THERE\r\n\r\n")
            return False
        if name == "http09":
            conn.sendall(b"<html><body>an answer from 1991</body></html>\n")
            return False
        if name == "huge-header":
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (1 << 20) + b"\r\nContent-Length: 0\r\n\r\n")
            return False
        if name == "close":
            return False
        if name == "retry-far":
            return self._send(conn, "429 Too Many Requests", {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"},
                              method=method)
        if name == "retry-huge":
            return self._send(conn, "429 Too Many Requests", {"Retry-After": "9" * 30}, method=method)
        if name == "slow":
            time.sleep(0.3)
            return self._send(conn, "200 OK", method=method)
        if name == "limited-once":
            if hits == 1:
                return self._send(conn, "429 Too Many Requests", {"Retry-After": "0"}, method=method)
            return self._send(conn, "200 OK", method=method)
        return self._send(conn, "404 Not Found", method=method)
