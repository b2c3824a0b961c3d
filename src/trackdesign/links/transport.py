"""The connections the link checker sends its requests on: bounded in time, kept to safe addresses,
and sharing one TLS context.

requests and urllib3 bound each socket operation (connect, one read), not an exchange: a server
that sends its status line and then a byte every few seconds, or `100 Continue` again and again,
or stalls a TLS handshake one byte at a time, holds a request forever. Each attempt here runs
under a `Watch` with a deadline, and a watchdog thread shuts down the sockets of an attempt that
outlives it, which ends the blocked read at once.

Each connection also checks the address it reached: never a link-local, multicast or otherwise
reserved address (169.254.169.254 is where clouds serve their metadata), and a loopback or private
address only when the link itself led to one. A redirect from a public page to 127.0.0.1 or
10.0.0.1 is not followed (through a proxy the proxy decides).

One TLS context, with the CA bundle loaded once, serves every connection: requests would load
the bundle again for each new connection, which costs more CPU than the exchange.
"""

from __future__ import annotations

import heapq
import ipaddress
import socket
import ssl
import threading
import time

import requests
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.util.ssl_ import create_urllib3_context

_local = threading.local()


class ForbiddenAddress(Exception):
    """A connection reached an address the link may not lead to."""

    def __init__(self, host: str, address: str, kind: str):
        super().__init__(f"{host} is at a {kind} address ({address})")
        self.host, self.address, self.kind = host, address, kind


def address_kind(address: str) -> str:
    """"public", "loopback", "private", or "link-local"/"reserved" (never to be visited)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "public"  # a host name: its addresses are judged once connected
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_link_local:
        return "link-local"
    if ip.is_loopback:
        return "loopback"
    if ip.is_unspecified or ip.is_multicast or ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    return "public"


def admissible(kind: str, origin: str | None) -> bool:
    """Whether an address of `kind` may be visited by a check that started at an `origin` address."""
    if kind in ("link-local", "reserved"):
        return False
    return kind == "public" or kind == (origin or kind)


class Watch:
    """One attempt: its deadline, the sockets it reads from, and the kind of address it started at."""

    __slots__ = ("deadline", "sockets", "fired", "done", "origin", "_watchdog")

    def __init__(self, watchdog: "Watchdog", deadline: float):
        self.deadline = deadline
        self.sockets: list[socket.socket] = []
        self.fired = False  # the deadline passed and the sockets were shut down
        self.done = False
        self.origin: str | None = None
        self._watchdog = watchdog

    def __enter__(self):
        _local.watch = self
        return self

    def __exit__(self, *exc):
        _local.watch = None
        with self._watchdog.lock:
            self.done = True
            self.sockets.clear()

    def attach(self, sock: socket.socket) -> None:
        with self._watchdog.lock:
            if self.fired:
                _shut(sock)
            elif not self.done:
                self.sockets.append(sock)

    def admit(self, host: str, address: str) -> None:
        kind = address_kind(address)
        if self.origin is None and kind not in ("link-local", "reserved"):
            self.origin = kind
        if not admissible(kind, self.origin):
            raise ForbiddenAddress(host, address, kind)


class Watchdog:
    """One thread shutting down the sockets of attempts past their deadline; ends with `close`."""

    def __init__(self):
        self.lock = threading.Lock()
        self._wake = threading.Condition(self.lock)
        self._heap: list = []
        self._count = 0
        self._closed = False
        self._thread = threading.Thread(target=self._run, daemon=True, name="link-watchdog")
        self._thread.start()

    def watch(self, seconds: float) -> Watch:
        watch = Watch(self, time.monotonic() + seconds)
        with self.lock:
            self._count += 1
            heapq.heappush(self._heap, (watch.deadline, self._count, watch))
            self._wake.notify()
        return watch

    def close(self) -> None:
        with self.lock:
            self._closed = True
            self._wake.notify()
        self._thread.join()

    def _run(self) -> None:
        with self.lock:
            while not self._closed:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._wake.wait()
                    continue
                deadline, _, watch = self._heap[0]
                now = time.monotonic()
                if now < deadline:
                    self._wake.wait(deadline - now)
                    continue
                heapq.heappop(self._heap)
                watch.fired = True
                for sock in watch.sockets:
                    _shut(sock)


def _shut(sock: socket.socket) -> None:
    """End every read blocked on `sock` (the base class's shutdown: a TLS socket's would tear down
    its TLS state under the reading thread)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


class _Watched:
    """What both connection classes add: their sockets join the current attempt's watch, and the
    address they reach is checked against where the attempt started."""

    _peer: str | None = None

    def _new_conn(self):
        sock = super()._new_conn()
        watch = getattr(_local, "watch", None)
        if watch is not None:
            watch.attach(sock)
            if getattr(self, "proxy", None) is None:
                try:
                    self._peer = sock.getpeername()[0]
                except OSError:
                    self._peer = None
                if self._peer is not None:
                    try:
                        watch.admit(self.host, self._peer)
                    except ForbiddenAddress:
                        sock.close()
                        raise
        return sock

    def request(self, *args, **kwargs):
        watch = getattr(_local, "watch", None)
        if watch is not None and self.sock is not None:  # a kept-alive connection, met by a new attempt
            watch.attach(self.sock)
            if self._peer is not None:
                watch.admit(self.host, self._peer)
        return super().request(*args, **kwargs)


class _Connection(_Watched, HTTPConnection):
    pass


class _TLSConnection(_Watched, HTTPSConnection):
    pass


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


def tls_context(bundle: str | None) -> ssl.SSLContext:
    """The one TLS context of a check: requests' own settings, with `bundle` (a file or folder of
    CA certificates) or requests' default CA bundle loaded once."""
    import os

    from requests.utils import DEFAULT_CA_BUNDLE_PATH

    context = create_urllib3_context()
    where = bundle or DEFAULT_CA_BUNDLE_PATH
    if os.path.isdir(where):
        context.load_verify_locations(capath=where)
    else:
        context.load_verify_locations(cafile=where)
    return context


class Adapter(requests.adapters.HTTPAdapter):
    """requests' transport adapter on watched connections with a shared TLS context, building a
    Response without what a link check never reads.

    The stock `build_response` decodes the charset and runs the cookie machinery for every
    answer; the checker reads the status and headers (urllib3's, already case-insensitive) and
    extracts cookies itself, only when a hop sets one.
    """

    def __init__(self, context: ssl.SSLContext, **kwargs):
        self._context = context
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host, _ = super().build_connection_pool_key_attributes(request, verify, cert)
        return host, ({"ssl_context": self._context, "cert_reqs": "CERT_REQUIRED"}
                      if host["scheme"] == "https" else {})

    def cert_verify(self, conn, url, verify, cert):
        """The shared context holds the CAs: naming the bundle here would load it again per connection."""
        if url.lower().startswith("https"):
            conn.cert_reqs, conn.ca_certs, conn.ca_cert_dir = "CERT_REQUIRED", None, None

    def request_url(self, request, proxies):
        """The path, as the stock method finds when no proxy applies, without parsing the URL twice."""
        if not proxies:
            return request.path_url
        return super().request_url(request, proxies)

    def build_response(self, req, resp):
        response = requests.Response()
        response.status_code = resp.status
        response.headers = resp.headers
        response.raw = resp
        response.reason = resp.reason
        response.url = req.url
        response.request = req
        response.connection = self
        return response
