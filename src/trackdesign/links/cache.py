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


class LinkCache:
    def __init__(self, path: str | Path, kind: str = "link"):
        self.path = Path(path)
        self.kind = kind  # "link", or "probe" for LK04's https probes

    def _connect(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10)
        connection.execute(SCHEMA)
        return connection

    def load(self, urls, max_age_hours: float, offline: bool) -> dict[str, Outcome]:
        """Stored outcomes still good to use for `urls`.

        Working links younger than the maximum age; for probes, any answer of that age; with
        `offline`, whatever is stored.
        """
        if not self.path.exists() or not urls:
            return {}
        found = {}
        oldest = time.time() - max_age_hours * 3600
        try:
            with self._connect() as connection:
                wanted = list(urls)
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start:start + 500]
                    rows = connection.execute(
                        "SELECT url, status, code, chain, final, reason, attempts, elapsed, checked FROM outcomes"
                        f" WHERE kind = ? AND url IN ({','.join('?' * len(chunk))})", [self.kind, *chunk])
                    for url, status, code, chain, final, reason, attempts, elapsed, checked in rows:
                        fresh = checked >= oldest and (self.kind == "probe" or status == "ok")
                        if offline or fresh:
                            found[url] = Outcome(url, status, code, json.loads(chain) if chain else [], final,
                                                 reason, attempts, elapsed, cached=True)
        except (sqlite3.DatabaseError, json.JSONDecodeError, TypeError):
            return {}  # an unreadable cache is only a slower run
        return found

    def store(self, outcomes) -> None:
        now = time.time()
        rows = [(self.kind, o.url, o.status, o.code, json.dumps(o.chain) if o.chain else None, o.final, o.reason,
                 o.attempts, o.elapsed, now) for o in outcomes if not o.cached]
        if not rows:
            return
        try:
            with self._connect() as connection:
                connection.executemany("INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.DatabaseError:
            pass
