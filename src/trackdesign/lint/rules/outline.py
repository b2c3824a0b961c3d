"""OL: course outlines: shape, lessons' objectives, and objectives that meet."""

from __future__ import annotations

from trackdesign.analysis import bloom
from trackdesign.spec.problems import Problem
from trackdesign.lint.registry import Option, rule
from trackdesign.analysis.text import content_stems

#: Words too common in objectives to show that two of them are about the same thing.
GENERIC = frozenset(content_stems(
    "able learner learn course lesson chapter use using create make work different new given main based way ways"
    " various basic simple real full part also well will"))


class _Terms(dict):
    """A stem -> the term it gives (None: generic, or two letters or fewer), worked out once per
    stem. An objective's stems are stemmed a second time (`content_stems` of each), as when its
    stems were joined and read as a title; looked up, not joined and split again per objective."""

    def __init__(self, again: bool):
        super().__init__()
        self._again = again

    def __missing__(self, stem: str) -> str | None:
        word = stem
        if self._again:
            stems = content_stems(stem)
            word = stems[0] if stems else ""
        term = self[stem] = word if len(word) > 2 and word not in GENERIC else None
        return term


_TITLE_TERMS, _OBJECTIVE_TERMS = _Terms(again=False), _Terms(again=True)


def terms(text: str) -> set[str]:
    """Content terms of an objective: without its verb, small words and generic words."""
    return set(filter(None, map(_OBJECTIVE_TERMS.__getitem__, content_stems(bloom.strip_stem(text))[1:])))


def title_terms(text: str) -> set[str]:
    """Content terms of a title (which, unlike an objective, does not open with a verb)."""
    return set(filter(None, map(_TITLE_TERMS.__getitem__, content_stems(text))))


@rule("OL01", "outline-shape", options={
    "min_chapters": Option(4, "fewest chapters an outline should have", int),
    "max_chapters": Option(4, "most chapters an outline should have", int),
    "min_lessons": Option(3, "fewest lessons a chapter should have", int),
    "max_lessons": Option(4, "most lessons a chapter should have", int),
})
def outline_shape(context):
    """An outline whose shape is outside the template (by default 4 chapters of 3 to 4 lessons).

    Courses without an outline are not checked.

    Bad:
        chapters:
          - title: Everything
            lessons: [{title: One}, {title: Two}]

    Good:
        chapters:   # four chapters, each with three or four lessons
          - title: Generative deep learning for text
            lessons: [{title: Introducing it}, {title: Sampling}, {title: Parsing the dataset}]
    """
    o = context.options
    for spec in context.catalog.courses.values():
        chapters = spec.model.chapters
        if not chapters:
            continue
        if not o["min_chapters"] <= len(chapters) <= o["max_chapters"]:
            yield Problem(spec, f"outline has {len(chapters)} chapters; the template asks for"
                          f" {_range(o['min_chapters'], o['max_chapters'])}", ("chapters",), key=True)
        for i, chapter in enumerate(chapters):
            if not o["min_lessons"] <= len(chapter.lessons) <= o["max_lessons"]:
                yield Problem(spec, f"chapter {i + 1} {chapter.title!r} has {len(chapter.lessons)} lessons; the"
                              f" template asks for {_range(o['min_lessons'], o['max_lessons'])}",
                              ("chapters", i, "title"))


def _range(low, high):
    return str(low) if low == high else f"{low} to {high}"


@rule("OL02", "lesson-without-objectives")
def lesson_without_objectives(context):
    """A lesson in an outline with no objectives.

    Bad:
        lessons:
          - title: Looping over scales

    Good:
        lessons:
          - title: Looping over scales
            objectives: [write the loop over image scales of the DeepDream algorithm]
    """
    for spec in context.catalog.courses.values():
        for c, chapter in enumerate(spec.model.chapters):
            for k, lesson in enumerate(chapter.lessons):
                if not lesson.objectives:
                    yield Problem(spec, f"lesson {c + 1}.{k + 1} {lesson.title!r} has no objectives",
                                  ("chapters", c, "lessons", k, "title"))


@rule("OL03", "objective-not-taught", options={
    "min_shared": Option(2, "content terms an objective and a lesson must share to meet", int),
})
def objective_not_taught(context):
    """A course objective that no lesson teaches, or a lesson objective that serves no course objective.

    Matching is by shared content terms (stemmed, without the verb and common words) between the
    objective and the lesson's title, its chapter's title and its objectives.

    Bad:
        objectives: [create artificial images with DeepDream]
        chapters:   # ...only lessons about generating text

    Good:
        objectives: [create artificial images with DeepDream]
        chapters:
          - title: Implementing DeepDream with Keras
            lessons: [{title: Looping over scales, objectives: [create the DeepDream loop over image scales]}]
    """
    need = context.options["min_shared"]
    for spec in context.catalog.courses.values():
        course = spec.model
        if not course.chapters or not course.objectives:
            continue
        units = []  # each objective's and title's terms worked out once: stemming is the cost here
        for c, chapter in enumerate(course.chapters):
            chapter_terms = title_terms(chapter.title)
            for k, lesson in enumerate(chapter.lessons):
                titles = chapter_terms | title_terms(lesson.title)
                taught = [terms(o) for o in lesson.objectives]
                units.append((c, k, titles, taught, titles.union(*taught)))
        # (number, terms, how many of them a lesson must share) of each objective with terms
        goals = [(i, goal, min(need, len(goal))) for i, goal in enumerate(map(terms, course.objectives)) if goal]
        for i, goal, enough in goals:
            if not any(len(goal & unit) >= enough for *_, unit in units):
                yield Problem(spec, f"course objective {i + 1} is taught by no lesson: {course.objectives[i]!r}",
                              ("objectives", i), hint="add a lesson that teaches it, or reword the objective")
        for c, k, titles, taught, _ in units:
            for n, objective_terms in enumerate(taught):
                mine = objective_terms | titles
                if mine and all(len(mine & goal) < enough for _, goal, enough in goals):
                    objective = course.chapters[c].lessons[k].objectives[n]
                    yield Problem(spec, f"objective of lesson {c + 1}.{k + 1} serves no course objective:"
                                  f" {objective!r}", ("chapters", c, "lessons", k, "objectives", n),
                                  hint="link it to a course objective, or drop it")
