"""Benchmarks: each prints ratios against a baseline measured in the same run."""


def compile_package() -> None:
    """Write our modules' bytecode, as installing a wheel does, before anything is timed: from a
    source tree where nothing writes it (PYTHONDONTWRITEBYTECODE is set on this project's
    machines), each timed run would otherwise compile every module again."""
    import compileall
    from pathlib import Path

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "src"), quiet=1)


def run_command(args: list[str], cwd=None) -> tuple[float, float, float, int, str, str]:
    """(wall seconds, CPU seconds, peak MB, exit status, stdout, stderr) of `trackdesign ARGS` run
    from this source tree in a process of its own, without the lint cache."""
    import os
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "TRACKDESIGN_NO_CACHE": "1", "PYTHONPATH": str(root / "src")}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "trackdesign", *args], stdout=out, stderr=err, env=env,
                                   cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own CPU time and peak memory
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode,
                out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))
