"""Link answers kept between runs in one SQLite file, so a second run is near-instant.

Working links are trusted for `cache_max_age` hours; anything else is checked again next time
(except with `--offline`, which uses whatever is stored and checks nothing).
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from trackdesign.links.check import Outcome

#: One column per field, so that reading 10,000 answers back builds objects, not JSON documents.
SCHEMA = ("CREATE TABLE IF NOT EXISTS outcomes (kind TEXT NOT NULL, url TEXT NOT NULL, status TEXT NOT NULL,"
          " code INTEGER, chain TEXT, final TEXT, reason TEXT NOT NULL, attempts INTEGER NOT NULL,"
          " elapsed REAL NOT NULL, checked REAL NOT NULL, PRIMARY KEY (kind, url))")


#: What a row must hold to be used: anything else (a tampered or foreign file) is checked again.
STATUSES = frozenset({"ok", "broken", "unreachable", "unverified"})
SQLITE_MAGIC = b"SQLite format 3\x00"


class LinkCache:
    """The answers of one kind ("link", or "probe" for LK04's https probes) in one SQLite file.

    The cache only ever makes a run faster: a file that is no SQLite database, or one damaged
    inside, is replaced by an empty cache (when it is evidently ours to replace), a row that is
    not what `store` writes is ignored, and a folder where nothing can be written means no cache.
    """

    def __init__(self, path: str | Path, kind: str = "link"):
        self.path = Path(path)
        self.kind = kind

    def _connect(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10)
        try:
            connection.execute(SCHEMA)
            connection.execute("SELECT kind, url, status, code, chain, final, reason, attempts, elapsed, checked"
                                " FROM outcomes LIMIT 0")
        except BaseException:
            connection.close()
            raise
        return connection

    def _open(self):
        """A connection, rebuilding a damaged cache once; None when there can be no cache."""
        if self.path.exists() and not self.path.is_file():
            return None  # a folder or a device named like the cache: not ours to touch
        try:
            return self._connect()
        except sqlite3.OperationalError as exc:
            if not _damaged(exc) or not self._replaceable():
                return None  # locked, read-only, or someone else's file
        except sqlite3.DatabaseError:  # "file is not a database", "disk image is malformed"
            if not self._replaceable():
                return None
        except OSError:
            return None
        try:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return self._connect()
        except (OSError, sqlite3.DatabaseError):
            return None

    def _replaceable(self) -> bool:
        """Whether the damaged file is evidently a cache: a SQLite file, an empty one, or one named so."""
        try:
            with open(self.path, "rb") as handle:
                head = handle.read(len(SQLITE_MAGIC))
        except OSError:
            return False
        return head in (b"", SQLITE_MAGIC) or self.path.suffix in (".sqlite", ".sqlite3", ".db")

    def load(self, urls, max_age_hours: float, offline: bool) -> dict[str, Outcome]:
        """Stored outcomes still good to use for `urls`.

        Working links younger than the maximum age; for probes, any answer of that age; with
        `offline`, whatever is stored.
        """
        if not urls or not self.path.exists():
            return {}
        connection = self._open()
        if connection is None:
            return {}
        found = {}
        oldest = time.time() - max_age_hours * 3600
        try:
            with connection:
                wanted = list(urls)
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start:start + 500]
                    rows = connection.execute(
                        "SELECT url, status, code, chain, final, reason, attempts, elapsed, checked FROM outcomes"
                        f" WHERE kind = ? AND url IN ({','.join('?' * len(chunk))})", [self.kind, *chunk])
                    for row in rows:
                        outcome = _outcome(row, oldest, offline, self.kind)
                        if outcome is not None:
                            found[outcome.url] = outcome
        except sqlite3.DatabaseError:
            return {}  # damaged past the first page: rebuilt at the next store
        finally:
            connection.close()
        return found

    def store(self, outcomes) -> None:
        now = time.time()
        rows = [(self.kind, o.url, o.status, o.code, json.dumps(o.chain) if o.chain else None, o.final, o.reason,
                 o.attempts, o.elapsed, now) for o in outcomes if not o.cached]
        if not rows:
            return
        for _ in range(2):
            connection = self._open()
            if connection is None:
                return
            try:
                with connection:
                    connection.executemany("INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                           rows)
                return
            except sqlite3.OperationalError as exc:
                if not _damaged(exc):
                    return
            except sqlite3.DatabaseError:
                pass
            finally:
                connection.close()
            if not self._replaceable():
                return
            Path(self.path).unlink(missing_ok=True)  # damaged inside: start again, once


def _damaged(exc: sqlite3.OperationalError) -> bool:
    """An OperationalError that says the file is not the cache we write (rather than locked or read-only)."""
    text = str(exc).lower()
    return "no such column" in text or "no such table" in text or "malformed" in text or "columns but" in text


def _outcome(row, oldest: float, offline: bool, kind: str) -> Outcome | None:
    """The Outcome a row stores, or None when it is stale or not what `store` writes."""
    url, status, code, chain, final, reason, attempts, elapsed, checked = row
    if not (isinstance(url, str) and status in STATUSES and (code is None or type(code) is int)
            and (final is None or isinstance(final, str)) and isinstance(reason, str) and type(attempts) is int
            and isinstance(elapsed, (int, float)) and isinstance(checked, (int, float))):
        return None
    if not (offline or (checked >= oldest and (kind == "probe" or status == "ok"))):
        return None
    try:
        hops = json.loads(chain) if chain else []
    except (TypeError, ValueError, RecursionError):
        return None
    if not isinstance(hops, list) or not all(isinstance(h, list) and len(h) == 2 and isinstance(h[0], str)
                                             and type(h[1]) is int for h in hops):
        return None
    return Outcome(url, status, code, hops, final, reason, attempts, elapsed, cached=True)
