"""TR: tracks as a whole: requirements covered, hours, difficulty and depth rising, materials present."""

from __future__ import annotations


from trackdesign.analysis import bloom
from trackdesign.spec.problems import Problem
from trackdesign.lint.registry import Option, rule
from trackdesign.analysis.coverage import teaches, terms_of


def _track_courses(context, spec):
    return [(i, context.catalog.courses[c]) for i, c in enumerate(spec.model.courses) if c in context.catalog.courses]


@rule("TR01", "requirement-not-covered")
def requirement_not_covered(context):
    """A track requirement names a term (`covers`) that no course in the track teaches.

    A course teaches a term when its title, description, objectives, outline or tags mention it.

    Bad:
        requirements:
          - name: Provide marketable skills from day 1
            covers: [keras, pytorch, tensorflow]   # and no course mentions PyTorch

    Good:
        courses: [..., deep-learning-with-pytorch]   # which teaches PyTorch
    """
    for spec in context.catalog.tracks.values():
        if not any(requirement.covers for requirement in spec.model.requirements):
            continue
        vocab = [(course, terms_of(context.catalog, course.id)) for _, course in _track_courses(context, spec)]
        for r, requirement in enumerate(spec.model.requirements):
            for t, term in enumerate(requirement.covers):
                if not any(teaches(words, term) for _, words in vocab):
                    yield Problem(spec, f"requirement {requirement.name!r} covers {term!r}, which no course in the"
                                  " track teaches", ("requirements", r, "covers", t),
                                  hint=f"add a course that teaches {term}, or mention it where it is taught")


@rule("TR02", "hours-over-budget", options={
    "max_hours": Option(40.0, "most hours a track should take (sum of its courses' hours)", float),
})
def hours_over_budget(context):
    """A track whose courses add up to more hours than the budget (40 by default).

    Courses without `hours` count as zero; the message says how many those are.

    Bad:
        courses: [a, b, c]   # 20 + 15 + 12 hours

    Good:
        courses: [a, b]      # 35 hours
    """
    budget = context.options["max_hours"]
    for spec in context.catalog.tracks.values():
        courses = [c for _, c in _track_courses(context, spec)]
        total = sum(c.model.hours or 0 for c in courses)
        unknown = sum(c.model.hours is None for c in courses)
        if total > budget:
            extra = f" ({unknown} course{'s' if unknown != 1 else ''} without hours not counted)" if unknown else ""
            yield Problem(spec, f"track takes {total:g} hours, over the budget of {budget:g}{extra}", ("courses",),
                          key=True, hint="drop or shorten a course, or raise max_hours")


@rule("TR03", "difficulty-decreases")
def difficulty_decreases(context):
    """A course less difficult than the course before it in the track.

    Tracks should build from simple to advanced; a drop usually means a misplaced course.

    Bad:
        courses: [advanced-keras, intro-keras]   # difficulty 4, then 2

    Good:
        courses: [intro-keras, advanced-keras]   # difficulty 2, then 4
    """
    for spec in context.catalog.tracks.values():
        previous = None
        for i, course in _track_courses(context, spec):
            level = course.model.difficulty
            if level is None:
                continue
            if previous is not None and level < previous[1]:
                yield Problem(spec, f"{course.id!r} (course {i + 1}, difficulty {level}) follows"
                              f" {previous[0]!r} (difficulty {previous[1]})", spec.model.course_path(i),
                              hint="reorder the courses, or revisit their difficulty")
            previous = (course.id, level)


@rule("TR04", "missing-materials", options={
    "required": Option(["slides"], "materials every course in a track must have", list),
})
def missing_materials(context):
    """A course in a track flagged as lacking required materials (slides by default).

    Bad:
        title: Deep Learning with PyTorch
        slides: false

    Good:
        title: Deep Learning with PyTorch
        slides: true
    """
    required = context.options["required"]
    for spec in context.catalog.tracks.values():
        for _, course in _track_courses(context, spec):
            for material in required:
                if getattr(course.model, material, None) is False:
                    yield Problem(course, f"course has no {material} (required for courses in track {spec.id!r})",
                                  (material,), hint=f"add {material} to the course", related=[spec.display])


@rule("TR05", "bloom-level-decreases", options={
    "min_drop": Option(1.0, "how far (in Bloom levels) later courses may sit below earlier ones", float),
})
def bloom_level_decreases(context):
    """A track whose later courses' objectives sit lower in Bloom's taxonomy than its earlier ones'.

    Each course's level is the mean Bloom level of its objectives' verbs (remember 1 ... create 6);
    the message lists them in track order. The track is flagged when the mean of its second half is
    lower than the mean of its first half by at least `min_drop`.

    Bad:
        # course 1: design, create (6)    course 2: define, list (1)

    Good:
        # course 1: describe, explain (2)  course 2: build, evaluate (4)
    """
    verbs = bloom.bloom_verbs()
    for spec in context.catalog.tracks.values():
        levels = []
        for _, course in _track_courses(context, spec):
            level = bloom.mean_level(course.model, verbs)
            if level is not None:
                levels.append((course.id, level))
        if len(levels) < 2:
            continue
        half = len(levels) // 2
        first = sum(v for _, v in levels[:half]) / half
        second = sum(v for _, v in levels[half:]) / (len(levels) - half)
        if first - second >= context.options["min_drop"]:
            shown = ", ".join(f"{cid} {value:.1f}" for cid, value in levels)
            yield Problem(spec, f"objectives get shallower along the track: mean Bloom level {first:.1f} in the"
                          f" first half, {second:.1f} in the second ({shown})", ("courses",), key=True,
                          hint="move deeper courses later, or raise the later courses' objectives")
