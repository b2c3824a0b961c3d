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

SCHEMA = ("CREATE TABLE IF NOT EXISTS links (kind TEXT NOT NULL, url TEXT NOT NULL, outcome TEXT NOT NULL,"
          " checked REAL NOT NULL, PRIMARY KEY (kind, url))")


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
                        f"SELECT url, outcome, checked FROM links WHERE kind = ? AND url IN"
                        f" ({','.join('?' * len(chunk))})", [self.kind, *chunk])
                    for url, text, checked in rows:
                        outcome = Outcome(**json.loads(text))
                        fresh = checked >= oldest and (self.kind == "probe" or outcome.status == "ok")
                        if offline or fresh:
                            outcome.cached = True
                            found[url] = outcome
        except (sqlite3.DatabaseError, json.JSONDecodeError, TypeError):
            return {}  # an unreadable cache is only a slower run
        return found

    def store(self, outcomes) -> None:
        rows = [(self.kind, o.url, json.dumps({**o.as_dict(), "cached": False}), time.time())
                for o in outcomes if not o.cached]
        if not rows:
            return
        try:
            with self._connect() as connection:
                connection.executemany("INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?)", rows)
        except sqlite3.DatabaseError:
            pass
