"""A function run in a forked child while this process goes on with other work (`Beside`), or
parts of a job shared out between the two and handed back part by part (`Streamed`).

A child forked after loading shares the loaded catalog (copy-on-write: nothing is parsed or sent
twice); its return value comes back pickled through a pipe. If the child fails in any way (an
exception, a signal, an answer cut short), `result()` calls the function here instead: a failure
costs time, never an answer. Where forking is not the platform's way (`cores.can_fork`) the
function simply runs here when its result is asked for.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import struct
import sys
import tempfile
from functools import partial

from trackdesign.cores import can_fork


def _fork(send) -> tuple[int, int]:
    """(pid, reading end of a pipe) of a child that runs `send(writing end)` and leaves without
    running any of this process's exit code: status 0 if `send` returned, 1 if it raised.
    OSError when no process or pipe is to be had."""
    sys.stdout.flush()
    sys.stderr.flush()
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        raise
    if pid == 0:
        os.close(read)
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            send(write)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass


class Beside:
    """`function()` computed in a forked child, started at once; `result()` waits for it."""

    def __init__(self, function, fork: bool = True):
        self._function = function
        self._pid: int | None = None
        self._pipe: int | None = None
        if fork and can_fork():
            self._start()

    @property
    def forked(self) -> bool:
        return self._pid is not None

    def _start(self) -> None:
        def send(write: int) -> None:
            with os.fdopen(write, "wb") as out:
                out.write(pickle.dumps(self._function(), protocol=pickle.HIGHEST_PROTOCOL))
        try:
            self._pid, self._pipe = _fork(send)
        except OSError:  # no process to be had (a limit reached): `result()` computes it here
            pass

    def result(self):
        """The child's answer, or the function's value computed here when the child gave none."""
        if self._pid is not None:
            with os.fdopen(self._pipe, "rb") as pipe:
                data = pipe.read()
            _, status = os.waitpid(self._pid, 0)
            self._pid = self._pipe = None
            if os.waitstatus_to_exitcode(status) == 0:
                try:
                    return pickle.loads(data)
                except Exception:  # noqa: BLE001 - a truncated answer is a failed child
                    pass
        return self._function()

    def abandon(self) -> None:
        """Stop a child whose answer is no longer wanted (an error elsewhere, Ctrl-C)."""
        if self._pid is not None:
            _stop(self._pid)
            os.close(self._pipe)
            self._pid = self._pipe = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.abandon()


class Tickets:
    """The numbers 0 to count - 1, each taken once, by whichever process asks first.

    They wait on a pipe made before a fork, two bytes each, so that the parent and the child draw
    from one queue: a read of a pipe takes the bytes it asks for whole while they are there, so two
    processes reading two bytes at a time never split or share a number. Iterating takes numbers
    until none are left.
    """

    _NUMBER = struct.Struct("<H")
    LIMIT = 1 << 15  # two bytes each fill the 64 KiB a pipe holds: the writer must not wait

    def __init__(self, count: int):
        if not 0 <= count <= self.LIMIT:
            raise ValueError(f"{count} tickets: at most {self.LIMIT}")
        read, write = os.pipe()
        try:
            data = memoryview(b"".join(self._NUMBER.pack(n) for n in range(count)))
            while data:
                data = data[os.write(write, data):]
        finally:
            os.close(write)
        self._pipe: int | None = read

    def __iter__(self):
        while self._pipe is not None:
            data = os.read(self._pipe, self._NUMBER.size)
            if not data:
                self.close()
                break
            yield self._NUMBER.unpack(data)[0]

    def close(self) -> None:
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None


class Claims:
    """Numbers, each claimed once, by whichever process claims it first.

    A claim creates the number's file in a folder made before a fork, with O_EXCL: the system
    lets one creation succeed. Unlike `Tickets`, each process claims in an order of its own (the
    rules' child from one end of a list, its parent from the other).
    """

    def __init__(self):
        self._folder: str | None = tempfile.mkdtemp(prefix="trackdesign-claims-")

    def claim(self, number: int) -> bool:
        if self._folder is None:
            return False
        try:
            os.close(os.open(os.path.join(self._folder, str(number)), os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            return False
        return True

    def close(self) -> None:
        """Remove the folder (in the process that made it; a child leaves it alone)."""
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


class Streamed:
    """`work(part)` for each of `parts`, shared out with a forked child that hands its values over
    part by part.

    Both processes take the next part nobody has taken (`Tickets`), so neither waits for the other
    by more than one part, however the machine's speed shifts the costs (a fixed share left this
    process waiting 0.06-0.15 s for the child at the end of loading 10,000 courses). `Beside`
    answers once, at the end, and a parent that unpickles a big answer does so alone; here the
    child writes each part's value (pickled, or as `encode` writes it) to a shared temporary file
    as soon as it is done and says where on a pipe (a few bytes: the child never waits for the
    parent), and this process takes what is there between its own parts. Parts the child took and
    did not deliver (it failed), and every part where the platform cannot fork, are computed here.
    """

    _NOTE = struct.Struct("<QQQ")  # part number, offset in the file, length

    def __init__(self, parts: list, work, fork: bool = True, encode=None, decode=None):
        self._parts, self._work = parts, work
        # how a part's value travels: pickled, unless the caller knows a faster way for its values
        self._encode = encode or partial(pickle.dumps, protocol=pickle.HIGHEST_PROTOCOL)
        self._decode = decode or pickle.loads
        self._values: dict[int, object] = {}
        self._pid: int | None = None
        self._pipe: int | None = None
        self._file = None
        self._tickets: Tickets | None = None
        self._pending = b""
        if fork and can_fork() and 1 < len(parts) <= Tickets.LIMIT:
            self._start()

    @property
    def forked(self) -> bool:
        return self._pid is not None

    def _start(self) -> None:
        try:
            self._file = tempfile.TemporaryFile()
        except OSError:  # nowhere to write parts to: every part is computed here
            return
        self._tickets = Tickets(len(self._parts))
        try:
            self._pid, self._pipe = _fork(self._send)
        except OSError:  # no process to be had (a limit reached): every part is computed here
            self._file.close()
            self._tickets.close()
            self._file = self._tickets = None
            return
        os.set_blocking(self._pipe, False)

    def _send(self, write: int) -> None:
        """In the child: the value of each part it takes into the file, and where it is onto the pipe."""
        file, offset = self._file.fileno(), 0
        for number in self._tickets:
            data = self._encode(self._work(self._parts[number]))
            written = 0
            while written < len(data):
                written += os.pwrite(file, memoryview(data)[written:], offset + written)
            os.write(write, self._NOTE.pack(number, offset, len(data)))  # 24 bytes: written whole
            offset += len(data)

    def take(self) -> None:
        """Read back the parts the child has delivered so far, without waiting for more."""
        if self._pipe is None:
            return
        try:
            while self._read_notes():
                pass
        except BlockingIOError:
            pass

    def _read_notes(self) -> bool:
        """Read back the parts the notes now on the pipe point at; False once the child has closed it."""
        chunk = os.read(self._pipe, 1 << 16)
        if not chunk:
            return False
        data = self._pending + chunk
        size = self._NOTE.size
        whole = len(data) - len(data) % size
        for at in range(0, whole, size):
            number, offset, length = self._NOTE.unpack_from(data, at)
            try:
                self._values[number] = self._decode(os.pread(self._file.fileno(), length, offset))
            except Exception:  # noqa: BLE001 - a part that cannot be read back is computed here
                pass
        self._pending = data[whole:]
        return True

    def results(self, finish=None) -> list:
        """Each part's value in order, as `finish(part, value)` makes it (the value itself without
        one): this process computes and finishes the parts nobody has taken, finishing what the
        child delivers between them and while it waits for the child's last parts."""
        finish = finish or (lambda part, value: value)
        done: dict[int, object] = {}

        def settle():  # the delivered parts, finished
            for number in list(self._values):
                done[number] = finish(self._parts[number], self._values.pop(number))
        if self._tickets is not None:
            for number in self._tickets:
                done[number] = finish(self._parts[number], self._work(self._parts[number]))
                self.take()
                settle()
        if self._pid is not None:
            os.set_blocking(self._pipe, True)
            while self._read_notes():
                settle()
            os.waitpid(self._pid, 0)
            self._close()
        settle()
        return [done[n] if n in done else finish(part, self._work(part)) for n, part in enumerate(self._parts)]

    def _close(self) -> None:
        os.close(self._pipe)
        self._file.close()
        if self._tickets is not None:
            self._tickets.close()
        self._pid = self._pipe = self._file = self._tickets = None

    def abandon(self) -> None:
        """Stop a child whose parts are no longer wanted (an error elsewhere, Ctrl-C)."""
        if self._pid is not None:
            _stop(self._pid)
            self._close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.abandon()
