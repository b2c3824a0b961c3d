"""Write files so that a reader (or a crash) never sees half of one, and nothing else is disturbed.

A regular file (or a new one) is written to a temporary file beside it, flushed to disk, and
renamed over it; the folder is flushed too, so the rename survives a power cut. A file that can be
made again, and whose maker notices when it was not (the documents of a build), may skip both
flushes (`durable=False`): readers still never see half of it. The temporary
file is removed on any error or interrupt (the command line turns SIGTERM into one); only a
SIGKILL mid-write can leave it. A new file gets the mode the umask gives; a replaced one keeps
its mode.

Anything else at the path is written through, never renamed over: a device (`-o /dev/null`), a
FIFO, and a symlink, whose target is written (atomically, when it is a regular file) so the link
stays a link.

Every failure is a `WriteError` naming the path and the reason (a folder, a path under a file, a
read-only folder, a full disk), which the command line reports as an input error (exit 2).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path


class WriteError(OSError):
    """A file that cannot be written where asked: `path` and a `reason` a user can act on."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"cannot write {path}: {reason}")
        self.path = Path(path)
        self.reason = reason
        self.strerror, self.filename = reason, str(path)  # as an OSError names them


def write_text(path: Path | str, text: str, durable: bool = True) -> None:
    """UTF-8 text, newlines exactly as given."""
    write_bytes(path, text.encode("utf-8"), durable)


def write_bytes(path: Path | str, data: bytes, durable: bool = True) -> None:
    """`data` at `path`: atomically for a regular or new file, written through for anything else."""
    path = Path(path)
    stream = _STREAMS.get(str(path))
    if stream is not None:  # the process's own stream, as the shell opened it (appending, say)
        _write_all(stream, data)
        return
    try:
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            mode = None
        except NotADirectoryError:
            raise WriteError(path, "a folder on its way is a file") from None
        if mode is not None and stat.S_ISDIR(mode):
            raise WriteError(path, "it is a folder (name a file)")
        if mode is not None and not stat.S_ISREG(mode):
            _write_through(path, data)
            return
        target = Path(os.path.realpath(path)) if path.is_symlink() else path  # the file a link names is replaced
        _make_parent(path, target.parent)
        _replace(target, data, None if mode is None else stat.S_IMODE(mode), durable)
    except WriteError:
        raise
    except OSError as exc:
        raise WriteError(path, _reason(exc)) from None


def _make_parent(path: Path, parent: Path) -> None:
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # something that is not a folder has the name of one on the way
        raise WriteError(path, "a folder on its way is a file") from None
    except NotADirectoryError:
        raise WriteError(path, "a folder on its way is a file") from None


#: Names of the process's own output streams, written to as they are open.
_STREAMS = {"/dev/stdout": 1, "/dev/fd/1": 1, "/proc/self/fd/1": 1, "/dev/stderr": 2, "/dev/fd/2": 2,
            "/proc/self/fd/2": 2}


def _write_all(fd: int, data: bytes) -> None:
    """All of `data` to `fd`: a write may take only part of it (a pipe, a signal)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _write_through(target: Path, data: bytes) -> None:
    """Write into a device, FIFO or other special file as it is (opening a FIFO waits for a reader)."""
    with open(target, "wb", buffering=0) as handle:
        _write_all(handle.fileno(), data)


def _replace(target: Path, data: bytes, keep_mode: int | None, durable: bool) -> None:
    folder = target.parent
    tmp, handle = _new_temporary(folder, target.name)
    try:
        with handle:
            _write_all(handle.fileno(), data)
            if keep_mode is not None:
                os.fchmod(handle.fileno(), keep_mode)
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:  # an interrupt too: the temporary file goes with the error
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        _sync_folder(folder)


def _new_temporary(folder: Path, name: str):
    """(path, open file) of a new temporary file beside the target, made by `open`'s exclusive
    mode ("x"): the umask gives it its mode, as it gives a file the shell makes (tempfile.mkstemp
    makes 0600, which the renamed file would keep), and nothing already there is written through."""
    for _ in range(8):
        tmp = folder / f".{name}.{secrets.token_hex(8)}.tmp"
        try:
            return tmp, open(tmp, "xb", buffering=0)
        except FileExistsError:  # 64 random bits taken: as good as never
            continue
    raise OSError(errno.EEXIST, "no free temporary name")


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a system where folders cannot be opened (Windows): the rename is all there is
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    reasons = {errno.EACCES: "permission denied (is the folder read-only?)", errno.EPERM: "not permitted",
               errno.EROFS: "the file system is read-only", errno.ENOSPC: "no space left on the device",
               errno.EISDIR: "it is a folder (name a file)", errno.ENOTDIR: "a folder on its way is a file",
               errno.ENAMETOOLONG: "the name is too long", errno.EDQUOT: "disk quota exceeded"}
    return reasons.get(exc.errno, exc.strerror or str(exc))
