"""LK: the health of every link in the specs (course pages, references, notes, competitors...).

LK01-LK04 and LK08 need the network (skipped with `--no-links`); one check of the whole catalog,
cached between runs, feeds them all. LK05-LK07 read the specs only.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from trackdesign.spec.problems import Fix, Problem
from trackdesign.lint.registry import Option, rule


#: The family of these rules: what `trackdesign links` runs.
FAMILY = "LK"


def _progress(settings):
    if not settings.progress:
        return None
    from trackdesign.progress import terminal_progress

    return terminal_progress


def _report(context):
    from trackdesign.links.report import check_catalog

    return check_catalog(context.catalog, context.config.links, _progress(context.config.links))


def _replace(occurrence, new: str) -> Fix:
    """Rewrite one URL where it is written: the whole field, or exactly its span in the text that
    holds it (another URL there that starts the same way is left alone)."""
    if occurrence.kind == "field":
        return Fix("set", occurrence.path, value=new, expect=occurrence.text)
    span = (occurrence.start, occurrence.start + len(occurrence.url))
    return Fix("set", occurrence.path, value=new, expect=occurrence.text, span=span)


def _each(context, statuses):
    report = _report(context)
    for occurrence in report.occurrences:
        outcome = report.outcomes.get(occurrence.url)
        if outcome is not None and outcome.status in statuses:
            yield occurrence, outcome


@rule("LK01", "broken-link", severity="error", network=True)
def broken_link(context):
    """A link answers with an error (4xx or 5xx), or loops or redirects without end.

    403 from bot protection, 401, 429 after retries and LinkedIn's 999 are reported by LK08 as
    unverified instead: they say nothing about whether the page exists.

    Bad:
        url: https://www.datacamp.com/courses/deep-learning-in-pyhton   # 404 Not Found

    Good:
        url: https://www.datacamp.com/courses/deep-learning-in-python
    """
    for occurrence, outcome in _each(context, {"broken"}):
        via = f" (after {outcome.describe_chain()})" if outcome.chain and "redirect" not in outcome.reason else ""
        yield Problem(occurrence.spec, f"broken link {occurrence.url}: {outcome.reason}{via}", occurrence.path,
                      hint="fix or remove the link (the page may have moved: search for its new address)")


@rule("LK02", "unreachable-link", severity="error", network=True)
def unreachable_link(context):
    """A link's server cannot be reached: DNS failure, connection refused or reset, TLS error, timeout.

    Retried with backoff before it is reported.

    Bad:
        url: https://deeplearning-course.example-that-expired.com/

    Good:
        url: https://www.deeplearningbook.org/
    """
    for occurrence, outcome in _each(context, {"unreachable"}):
        yield Problem(occurrence.spec, f"unreachable link {occurrence.url}: {outcome.reason}", occurrence.path,
                      hint="check the address; if the site is gone, link an archived copy")


@rule("LK03", "permanent-redirect", fixable=True, network=True)
def permanent_redirect(context):
    """A link redirects permanently (301 or 308): the spec should name the new address.

    `--fix` rewrites the URL in the spec to where the permanent redirects lead, keeping comments
    and layout, unless that address is broken too. Temporary redirects (302, 303, 307) are
    followed silently.

    Bad:
        url: http://www.deeplearningbook.org/     # 301 -> https://www.deeplearningbook.org/

    Good:
        url: https://www.deeplearningbook.org/
    """
    for occurrence, outcome in _each(context, {"ok", "broken", "unverified"}):
        target = outcome.permanent_target
        if not target or target == occurrence.url:
            continue
        message = f"{occurrence.url} redirects permanently to {target} ({outcome.describe_chain()})"
        if outcome.status == "broken":  # no fix to an address that does not work either (LK01 says why)
            yield Problem(occurrence.spec, message, occurrence.path,
                          hint=f"{target} is broken too ({outcome.reason}): find where the page went")
            continue
        yield Problem(occurrence.spec, message, occurrence.path, hint=f"use {target}", fix=_replace(occurrence, target))


@rule("LK04", "http-link", fixable=True, network=True)
def http_link(context):
    """A link uses http:// although the https:// form of the same address works.

    `--fix` switches the link to https://.

    Bad:
        url: http://cs230.stanford.edu/

    Good:
        url: https://cs230.stanford.edu/
    """
    from trackdesign.links.report import https_form, https_upgrades

    report = _report(context)
    upgrades = https_upgrades(context.catalog, context.config.links, _progress(context.config.links))
    for occurrence in report.occurrences:
        upgraded = upgrades.get(occurrence.url)
        if upgraded is None or upgraded.status != "ok":
            continue
        secure = https_form(occurrence.url)
        yield Problem(occurrence.spec, f"{occurrence.url} also works over https", occurrence.path,
                      hint=f"use {secure}", fix=_replace(occurrence, secure))


@rule("LK05", "malformed-link", severity="error")
def malformed_link(context):
    """A link that cannot work as written: empty target, spaces, no scheme or host, a misspelt scheme.

    Found without the network. An empty Markdown link (`[text]()`) is reported here too.

    Bad:
        notes: ["According to [DataCamp's roadmap](), the live date is September 26, 2019."]

    Good:
        notes: ["According to [DataCamp's roadmap](https://trello.com/b/BLplifUB/datacamp-course-roadmap), ..."]
    """
    from trackdesign.links.collect import collect, malformed

    for occurrence in collect(context.catalog):
        why = malformed(occurrence.url)
        if why:
            shown = f" {occurrence.url!r}" if occurrence.url else ""
            yield Problem(occurrence.spec, f"malformed link{shown}: {why}", occurrence.path,
                          hint="write the full address, starting with https://")


@rule("LK06", "shared-course-url", severity="warning")
def shared_course_url(context):
    """Two different courses give the same URL as their page.

    Usually a copy-paste slip: one of the two pages is then not linked at all. URLs that differ in
    their `#fragment` are different places (a catalog page with one anchor per course).

    Bad:
        # courses/deep-learning-with-keras-in-python.yaml
        url: https://www.datacamp.com/courses/deep-learning-in-python

    Good:
        url: https://www.datacamp.com/courses/deep-learning-with-keras-in-python
    """
    from trackdesign.links.collect import malformed, normalise, urlsplit

    first: dict[str, str] = {}
    for cid, spec in sorted(context.catalog.courses.items()):
        url = spec.model.url
        if not url or malformed(url):
            continue
        fragment = urlsplit(url.strip()).fragment
        key = normalise(url) + (f"#{fragment}" if fragment else "")
        if key in first:
            yield Problem(spec, f"course page {url} is also the page of course {first[key]!r}", ("url",),
                          hint="give each course its own page", related=[first[key]])
        else:
            first[key] = cid


TRACKING = ("utm_", "ranmid", "raneaid", "ransiteid", "siteid", "gclid", "fbclid", "mc_cid", "mc_eid",
            "_hsenc", "_hsmi", "igshid", "msclkid", "yclid", "dclid", "ref_src", "affiliate", "aff_id")
#: Parameters that track only on some sites (elsewhere `tag` or `feature` may mean something).
SITE_TRACKING = {
    ("youtube.com", "youtu.be"): ("feature", "ab_channel", "si", "pp"),
    ("amazon.",): ("tag", "linkcode", "linkid", "camp", "creative", "creativeasin", "ascsubtag", "ref_", "ie"),
}


def _on_site(host: str, markers) -> bool:
    """`youtube.com` matches it and its subdomains; `amazon.` any Amazon storefront (amazon.co.uk)."""
    return any(host == m or host.endswith("." + m) or (m.endswith(".") and (host.startswith(m) or f".{m}" in host))
               for m in markers)


def _site_names(host: str) -> tuple[str, ...]:
    return tuple(name for markers, extra in SITE_TRACKING.items() if _on_site(host, markers) for name in extra)


@rule("LK07", "tracking-parameters", fixable=True, options={
    "extra": Option([], "more query parameter names (or prefixes ending in _) to treat as tracking", list),
})
def tracking_parameters(context):
    """A link carries tracking or affiliate parameters (`utm_*`, `ranMID`, `siteID`, ...).

    Site conventions count too: Amazon's associate `tag`, `linkId` and `/ref=` segment, YouTube's
    share `feature` and `ab_channel`.

    They tie the spec to one campaign and leak where readers came from. `--fix` removes them and
    keeps the rest of the URL (other parameters, their order, the fragment) as it was.

    Bad:
        url: https://www.coursera.org/specializations/deep-learning?ranMID=40328&siteID=vedj0cWlu2Y&utm_source=x

    Good:
        url: https://www.coursera.org/specializations/deep-learning
    """
    from trackdesign.links.collect import collect, malformed

    extra = tuple(str(e).lower() for e in context.options["extra"])
    for occurrence in collect(context.catalog):
        if malformed(occurrence.url):
            continue
        cleaned, removed = strip_tracking(occurrence.url, TRACKING + extra)
        if removed:
            yield Problem(occurrence.spec, f"link carries tracking parameters ({', '.join(removed)}): {occurrence.url}",
                          occurrence.path, hint=f"use {cleaned}", fix=_replace(occurrence, cleaned))


def _tracking(name: str, names) -> bool:
    lowered = name.lower()
    return any(lowered.startswith(n) if n.endswith("_") else lowered == n for n in names)


def strip_tracking(url: str, names=TRACKING) -> tuple[str, list[str]]:
    """`url` without tracking parameters, and the names removed. Other parameters keep their text.

    On sites with affiliate conventions of their own (Amazon, YouTube) their parameters go too, and
    an Amazon `/ref=...` path segment.
    """
    if "?" not in url and "/ref=" not in url:
        return url, []  # no query and no Amazon segment: nothing to strip (most links, and cheap to see)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    names = tuple(names) + _site_names(host)
    path, removed = parts.path, []
    if _on_site(host, ("amazon.",)) and "/ref=" in path:
        head, _, tail = path.partition("/ref=")
        removed.append("ref=" + tail.split("/", 1)[0])
        path = head + ("/" + tail.split("/", 1)[1] if "/" in tail else "")
    kept = []
    for piece in parts.query.split("&") if parts.query else []:
        name = piece.split("=", 1)[0]
        if _tracking(name, names):
            removed.append(name)
        else:
            kept.append(piece)
    if not removed:
        return url, []
    return urlunsplit(parts._replace(path=path, query="&".join(kept))), removed


@rule("LK08", "unverified-link", severity="info", network=True)
def unverified_link(context):
    """A link could not be verified: blocked (403, 999), login wanted (401) or rate limited (429).

    The site blocks robots, wants a login, or kept answering 429 "too many requests" after the
    retries; with `--offline`, the link is not in the cache. Not reported as dead, because it may well work in a browser. Raise the severity, or accept the
    status codes in `[links] accept = [403]`, to suit your sites.

    Bad:
        url: https://www.linkedin.com/learning/some-course    # 999

    Good:
        url: https://www.linkedin.com/learning/some-course    # and [links] accept = [999]
    """
    for occurrence, outcome in _each(context, {"unverified"}):
        yield Problem(occurrence.spec, f"could not verify {occurrence.url}: {outcome.reason}", occurrence.path,
                      hint="open it in a browser; accept its status in [links] if it is fine")

