"""OB: learning objectives: measurable, real, present, and not too few or many."""

from __future__ import annotations

import re

from trackdesign.analysis import bloom
from trackdesign.spec.problems import Problem
from trackdesign.lint.registry import Option, rule


def objectives(spec, lessons: bool = True):
    """(path, text) for a course's objectives and, with `lessons`, its lessons' objectives."""
    course = spec.model
    for i, text in enumerate(course.objectives):
        yield ("objectives", i), text
    if lessons:
        for c, chapter in enumerate(course.chapters):
            for k, lesson in enumerate(chapter.lessons):
                for i, text in enumerate(lesson.objectives):
                    yield ("chapters", c, "lessons", k, "objectives", i), text


def in_scope(context, spec) -> bool:
    """Courses being designed: those in a track, and proposed or in-development ones anywhere.

    A catalog of live courses kept elsewhere (a university's) is not expected to carry objectives;
    the option `only_in_tracks = false` checks every course.
    """
    if spec.model.external:
        return False  # someone else's course: its objectives are as its authors state them
    if not context.options.get("only_in_tracks", True) or spec.model.status in ("proposed", "in-development"):
        return True
    return bool(context.catalog.memo("track_courses", lambda: {
        c for t in context.catalog.tracks.values() for c in t.model.courses
    }) & {spec.id})


@rule("OB01", "unmeasurable-objective", options={
    "unmeasurable": Option([], "replace the built-in list of unmeasurable verbs (empty: keep it)", list),
    "extra_unmeasurable": Option([], "verbs to flag on top of the list", list),
    "bloom_file": Option("", "a file of measurable verbs by Bloom level replacing data/bloom.txt", str),
})
def unmeasurable_objective(context):
    """An objective whose verb names no observable behaviour ("understand", "know", "learn").

    Nobody can check that a learner "understands"; they can check that the learner explains,
    compares or uses. The hint offers verbs of the matching level of Bloom's taxonomy.

    Bad:
        objectives:
          - understand how images are processed in a deep neural network

    Good:
        objectives:
          - explain how images are processed in a deep neural network
    """
    options = context.options
    table = bloom.unmeasurable_verbs(tuple(options["extra_unmeasurable"]),
                                     tuple(options["unmeasurable"]) if options["unmeasurable"] else None)
    verbs = bloom.bloom_verbs(options["bloom_file"] or None)
    leading_phrase = bloom.phrase_finder(table)
    for spec, path, _, lowered in _without_stems(context.catalog):
        phrase = leading_phrase(lowered)
        if phrase:
            level = table[phrase]
            alternatives = ", ".join(bloom.suggestions(level, verbs))
            yield Problem(spec, f"objective starts with {phrase!r}, which cannot be observed or assessed", path,
                          hint=f"use a measurable verb ({bloom.LEVEL_NAMES[level]}: {alternatives})")


def _without_stems(catalog) -> list[tuple]:
    """(spec, path, text without the stem, the same lower-cased) of every objective of every
    course, worked out once for OB01 and OB02."""
    def build():
        found = []
        for spec in catalog.courses.values():
            for path, text in objectives(spec):
                body = bloom.strip_stem(text)
                found.append((spec, path, body, body.lower()))
        return found
    return catalog.memo("objectives-without-stems", build)


PLACEHOLDER = re.compile(r"\{[^}]*\}|<[^>]*>|\[[^\]]*\](?!\()|\b(?:TBD|TBA|TODO|FIXME|XXX|lorem ipsum)\b|^\W*$|\.\.\.|…",
                         re.I)

_WORD_CHAR = re.compile(r"\w")


def _may_hold_placeholder(text: str, low: str) -> bool:
    """Whether `text` (`low` lower-cased) holds what every match of PLACEHOLDER does: the pattern
    is slow to fail, and almost every objective fails it (a chain of substring tests fails fast)."""
    return ("{" in low or "<" in low or "[" in low or "..." in low or "…" in low or "tb" in low or "todo" in low
            or "fixme" in low or "xxx" in low or "lorem ipsum" in low or not _WORD_CHAR.search(text))


@rule("OB02", "placeholder-objective", severity="error")
def placeholder_objective(context):
    """An objective that is empty, a bare stem, or template text left in ("TBD", "{choose ...}").

    Bad:
        objectives:
          - understand the dataset of texts from {choose your favorite philosopher}
          - TBD

    Good:
        objectives:
          - describe the dataset of texts by Friedrich Nietzsche
    """
    for spec, path, body, lowered in _without_stems(context.catalog):
        if not body or lowered.rstrip(". ") in ("learner will be able to", "be able to"):
            yield Problem(spec, "objective is empty: nothing after the stem", path,
                          hint="write what the learner will be able to do")
            continue
        if not _may_hold_placeholder(body, lowered):
            continue
        match = PLACEHOLDER.search(body)
        if match:
            yield Problem(spec, f"objective contains placeholder text {match.group(0)!r}", path,
                          hint="replace the placeholder with the real content")


@rule("OB03", "course-without-objectives", options={
    "only_in_tracks": Option(True, "check only courses in a track, or proposed or in development", bool),
})
def course_without_objectives(context):
    """A course with no learning objectives.

    Without objectives a course cannot be outlined, assessed or compared with its neighbours.
    Checked for courses in a track and for proposed or in-development courses; external and
    retired courses never.

    Bad:
        title: Deep Learning in Python

    Good:
        title: Deep Learning in Python
        objectives:
          - build neural networks with the Keras workflow
    """
    for spec in context.catalog.courses.values():
        course = spec.model
        if course.status in ("external", "retired") or course.objectives or not in_scope(context, spec):
            continue
        yield Problem(spec, f"course {spec.id!r} has no learning objectives", ("title",),
                      hint="add `objectives:` completing 'Learner will be able to ...'")


@rule("OB04", "objective-count", options={
    "min": Option(3, "fewest objectives a course should have", int),
    "max": Option(10, "most objectives a course should have", int),
    "only_in_tracks": Option(True, "check only courses in a track, or proposed or in development", bool),
})
def objective_count(context):
    """A course whose number of objectives is outside the configured range (3 to 10 by default).

    Too few and the course is underspecified; too many and it is a curriculum, not a course.

    Bad:
        objectives:
          - use Keras

    Good:
        objectives:
          - build a dense network with Keras
          - evaluate a model on held-out data
          - tune a network's hyperparameters
    """
    low, high = context.options["min"], context.options["max"]
    for spec in context.catalog.courses.values():
        count = len(spec.model.objectives)
        if count and not low <= count <= high and in_scope(context, spec):
            yield Problem(spec, f"course has {count} objective{'s' if count != 1 else ''}; expected {low} to {high}",
                          ("objectives",), key=True,
                          hint="split or merge objectives" if count > high else "add the objectives the course teaches")
