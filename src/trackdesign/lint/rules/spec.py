"""SP: the spec files themselves. SP01-SP03 are found by the loader, SP05 by the engine.

SP01-SP03 mean a file is not (wholly) in the catalog: the lint exits 2 when any is reported, as for
any input error. SP04 and SP05 are findings like the other families' (exit 1 at the fail level).
"""

from __future__ import annotations

from trackdesign.spec.problems import DUPLICATE_ID, NOT_YAML, OFF_FORMAT, Problem
from trackdesign.lint.registry import UNUSED_SUPPRESSION, rule


def _found_elsewhere(context):
    """The loader or engine reports these; the function exists to carry the documentation."""
    return iter(())


@rule("SP01", "invalid-yaml", severity="error", found_by=NOT_YAML)
def invalid_yaml(context):
    """A spec file is not well-formed YAML (or not text we can read).

    The file is left out of the catalog, so nothing else about it is checked until it parses, and
    the lint exits with status 2. Duplicate keys count as invalid: YAML parsers silently keep the
    last one, losing the first.

    Bad:
        title: Deep Learning in Python
        title: Introduction to Deep Learning in Python

    Good:
        title: Introduction to Deep Learning in Python
    """
    return _found_elsewhere(context)


@rule("SP02", "schema-violation", severity="error", found_by=OFF_FORMAT)
def schema_violation(context):
    """A spec file does not follow the spec format (unknown key, wrong type, missing title...).

    What breaks the format is left out (an unknown key, a list holding a bad item) and the rest of
    the spec is checked; a spec without a valid title is left out whole. The lint exits with
    status 2. `trackdesign schema` prints the format as a JSON Schema for editor completion.

    Bad:
        title: Deep Learning in Python
        prerequisite: [intermediate-python-for-data-science]
        hours: four

    Good:
        title: Deep Learning in Python
        prerequisites: [intermediate-python-for-data-science]
        hours: 4
    """
    return _found_elsewhere(context)


@rule("SP03", "duplicate-id", severity="error", found_by=DUPLICATE_ID)
def duplicate_id(context):
    """Two spec files give the same id (same stem in two folders, or `.yml` beside `.yaml`).

    Ids are file stems and must be unique, compared without case, since links and prerequisites
    name them. The second file is left out, and the lint exits with status 2.

    Bad:
        courses/python/intro-to-python.yaml
        courses/legacy/intro-to-python.yml

    Good:
        courses/python/intro-to-python.yaml
        courses/legacy/intro-to-python-2017.yml
    """
    return _found_elsewhere(context)


@rule("SP04", "unresolved-reference", severity="error")
def unresolved_reference(context):
    """A track names a course or a track that does not exist.

    Courses are named in `courses`, stages, `entry_requirements` and the portfolio; tracks in `compare_with`.
    A spec whose file exists but does not load is not unknown: SP01 or SP02 says what is wrong with it.

    Bad:
        # tracks/deep-learning.yaml
        courses: [deep-learning-in-pyhton]

    Good:
        courses: [deep-learning-in-python]   # courses/deep-learning-in-python.yaml exists
    """
    catalog = context.catalog
    for spec, path, kind, name in catalog.unresolved():
        close = catalog.close_id(kind, name)
        where = ".".join(str(p) for p in path[:-1])
        yield Problem(spec, f"unknown {kind} {name!r} in `{where}`", path,
                      hint=f"did you mean {close!r}?" if close else f"add {kind}s/{name}.yaml or fix the id")


@rule("SP05", "unused-suppression", severity="warning", found_by=UNUSED_SUPPRESSION)
def unused_suppression(context):
    """An inline `# trackdesign: ignore[CODE]` comment that suppresses nothing.

    A suppression outliving its finding hides the next, unrelated finding on that line.

    Bad:
        prerequisites:
          - intermediate-python-for-data-science  # trackdesign: ignore[PR01]

    Good:
        prerequisites:
          - intro-to-python-for-data-science  # trackdesign: ignore[PR01] kept on purpose for search
          - intermediate-python-for-data-science
    """
    return _found_elsewhere(context)
