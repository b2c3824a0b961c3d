"""Every URL written in the specs, with where it was written.

URLs live in fields (`url`, a roadmap `source`) and inside prose as Markdown links
(`[text](https://...)`) or bare `https://...`. All of them are found here, once per catalog, so
that the link rules and the `links` command agree on what a spec links to.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit as _urlsplit

URL_KEYS = {"url", "source"}
MARKDOWN_LINK = re.compile(r"\[([^\[\]]*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)")
BARE_URL = re.compile(r"(?<![(\[<\w])(?:https?|ftp)://[^\s<>\"')\]]+")
TRAILING = ".,;:!?"


class Occurrence(NamedTuple):
    """A tuple, not a frozen dataclass: one per link of the catalog, built on every run, and a
    frozen dataclass sets each field through object.__setattr__, a large share of a check that
    answers from the cache."""

    spec: object  # trackdesign.spec.catalog.Spec
    path: tuple  # where in the spec: the field, or the text that contains the link
    url: str  # as written ("" for an empty Markdown link target)
    kind: str  # "field" | "markdown" | "bare"
    text: str  # the whole field value (for fixes inside prose)
    start: int = 0  # where `url` starts in `text`: a fix edits exactly that span


def occurrences(spec) -> list[Occurrence]:
    found = []
    for path, text in spec.strings:
        if path and path[-1] in URL_KEYS:
            found.append(Occurrence(spec, path, text.strip(), "field", text, len(text) - len(text.lstrip())))
            continue
        # each character alone first: found at once, where a two-character search reads the text
        if ("]" not in text or "](" not in text) and (":" not in text or "://" not in text):
            continue
        taken = []
        for match in MARKDOWN_LINK.finditer(text):
            found.append(Occurrence(spec, path, match.group(2), "markdown", text, match.start(2)))
            taken.append(match.span())
        for match in BARE_URL.finditer(text):
            if any(a <= match.start() < b for a, b in taken):
                continue
            found.append(Occurrence(spec, path, match.group(0).rstrip(TRAILING), "bare", text, match.start()))
    return found


def collect(catalog) -> list[Occurrence]:
    return catalog.memo("link-occurrences", lambda: [o for spec in catalog.specs() for o in occurrences(spec)])


SPACE = re.compile(r"\s")

#: urlsplit of each URL once: `malformed` and `normalise` both split every link of a catalog, and
#: the standard library's own cache holds only the last 128.
urlsplit = lru_cache(maxsize=65536)(_urlsplit)


@lru_cache(maxsize=65536)
def malformed(url: str) -> str | None:
    """Why `url` cannot be a working link, or None. Needs no network; asked by several rules."""
    if not url.strip():
        return "empty link target"
    if SPACE.search(url):
        return "contains spaces"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        return str(exc)
    if not parts.scheme:
        return "no scheme (expected https://...)"
    if parts.scheme in ("http", "https"):
        host = parts.hostname  # parsed from the netloc again at each use
        if not host:
            return "no host"
        if ".." in host or host.startswith(".") or host.endswith("-"):
            return f"invalid host {host!r}"
    elif parts.scheme not in ("mailto", "tel", "ftp", "ftps", "file", "doi"):
        if re.fullmatch(r"h?t+p+s?", parts.scheme):
            return f"misspelt scheme {parts.scheme!r}"
        if parts.scheme in ("javascript", "vbscript", "data"):
            return f"{parts.scheme}: links are not allowed"
    return None


def checkable(url: str) -> bool:
    return url[:8].lower().startswith(("http://", "https://"))


def normalise(url: str) -> str:
    """The form two URLs are compared in: scheme and host lower-cased, no fragment or trailing slash."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}{path}{query}"
