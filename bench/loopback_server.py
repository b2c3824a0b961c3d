"""A cheap asyncio HTTP/1.1 server on many loopback addresses, with a fixed latency per request.

Run in its own process by bench/links.py so that serving never competes with the checker being
measured for the interpreter lock. Paths starting with /ra/ answer 429 with `Retry-After: 1` the
first time and 200 afterwards; everything else answers 200 after the latency.

    python bench/loopback_server.py HOSTS LATENCY_MS   # prints "host:port" per line, then serves
"""

from __future__ import annotations

import asyncio
import sys

SEEN: set[bytes] = set()


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, latency: float):
    try:
        first = await reader.readexactly(1)
        if first == b"\x16":  # a TLS handshake on a plain port: fail at once, as a real server would
            return
        pending = first
        while True:
            head = pending + await reader.readuntil(b"\r\n\r\n")
            pending = b""
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
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main(hosts: int, latency_ms: float):
    servers = []
    for k in range(1, hosts + 1):
        server = await asyncio.start_server(lambda r, w: handle(r, w, latency_ms / 1000), f"127.0.0.{k}", 0,
                                            backlog=1024)
        servers.append(server)
        host, port = server.sockets[0].getsockname()[:2]
        print(f"{host}:{port}", flush=True)
    print("ready", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), float(sys.argv[2])))
