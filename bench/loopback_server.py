"""A cheap asyncio HTTP/1.1 server on many loopback addresses, with a fixed latency per request.

Run in its own process by bench/links.py so that serving never competes with the checker being
measured for the interpreter lock. Paths starting with /ra/ answer 429 with `Retry-After: 1` the
first time and 200 afterwards; everything else answers 200 after the latency.

Given a certificate and key, the first `TLS_HOSTS` hosts speak TLS too, on the same port as plain
HTTP (the first byte of a connection tells a handshake from a request), so that `http://h:p/x`
and `https://h:p/x` are the same page, as on a real site; the other hosts close a connection that
opens with a TLS handshake, as a server without https would.

    python bench/loopback_server.py HOSTS LATENCY_MS [CERT KEY TLS_HOSTS]   # prints "host:port" per line
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import sys

SEEN: set[bytes] = set()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, latency: float):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line = head.split(b"\r\n", 1)[0]
            method, path = request_line.split(b" ")[:2]
            await asyncio.sleep(latency)
            body = b"" if method == b"HEAD" else b"ok"
            if path.startswith(b"/ra/") and path not in SEEN:
                SEEN.add(path)
                writer.write(b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n")
            else:
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n" + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError, ssl.SSLError):
        pass
    finally:
        writer.close()


async def _first_byte(sock: socket.socket) -> bytes:
    """The connection's first byte, left unread for whoever reads the connection next."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(sock.fileno(), lambda: ready.done() or ready.set_result(None))
    try:
        await ready
    finally:
        loop.remove_reader(sock.fileno())
    try:
        return sock.recv(1, socket.MSG_PEEK)
    except OSError:
        return b""


async def connection(sock: socket.socket, latency: float, tls: ssl.SSLContext | None):
    loop = asyncio.get_running_loop()
    first = await _first_byte(sock)
    handshake = first == b"\x16"
    if not first or (handshake and tls is None):  # a TLS handshake on a plain host: refused at once
        sock.close()
        return
    reader = asyncio.StreamReader(limit=1 << 16)
    protocol = asyncio.StreamReaderProtocol(reader)
    try:
        transport, _ = await loop.connect_accepted_socket(lambda: protocol, sock, ssl=tls if handshake else None)
    except (OSError, ssl.SSLError):
        sock.close()
        return
    await handle(reader, asyncio.StreamWriter(transport, protocol, reader, loop), latency)


async def serve(listener: socket.socket, latency: float, tls: ssl.SSLContext | None):
    loop = asyncio.get_running_loop()
    tasks = set()
    while True:
        sock, _ = await loop.sock_accept(listener)
        sock.setblocking(False)
        task = asyncio.create_task(connection(sock, latency, tls))
        tasks.add(task)
        task.add_done_callback(tasks.discard)


async def main(hosts: int, latency_ms: float, cert: str | None, key: str | None, tls_hosts: int):
    context = None
    if cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
    servers = []
    for k in range(1, hosts + 1):
        listener = socket.create_server((f"127.0.0.{k}", 0), backlog=1024)
        listener.setblocking(False)
        host, port = listener.getsockname()[:2]
        print(f"{host}:{port}", flush=True)
        servers.append(serve(listener, latency_ms / 1000, context if k <= tls_hosts else None))
    print("ready", flush=True)
    await asyncio.gather(*servers)


if __name__ == "__main__":
    args = sys.argv[1:]
    asyncio.run(main(int(args[0]), float(args[1]), args[2] if len(args) > 2 else None,
                     args[3] if len(args) > 3 else None, int(args[4]) if len(args) > 4 else 0))
