"""One link check of a whole catalog: cache, network, the https upgrade probe, and a summary.

Computed once per catalog and shared by the LK rules and the `links` command.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from trackdesign.gcpause import paused_while
from trackdesign.links.cache import LinkCache
from trackdesign.links.check import Checker, Outcome, host_of
from trackdesign.links.collect import checkable, collect, malformed


@dataclass
class LinkReport:
    occurrences: list
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # not http(s), or excluded by the config
    #: Why no link could be checked (the network looks unavailable), or None: the links are then
    #: "unchecked", which no rule reports, and the command says it once
    unavailable: str | None = None

    def hosts(self) -> list[dict]:
        """Per-host summary rows, busiest host first."""
        table: dict[str, dict] = defaultdict(lambda: {"urls": 0, "ok": 0, "broken": 0, "unreachable": 0,
                                                      "unverified": 0, "redirected": 0, "cached": 0, "seconds": 0.0})
        for outcome in self.outcomes.values():
            if outcome.status == "unchecked":
                continue
            row = table[host_of(outcome.url)]
            row["urls"] += 1
            row[outcome.status] += 1
            row["redirected"] += bool(outcome.chain)
            row["cached"] += outcome.cached
            row["seconds"] += 0.0 if outcome.cached else outcome.elapsed
        return [{"host": host, **row, "seconds": round(row["seconds"], 2)}
                for host, row in sorted(table.items(), key=lambda kv: (-kv[1]["urls"], kv[0]))]


def https_form(url: str) -> str:
    return "https://" + url[len("http://"):]


def check_catalog(catalog, settings, progress_factory=None) -> LinkReport:
    """Check every well-formed http(s) URL of the catalog once (the cache first).

    The cyclic collector is paused meanwhile (`trackdesign.gcpause`): a check from the cache
    is short, and a collection over a just-loaded catalog landing in it would cost more than it.
    """
    @paused_while
    def compute():
        occurrences = collect(catalog)
        report = LinkReport(occurrences)
        urls = []
        for url in dict.fromkeys(o.url for o in occurrences):
            if malformed(url):
                continue
            if not checkable(url) or not settings.wanted(url):
                report.skipped.append(url)
                continue
            urls.append(url)
        report.outcomes, report.unavailable = _check(urls, settings, progress_factory, "Checking links")
        return report
    return catalog.memo("link-report", compute)


def https_upgrades(catalog, settings, progress_factory=None) -> dict[str, Outcome]:
    """For each working http:// link not already redirected to https, the outcome of its https form.

    Only LK04 asks, so only LK04 pays for it. Probe answers are cached whatever they were: a
    site without https is not re-probed on every run.
    """
    @paused_while
    def compute():
        outcomes = check_catalog(catalog, settings, progress_factory).outcomes
        plain = [u for u, o in outcomes.items() if u.startswith("http://") and o.status == "ok"
                 and not (o.permanent_target or "").startswith("https://")]
        probed, _ = _check([https_form(u) for u in plain], settings, progress_factory, "Trying https", probe=True)
        return {u: probed[https_form(u)] for u in plain}
    return catalog.memo("link-https", compute)


def network_unavailable(catalog) -> str | None:
    """Why the links of `catalog` could not be checked at all, if its link check found the network
    unavailable; None otherwise (or when no link check ran)."""
    report = catalog.derived.get("link-report")
    return report.unavailable if report is not None else None


def _check(urls, settings, progress_factory, label, probe=False) -> tuple[dict[str, Outcome], str | None]:
    """(outcome of each URL, why the network looks unavailable or None); a `probe` is LK04's
    one-attempt question, cached whatever the answer."""
    cache = LinkCache(settings.cache, "probe" if probe else "link")
    known = cache.load(urls, settings.cache_max_age, settings.offline)
    todo = [u for u in urls if u not in known]
    if settings.offline:
        fresh = {u: Outcome(u, "unverified", reason="not in the link cache (--offline)") for u in todo}
        return {**known, **fresh}, None
    progress = progress_factory(len(todo), label) if progress_factory and todo else None
    checker = Checker(settings, progress=progress.update if progress else None, probe=probe)
    try:
        fresh = checker.check(todo)
    finally:
        if progress:
            progress.close()
    cache.store(o for o in fresh.values() if o.status != "unchecked")
    return {u: known.get(u) or fresh[u] for u in urls}, checker.unavailable
