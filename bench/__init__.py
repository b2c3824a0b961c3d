"""Benchmarks: each prints ratios against a baseline measured in the same run."""


def compile_package() -> None:
    """Write our modules' bytecode, as installing a wheel does, before anything is timed: from a
    source tree where nothing writes it (PYTHONDONTWRITEBYTECODE is set on this project's
    machines), each timed run would otherwise compile every module again."""
    import compileall
    from pathlib import Path

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "src"), quiet=1)
