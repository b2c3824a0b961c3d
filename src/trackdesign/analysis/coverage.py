"""What a course teaches, as stemmed words, and whether it teaches a term: the basis of a track's
requirement coverage (TR01), its alignment matrix and its comparisons with other tracks."""

from __future__ import annotations

from trackdesign.analysis.prose import prose
from trackdesign.analysis.text import content_stems


def course_terms(spec) -> set[str]:
    """Stemmed words of everything a course says it teaches (title, description, objectives, outline, tags)."""
    words: set[str] = set()
    for path, text in prose(spec):
        if path and path[0] == "notes":
            continue
        words.update(content_stems(text))
    for tag in spec.model.tags:
        words.update(content_stems(tag))
    return words


def terms_of(catalog, course_id: str) -> set[str]:
    """`course_terms` of a catalog's course, once per catalog: a course sits in several tracks and documents."""
    terms = catalog.memo("course_terms", dict)
    if course_id not in terms:
        terms[course_id] = course_terms(catalog.courses[course_id])
    return terms[course_id]


def teaches(words: set[str], term: str) -> bool:
    wanted = content_stems(term)
    return bool(wanted) and all(w in words for w in wanted)
