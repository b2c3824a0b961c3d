"""Starting from nothing: `trackdesign init` and `trackdesign new course|track ID`.

The files come from commented templates shipped in the package (`spec/templates/`), so a designer
learns the format by reading what was written. Nothing is ever overwritten: a run that would
replace a file writes nothing at all and says which file is in the way.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from string import Template

from trackdesign.spec.ids import ID_PATTERN

EXAMPLE_COURSE, EXAMPLE_TRACK = "exploring-data-with-python", "data-analysis-essentials"
SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


class ScaffoldError(Exception):
    """A file is in the way, or an id is not one (exit 2)."""


def template(name: str) -> Template:
    return Template(resources.files("trackdesign.spec").joinpath("templates", name).read_text(encoding="utf-8"))


def title_of(spec_id: str) -> str:
    """'deep-learning-in-python' -> 'Deep Learning in Python': a first title for the designer to correct."""
    words = [w for w in re.split(r"[-_.]+", spec_id) if w]
    return " ".join(w if i and w in SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def init(root: Path) -> list[Path]:
    """A specs folder with a commented config, example course and example track."""
    files = {
        root / "trackdesign.toml": template("trackdesign.toml").template,
        root / "courses" / f"{EXAMPLE_COURSE}.yaml": template("example-course.yaml").template,
        root / "tracks" / f"{EXAMPLE_TRACK}.yaml": template("example-track.yaml").substitute(course=EXAMPLE_COURSE),
    }
    return _write_new(files, root)


def new_course(root: Path, course_id: str, title: str | None = None) -> Path:
    _check_id(course_id, "course")
    text = template("course.yaml").substitute(title=_plain(title or title_of(course_id)))
    return _write_new({root / "courses" / f"{course_id}.yaml": text}, root)[0]


def new_track(root: Path, track_id: str, courses: list[str], title: str | None = None) -> Path:
    _check_id(track_id, "track")
    if not courses:
        raise ScaffoldError("a track lists at least one course: give the ids of its courses after its id")
    for cid in courses:
        _check_id(cid, "course")
    listed = "\n".join(f"  - {cid}" for cid in courses)
    text = template("track.yaml").substitute(title=_plain(title or title_of(track_id)), courses=listed)
    return _write_new({root / "tracks" / f"{track_id}.yaml": text}, root)[0]


def _check_id(spec_id: str, kind: str) -> None:
    if not ID_PATTERN.match(spec_id):
        raise ScaffoldError(f"{spec_id!r} is not a {kind} id: use lower-case letters, digits and hyphens"
                            f" (e.g. {re.sub(r'[^a-z0-9]+', '-', spec_id.lower()).strip('-') or 'my-' + kind})")


def _plain(title: str) -> str:
    """A title as a YAML value that reads back as itself (quoted where YAML would read it otherwise)."""
    import json

    import yaml

    try:
        if yaml.safe_load(f"k: {title}") == {"k": title} and "#" not in title:
            return title
    except yaml.YAMLError:
        pass
    return json.dumps(title, ensure_ascii=False)


def _write_new(files: dict[Path, str], root: Path) -> list[Path]:
    """Write every file, or none when any exists already (in any form the loader reads: .yml too)."""
    from trackdesign.atomic import write_text

    taken = [p for p in files if p.exists() or p.with_suffix(".yml").exists() or _elsewhere(root, p)]
    if taken:
        raise ScaffoldError("; ".join(f"{p} exists already" for p in taken) + "; nothing was written")
    for path, text in files.items():
        write_text(path, text)
    return list(files)


def _elsewhere(root: Path, path: Path) -> bool:
    """A spec of the same id in a subfolder (the loader reads courses/**/*.yaml)."""
    folder = path.parent
    if path.suffix != ".yaml" or folder.parent != root or not folder.is_dir():
        return False
    return any(folder.rglob(f"{path.stem}.yaml")) or any(folder.rglob(f"{path.stem}.yml"))
