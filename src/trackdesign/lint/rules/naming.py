"""NM: names and text: titles within tracks, spellings across the catalog, encoding damage."""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from importlib import resources
from urllib.parse import urlparse

from trackdesign.spec.problems import Problem
from trackdesign.lint.registry import Option, rule
from trackdesign.analysis.prose import NOT_PROSE, prose_index
from trackdesign.analysis.text import SMALL_WORDS, WORD, content_stems
from trackdesign.spec.ids import slugify


def _track_titles(context):
    """(track spec, [(position, course spec, title)]) for each track: known courses of the designer's own.

    External resources keep the titles their authors gave them; their naming is not ours to judge.
    """
    courses = context.catalog.courses
    for spec in context.catalog.tracks.values():
        yield spec, [(i, courses[c], courses[c].model.title) for i, c in enumerate(spec.model.courses)
                     if c in courses and not courses[c].model.external]


@rule("NM01", "course-shares-track-title")
def course_shares_track_title(context):
    """A course in a track has the track's own title.

    Learners and colleagues cannot tell which one "Deep Learning in Python" means.

    Bad:
        # tracks/deep-learning-in-python.yaml    title: Deep Learning in Python
        # courses/deep-learning-in-python.yaml   title: Deep Learning in Python

    Good:
        # courses/deep-learning-in-python.yaml   title: Introduction to Deep Learning in Python
    """
    for track, titles in _track_titles(context):
        for _, course, title in titles:
            if title.strip().casefold() == track.model.title.strip().casefold():
                yield Problem(course, f"course title {title!r} is also the title of track {track.id!r}", ("title",),
                              hint=f"rename the course, e.g. 'Introduction to {title}'", related=[track.display])


@rule("NM02", "inconsistent-title-pattern", options={
    "min_share": Option(0.6, "share of a track's titles that makes an ending the track's pattern", float),
})
def inconsistent_title_pattern(context):
    """A title breaks the pattern most titles in its track follow, such as ending "in Python".

    Also flags "Intro to" in a catalog that otherwise writes "Introduction to" (or the reverse).

    Bad:
        # track titles: "Deep Learning in Python", "Introduction to TensorFlow in Python",
        #               "Convolutional Neural Networks for Image Processing"

    Good:
        # ...          "Convolutional Neural Networks for Image Processing in Python"
    """
    min_share = context.options["min_share"]
    for track, titles in _track_titles(context):
        if len(titles) < 3:
            continue
        endings = None
        for size in (3, 2, 1):
            counts = Counter(" ".join(t.split()[-size:]).casefold() for _, _, t in titles if len(t.split()) > size)
            ending, count = counts.most_common(1)[0] if counts else ("", 0)
            if count / len(titles) >= min_share and count < len(titles) and ending not in SMALL_WORDS:
                endings = ending
                break
        if not endings:
            continue
        # the ending as the first title that has it writes it ("in Python", not "in python")
        shown = next(" ".join(t.split()[-len(endings.split()):]) for _, _, t in titles
                     if t.casefold().endswith(" " + endings))
        for _, course, title in titles:
            if not title.casefold().endswith(" " + endings):
                yield Problem(course, f"title {title!r} does not end in {shown!r} like most titles in track"
                              f" {track.id!r}", ("title",), hint=f"consider '{title} {shown}'", related=[track.display])
    yield from _intro_variants(context)


def _intro_variants(context):
    styles = defaultdict(list)
    for spec in context.catalog.courses.values():
        lowered = spec.model.title.casefold()
        if lowered.startswith("intro to "):
            styles["Intro to"].append(spec)
        elif lowered.startswith("introduction to "):
            styles["Introduction to"].append(spec)
    if len(styles) == 2:
        minority, majority = sorted(styles, key=lambda s: (len(styles[s]), s))
        others = len(styles[majority])
        start = "other title starts" if others == 1 else "other titles start"
        for spec in styles[minority]:
            yield Problem(spec, f"title starts {minority!r} where {others} {start} {majority!r}", ("title",),
                          hint=f"write {majority!r}")


_DIGIT = re.compile(r"[0-9]")  # WORD's tokens are ASCII


class WordStyles(dict):
    """A title word -> what it says of its title's style: CAPITAL, LOWER, or 0 for nothing (a proper
    noun, a small word, a number, an acronym or brand); worked out once per word: titles repeat
    few words."""

    def __init__(self, proper: frozenset[str] = frozenset()):
        super().__init__()
        self.proper = proper  # words the catalog always capitalises (Keras, Python): they fit either style

    def __missing__(self, token: str) -> int:
        tail = token[1:]
        if token in self.proper or token.lower() in SMALL_WORDS or _DIGIT.search(token) or tail != tail.lower():
            style = 0  # acronyms and brands (TensorFlow, CNN) say nothing about style
        else:
            style = CAPITAL if token[0].isupper() else LOWER
        self[token] = style
        return style


CAPITAL, LOWER = 1, 2


def title_style(title: str, words: WordStyles) -> str | None:
    """'title' (Title Case), 'sentence' (Sentence case), or None when a title cannot tell, from
    what its words after the first say (`words`)."""
    styles = list(map(words.__getitem__, WORD.findall(title)[1:]))
    return style_of(styles.count(CAPITAL), styles.count(LOWER))


def style_of(capital: int, lower: int) -> str | None:
    """The style that `capital` capitalised and `lower` lower-case words make, if they make one."""
    if capital and not lower:
        return "title"
    if lower and not capital:
        return "sentence"
    if capital != lower and min(capital, lower) <= max(capital, lower) / 3:
        return "title" if capital > lower else "sentence"
    return None


@rule("NM03", "inconsistent-capitalization")
def inconsistent_capitalization(context):
    """Titles side by side use different capitalization styles (Title Case vs Sentence case).

    Compared among the courses of a track, and among the chapter and lesson titles of a course.
    Proper nouns and acronyms are allowed in either style.

    Bad:
        # track titles: "Deep Learning in Python", "Deep learning with Keras in Python"

    Good:
        # track titles: "Deep Learning in Python", "Deep Learning with Keras in Python"
    """
    words = WordStyles(_proper_nouns(context.catalog))
    for track, titles in _track_titles(context):
        yield from _style_outliers([(course, ("title",), title) for _, course, title in titles],
                                   f"the other course titles of track {track.id!r}", words)
    for spec in context.catalog.courses.values():
        chapters = spec.model.chapters
        yield from _style_outliers([(spec, ("chapters", i, "title"), c.title) for i, c in enumerate(chapters)],
                                   "the other chapter titles", words)
        yield from _style_outliers([(spec, ("chapters", i, "lessons", k, "title"), lesson.title)
                                    for i, c in enumerate(chapters) for k, lesson in enumerate(c.lessons)],
                                   "the other lesson titles", words)


def _proper_nouns(catalog) -> frozenset[str]:
    """Title words the catalog's prose capitalises mid-sentence and never writes in lower case (Keras).

    Titles are not evidence (their capitals are the style in question), only descriptions,
    objectives and notes are; and only words that occur in titles need a verdict.
    """
    written = prose_index(catalog)
    titles, others = [], []
    for k, (_, path) in enumerate(written.places):
        (titles if path and path[-1] == "title" else others).append(k)
    title_counts = written.uses_in(titles)
    # a word is written after a text's first word where it occurs more often than it starts a text
    starts = Counter(map(written.first_word, others))
    inside = {t for t, n in written.uses.items() if n > title_counts[t] + starts[t]}
    candidates = {t.lower() for t in title_counts if not t.islower()}
    lowered = {t for t in title_counts if t.islower() and t in candidates}
    capitalised = {t for t in inside if t.lower() in candidates and t != t.lower()}
    lowered |= {t for t in inside if t in candidates}  # written in lower case mid-sentence
    known = {t for t in _vocabulary([]).values() if t[0].isupper()}
    return frozenset(t for t in capitalised if t.lower() not in lowered) | known


def _style_outliers(items, others, words: WordStyles):
    if len(items) < 2:
        return
    styles = [(spec, path, title, title_style(title, words)) for spec, path, title in items]
    counts = Counter(style for *_, style in styles if style)
    if len(counts) < 2:
        return
    (major, major_count), (minor, minor_count) = counts.most_common(2)
    if major_count == minor_count:
        return
    name = {"title": "Title Case", "sentence": "Sentence case"}
    for spec, path, title, style in styles:
        if style == minor:
            yield Problem(spec, f"{title!r} is in {name[minor]} but {major_count} of {others} are in {name[major]}",
                          path, hint=f"write it in {name[major]}")


def _vocabulary(extra: list[str]) -> dict[str, str]:
    text = resources.files("trackdesign").joinpath("data/terms.txt").read_text(encoding="utf-8")
    terms = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {t.casefold(): t for t in terms + list(extra)}


def _mixed(token: str) -> bool:
    """Capitals inside a word (TensorFlow), not merely at the start of its parts (Hands-On)."""
    if token.islower():
        return False  # most words: no capital at all
    parts = re.split(r"[-'’]", token)
    return any(any(c.isupper() for c in part[1:]) for part in parts) and any(c.islower() for c in token)


@rule("NM04", "term-variant", options={
    "terms": Option([], "canonical spellings to enforce on top of the built-in vocabulary", list),
    "min_count": Option(2, "uses of a mixed-case spelling before it counts as the catalog's own", int),
})
def term_variant(context):
    """A term spelled two ways across the catalog, such as TensorFlow and Tensorflow.

    The canonical spelling comes from the vocabulary (built in, extended by the `terms` option) or,
    for terms not in it, from the catalog's own most frequent mixed-case spelling. A capital first
    letter alone (a sentence start) is not a variant; tags, ids and URLs are not checked.

    Bad:
        description: You will use Tensorflow 2.0 to build models.

    Good:
        description: You will use TensorFlow 2.0 to build models.
    """
    vocabulary = _vocabulary(context.options["terms"])
    uses: dict[str, Counter] = defaultdict(Counter)
    written = prose_index(context.catalog)
    for word, count in written.uses.items():
        uses[word.casefold()][word] += count
    canonical = dict(vocabulary)
    for key, counter in uses.items():
        if key in canonical or len(counter) < 2:
            continue
        mixed = [(n, s) for s, n in counter.items() if _mixed(s)]
        if mixed:
            count, spelling = max(mixed)
            # the catalog's own spelling only when it is most of the uses (VisIt is not "visit")
            if count >= context.options["min_count"] and count * 2 > sum(counter.values()):
                canonical[key] = spelling
    for key, counter in uses.items():
        if key not in canonical and len(counter) == 1:
            spelling = next(iter(counter))
            if _mixed(spelling):
                canonical[key] = spelling  # for joined forms: "Alpha Go" against "AlphaGo"
    # each spelling's verdict once, not each use's: whether it has a canonical spelling to be
    # checked against and, when it is reported on its own, the spelling to suggest
    checked: set[str] = set()
    reported_as: dict[str, str] = {}
    for key, counter in uses.items():
        right = canonical.get(key)
        if right is None or (len(counter) == 1 and key not in vocabulary):
            continue  # no variant of anything (a single spelling is no variant of itself)
        checked.update(counter)
        for spelling in counter:
            if _is_variant(spelling, right, key, vocabulary):
                reported_as[spelling] = right
    # words, as written, that begin a mixed-case term and may join the next word into it ("Alpha
    # Go" for "AlphaGo"): spellings of each term's beginnings, a set as large as the spellings
    # written (a table of every head and tail spelling would grow with their product)
    joined = {key for key, spelling in canonical.items() if _mixed(spelling)}
    heads = {head for key in joined for i in range(1, len(key)) for head in uses.get(key[:i], ())}
    yield from _variants_written(written, reported_as, checked, heads, joined, canonical, vocabulary)


def _variants_written(written, reported_as, checked, heads, joined, canonical, vocabulary):
    """NM04's problems in the order the words are written: each reported spelling once per text,
    and each pair of words (the first no spelling of its own) joining into a term of `joined`."""
    wanted = set(reported_as) | heads
    wanted_pieces = {piece for piece, words in written.words_of.items() if not wanted.isdisjoint(words)}
    for n, (spec, path) in enumerate(written.places):
        if wanted_pieces.isdisjoint(written.pieces[n]):
            continue
        words = written.words(n)
        reported: set[str] = set()
        for k, token in enumerate(words):
            if token in checked:
                if token in reported_as and token not in reported:
                    reported.add(token)
                    right = reported_as[token]
                    yield Problem(spec, f"{token!r} is spelled {right!r} elsewhere", path, hint=f"write {right!r}")
            elif token in heads and k + 1 < len(words) and (
                    key := token.casefold() + words[k + 1].casefold()) in joined:
                following = words[k + 1]  # not a variant alone, but joined with the next word
                shown, right = f"{token} {following}", canonical[key]
                if shown not in reported and _is_variant(shown, right, token.casefold(), vocabulary):
                    reported.add(shown)
                    yield Problem(spec, f"{shown!r} is spelled {right!r} elsewhere", path, hint=f"write {right!r}")


def _is_variant(token: str, right: str, key: str, vocabulary) -> bool:
    """Whether `token` (a word, or two joined by a space) is reported as a variant of `right`."""
    if token[1:] == right[1:]:
        return False  # a capital first letter alone: a sentence start
    if token.isupper() and len(token) > 1 and key not in vocabulary:
        return False  # codes and acronyms (MED, AUD) are not spellings of MEd or AuD
    # only mixed-case terms (or lower-case terms written capitalised mid-word) are checked
    return " " in token or _mixed(right) or (token != token.lower() and right == right.lower())


@rule("NM05", "near-duplicate-titles", options={
    "min_ratio": Option(0.9, "similarity (0-1) of normalised titles that counts as a near duplicate", float),
    "catalog": Option(False, "also compare titles across the whole catalog (exact after normalising)", bool),
})
def near_duplicate_titles(context):
    """Two courses whose titles are the same or nearly so, after case, punctuation and plurals.

    Within a track this is almost always a mistake; across a catalog it often is (turn on `catalog`).

    Bad:
        # track titles: "Recurrent Neural Networks in Python", "Recurrent Neural Network in Python"

    Good:
        # track titles: "Recurrent Neural Networks in Python", "Generative Deep Learning in Python"
    """
    ratio = context.options["min_ratio"]
    seen = set()
    tracks = [(track, [(course, title, " ".join(content_stems(title))) for _, course, title in titles])
              for track, titles in _track_titles(context)]
    compare_all = sum(len(normal) ** 2 for _, normal in tracks) <= 2 * ALL_PAIRS_UP_TO
    for track, normal in tracks:
        pairs = (((a, b) for a in range(len(normal)) for b in range(a + 1, len(normal))) if compare_all
                 else _candidate_pairs(normal, ratio))
        for a, b in pairs:
            (ca, ta, na), (cb, tb, nb) = normal[a], normal[b]
            if ca is cb or (ca.id, cb.id) in seen:
                continue
            if na == nb or _near(na, nb, ratio):
                seen.add((ca.id, cb.id))
                yield Problem(cb, f"title {tb!r} nearly duplicates {ta!r} ({ca.id}) in track {track.id!r}",
                              ("title",), hint="make the titles say how the courses differ", related=[ca.display])
    if context.options["catalog"]:
        groups = defaultdict(list)
        for spec in context.catalog.courses.values():
            groups[" ".join(content_stems(spec.model.title))].append(spec)
        for _, specs in sorted(groups.items()):
            for spec in specs[1:]:
                if (specs[0].id, spec.id) not in seen:
                    yield Problem(spec, f"title {spec.model.title!r} duplicates {specs[0].model.title!r}"
                                  f" ({specs[0].id})" + (f" and {len(specs) - 2} more" if len(specs) > 2 else ""),
                                  ("title",), hint="make the titles say how the courses differ",
                                  related=[specs[0].display])


def _near(a: str, b: str, ratio: float) -> bool:
    """Whether SequenceMatcher's ratio of `a` and `b` reaches `ratio`, asked after its two cheap
    upper bounds (lengths, shared characters), as `difflib.get_close_matches` does: few pairs of
    titles get as far as the exact ratio."""
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() >= ratio and matcher.quick_ratio() >= ratio and matcher.ratio() >= ratio


#: A catalog whose tracks hold at most this many pairs of titles in all compares every pair
#: exactly: fewer comparisons than it takes time to import numpy for the pruning.
ALL_PAIRS_UP_TO = 20_000


def _candidate_pairs(normal, ratio):
    """Index pairs (a < b) that can reach a SequenceMatcher ratio of `ratio`, in order.

    Two sound bounds prune the pairs before the exact ratio: lengths (2 min / (la + lb), so with
    titles sorted by length each is compared with a window of similar lengths only) and shared
    characters (SequenceMatcher's quick_ratio, computed for the window at once with numpy). A
    programme of thousands of courses is then not compared pair by pair in Python.
    """
    import numpy as np

    texts = [n[2] for n in normal]
    # character counts per title, all at once: code points, their alphabet, one bincount
    points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    alphabet, letters = np.unique(points, return_inverse=True)
    rows = np.repeat(np.arange(len(texts)), [len(t) for t in texts])
    width = max(1, len(alphabet))
    counts = np.bincount(rows * width + letters.ravel(), minlength=len(texts) * width)
    counts = counts.reshape(len(texts), width).astype(np.int16)
    lengths = counts.sum(axis=1, dtype=np.int64)
    order = np.argsort(lengths, kind="stable")
    counts, lengths = counts[order], lengths[order]
    reach = np.searchsorted(lengths, lengths * (2 - ratio) / ratio + 1e-9, side="right")
    pairs = []
    for start in range(0, len(texts) - 1, 64):  # 64 titles at a time against their shared window
        stop = min(start + 64, len(texts) - 1)
        low, high = start + 1, int(reach[stop - 1])  # lengths ascend, so the last title reaches furthest
        if high <= low:
            continue
        shared = np.minimum(counts[start:stop, None, :], counts[None, low:high, :]).sum(axis=2, dtype=np.int64)
        total = lengths[start:stop, None] + lengths[None, low:high]
        columns = np.arange(low, high)[None, :]
        inside = (columns > np.arange(start, stop)[:, None]) & (columns < reach[start:stop, None])
        close = inside & ((total == 0) | (2 * shared >= ratio * total - 1e-9))
        for row, column in zip(*(axis.tolist() for axis in np.nonzero(close))):
            a, b = int(order[start + row]), int(order[low + column])
            pairs.append((a, b) if a < b else (b, a))
    pairs.sort()
    return pairs


CODE_ID = re.compile(r"^[a-z]{1,8}[-_.]?\d+[a-z0-9]*(?:-[a-z0-9]{1,3})*$")


def _similarity(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


@rule("NM06", "id-title-mismatch", options={
    "min_similarity": Option(0.6, "share of words (0-1) an id or URL slug must share with the title", float),
})
def id_title_mismatch(context):
    """A course id or URL slug that says something other than the title.

    Usually a course renamed without its id, or an id copied from another course. Ids that are codes
    (`cse-100`) and URLs whose last segment is not a slug are not compared.

    Bad:
        # courses/intro-to-python-for-data-science.yaml
        title: Introduction to Python

    Good:
        # courses/intro-to-python-for-data-science.yaml
        title: Introduction to Python for Data Science
    """
    threshold = context.options["min_similarity"]
    for spec in context.catalog.courses.values():
        if spec.model.external:
            continue
        title = spec.model.title
        checks = []
        if not CODE_ID.match(spec.id):
            checks.append(("id", spec.id, ()))
        if spec.model.url:
            segment = urlparse(spec.model.url).path.rstrip("/").rsplit("/", 1)[-1]
            if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)+", segment) and segment != spec.id and not CODE_ID.match(segment):
                checks.append(("URL slug", segment, ("url",)))
        for what, slug, path in checks:  # few courses have any: their titles' words only then
            score = _similarity(content_stems(slug), content_stems(title))
            if score < threshold:
                yield Problem(spec, f"{what} {slug!r} does not match title {title!r} ({score:.0%} of words shared)",
                              path or ("title",), hint=f"the title's slug would be {slugify(title)!r}")


@rule("NM07", "title-too-long", options={
    "max_length": Option(60, "longest title allowed, in characters", int),
})
def title_too_long(context):
    """A course or track title longer than the limit (60 characters by default).

    Long titles are cut off in catalog cards and search results.

    Bad:
        title: Recurrent Neural Networks for Sequence Processing and Language Modeling in Python

    Good:
        title: Recurrent Neural Networks for Sequence Processing in Python
    """
    limit = context.options["max_length"]
    for spec in context.catalog.specs():
        title = spec.model.title
        if len(title) > limit and not (spec.kind == "course" and spec.model.external):
            yield Problem(spec, f"title is {len(title)} characters long (limit {limit})", ("title",),
                          hint="shorten it; move detail to the description")


_MOJIBAKE_HINT = re.compile(r"[ÂÃâ][\u0080-\u00ff\u0152-\u0178\u02c6-\u02dc\u2013-\u203a\u20ac\u2122]")


@rule("NM08", "encoding-damage")
def encoding_damage(context):
    """Text damaged by an encoding mix-up (mojibake), such as `couldnâ€™t` for `couldn’t`.

    Usually text copied from a web page that was decoded with the wrong character set. The hint
    shows the repaired text (repair by ftfy).

    Bad:
        description: Not long ago, computer vision algorithms couldnâ€™t tell cats from dogs.

    Good:
        description: Not long ago, computer vision algorithms couldn’t tell cats from dogs.
    """
    for spec in context.catalog.specs():
        for path, text in spec.strings:
            if text.isascii() or not NOT_PROSE.isdisjoint(path) or not _MOJIBAKE_HINT.search(text):
                continue
            yield from _damage(spec, path, text)


def _damage(spec, path, text):
    """The NM08 problem of a suspect text, if ftfy repairs it."""
    import ftfy  # only for a suspect text: its import costs more than the scan of a catalog

    fixed = ftfy.fix_text(text, normalization=None, uncurl_quotes=False)
    if fixed != text:
        bad, good = _first_difference(text, fixed)
        yield Problem(spec, f"text damaged by encoding: {bad!r} should read {good!r}", path,
                      hint=f"replace with the repaired text: {good!r}")


def _first_difference(text: str, fixed: str) -> tuple[str, str]:
    a, b = text.split(" "), fixed.split(" ")
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            return " ".join(a[i1:i2]), " ".join(b[j1:j2])
    return text, fixed


@rule("NM09", "title-line-break", severity="warning")
def title_line_break(context):
    """A title (of a course, track, chapter, lesson or stage) that spans lines.

    A title is one line in every document: a line break inside it splits a Markdown heading in two
    and ends a table row early. YAML keeps line breaks in a `|` block or a quoted "\\n".

    Bad:
        title: |
          Deep Learning
          in Python

    Good:
        title: Deep Learning in Python
    """
    for spec in context.catalog.specs():
        for path, text in spec.strings:
            if path and path[-1] == "title" and ("\n" in text.strip() or "\r" in text.strip()):
                yield Problem(spec, f"title {text.strip()!r} spans {len(text.strip().splitlines())} lines", path,
                              hint=f"write it on one line: {' '.join(text.split())!r}")
