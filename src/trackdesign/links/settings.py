"""How the link checker behaves: the `[links]` table of trackdesign.toml, validated on load."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, fields

from trackdesign import __version__


@dataclass
class HostSettings:
    """Overrides for one host (`[links.hosts."example.com"]`)."""

    per_host: int | None = None
    interval: float | None = None
    read_timeout: float | None = None


@dataclass
class LinkSettings:
    connect_timeout: float = 5.0  # seconds to open a connection
    read_timeout: float = 10.0  # seconds of silence allowed while waiting for the headers
    deadline: float = 30.0  # seconds one URL may take in all, retries and redirects included
    concurrency: int = 32  # requests in flight in all
    per_host: int = 4  # requests in flight to one host
    interval: float = 0.0  # seconds between the starts of two requests to one host
    retries: int = 2  # further attempts after a timeout, connection error, 5xx or 429
    backoff: float = 0.5  # first retry delay in seconds, doubled each time (unless Retry-After says)
    max_retry_after: float = 20.0  # a longer Retry-After is not waited for: the link is "unverified"
    max_redirects: int = 10
    accept: list[int] = field(default_factory=list)  # extra status codes that count as working
    include: list[str] = field(default_factory=list)  # regexes: check only matching URLs
    exclude: list[str] = field(default_factory=list)  # regexes: never check matching URLs
    user_agent: str = f"trackdesign/{__version__} (link check)"
    cache: str = ".trackdesign-cache/links.sqlite"  # relative to the specs folder's project folder
    cache_max_age: float = 168.0  # hours a working link is trusted without re-checking
    ca_bundle: str | None = None  # a CA file for TLS (a company proxy's CA, or a test CA)
    hosts: dict[str, HostSettings] = field(default_factory=dict)
    offline: bool = False  # use only the cache (set by --offline)
    progress: bool = False  # draw a progress bar (set by the command line on a terminal)

    def for_host(self, host: str) -> tuple[int, float, float]:
        """(concurrency, interval, read timeout) for `host`, overrides applied."""
        override = self.hosts.get(host) or HostSettings()
        return (override.per_host or self.per_host,
                self.interval if override.interval is None else override.interval,
                override.read_timeout or self.read_timeout)

    def wanted(self, url: str) -> bool:
        if self.include and not any(re.search(p, url) for p in self.include):
            return False
        return not any(re.search(p, url) for p in self.exclude)


SETTABLE = {f.name: f for f in fields(LinkSettings) if f.name not in ("offline", "progress")}


def parse_links(data: dict, complain) -> LinkSettings:
    """A LinkSettings from the `[links]` table; `complain(key, message)` raises with the key's line."""
    settings = LinkSettings()
    if not isinstance(data, dict):
        complain("links", "[links] expects a table of settings")
    for key, value in data.items():
        if key not in SETTABLE:
            import difflib

            close = difflib.get_close_matches(key, list(SETTABLE), n=1)
            complain(key, f"unknown link setting {key!r}" + (f"; did you mean {close[0]!r}?" if close else ""))
        if key == "hosts":
            settings.hosts = _hosts(value, complain)
            continue
        default = getattr(settings, key)
        if key in ("accept",):
            if not isinstance(value, list) or not all(isinstance(v, int) and 100 <= v <= 999 for v in value):
                complain(key, f"'{key}' expects a list of HTTP status codes")
        elif key in ("include", "exclude"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                complain(key, f"'{key}' expects a list of regular expressions")
            for pattern in value:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    complain(pattern, f"'{key}': invalid regular expression {pattern!r}: {exc}")
        elif key == "ca_bundle" or isinstance(default, str):
            if not isinstance(value, str):
                complain(key, f"'{key}' expects a string")
            if key == "ca_bundle" and not os.path.exists(value):
                complain(key, f"'ca_bundle': no file or folder {value!r}")
        elif isinstance(default, bool) or not isinstance(value, (int, float)) or isinstance(value, bool) \
                or not 0 <= value < math.inf or (isinstance(default, int) and not isinstance(value, int)):
            kind = "a whole number" if isinstance(default, int) else "a number of seconds"
            complain(key, f"'{key}' expects {kind} (0 or more), got {value!r}")
        if key in ("concurrency", "per_host") and value < 1:
            complain(key, f"'{key}' must be at least 1")
        setattr(settings, key, value)
    return settings


def _hosts(value, complain) -> dict[str, HostSettings]:
    if not isinstance(value, dict):
        complain("hosts", "[links.hosts] expects a table of host = { per_host, interval, read_timeout }")
    hosts = {}
    for host, options in value.items():
        if not isinstance(options, dict):
            complain(host, f"[links.hosts.{host!r}] expects a table")
        override = HostSettings()
        for key, number in options.items():
            if key not in ("per_host", "interval", "read_timeout"):
                complain(key, f"unknown host setting {key!r} (per_host, interval, read_timeout)")
            if not isinstance(number, (int, float)) or isinstance(number, bool) or not 0 <= number < math.inf or \
                    (key == "per_host" and (not isinstance(number, int) or number < 1)):
                complain(key, f"host setting {key!r} expects a positive number, got {number!r}")
            setattr(override, key, number)
        hosts[host.lower()] = override
    return hosts
