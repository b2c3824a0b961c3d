"""Write files so that a reader (or a crash) never sees half of one: temporary file, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text(path: Path | str, text: str) -> None:
    """UTF-8 text, newlines exactly as given."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path | str, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path` (keeping its mode).

    Only a regular file is replaced so: a device (`-o /dev/null`), a pipe or a symbolic link
    is written through, as a shell redirection would.
    """
    path = Path(path)
    if os.path.lexists(path) and (path.is_symlink() or not path.is_file()):
        with open(path, "wb") as handle:
            handle.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
