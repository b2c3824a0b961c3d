"""The terms of a catalog's text, counted: what the overlap index is built from.

A term is a stemmed content word or a pair of adjacent ones ("deep learn", "neural network").
Every text of the catalog is read for terms at once, so counting works on arrays rather than on a
string per word: each distinct space-free piece of text is read for words once, words and pairs
become numbers, and the counts become one sparse (CSR) row per text, weighted by TF-IDF after.
"""

from __future__ import annotations

import re
import string

import numpy as np
from scipy import sparse

from trackdesign.analysis.text import Numbering, StemsOrNone, byte_table, pieces

TOKEN = re.compile(r"[a-z][a-z0-9+#]*(?:[-'][a-z0-9]+)*")

#: Words that say nothing about what a course teaches: English stop words and course-speak.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most my
myself no nor not now of off on once only or other our ours ourselves out over own same she should so
some such than that the their theirs them themselves then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your
yours yourself yourselves s t don
course courses learner learners able will student students lesson lessons chapter
chapters using used know introduction intro introduces introduced cover covers covered
topic topics include includes including well much many one two new way ways get make also first
prerequisite prerequisites consent instructor department units unit credit credits enrollment
teach teaches taught teaching video videos youtube playlist article articles book books tutorial tutorials
blog post podcast episode episodes website online free overview
""".split())


#: word -> stem, None for a stop word (cached: catalogs reuse few words)
_STEMS = StemsOrNone(lambda word: word in STOP_WORDS or len(word) < 2)


def text_terms(text: str, surface: dict | None = None) -> list[str]:
    """Stemmed content words, plus each pair of adjacent ones ("deep learn", "neural network")."""
    stems = _STEMS
    words = TOKEN.findall(text.lower())
    result = []
    previous = None
    for word in words:
        s = stems[word]
        if s is None:
            previous = None
            continue
        result.append(s)
        if previous is not None:
            result.append(previous + " " + s)
        previous = s
    if surface is not None:
        remember_surface(words, surface)
    return result


def remember_surface(words, surface):
    """Count in `surface` how `words` write each stem and pair of stems: 'networks', not 'network'."""
    previous = None
    for word in words:
        s = _STEMS.get(word)
        if s is None:
            previous = None
            continue
        surface[s][word] += 1
        if previous is not None:
            surface[previous[0] + " " + s][previous[1] + " " + word] += 1
        previous = (s, word)


_WORD_STEM: dict[str, int] = {}  # word -> stem number (-1: a stop word), shared by every index
_STEM_NAMES: list[str] = []
_STEM_NUMBER = Numbering()
_PAIR_BITS = 31
_PAIR = np.int64(1 << _PAIR_BITS)  # code of a word pair: (first + 1) * _PAIR + second


def _number_words(words) -> None:
    """Give each word not seen before its stem number (-1 for a stop word)."""
    for word in set(words).difference(_WORD_STEM):
        s = _STEMS[word]
        number = -1 if s is None else _STEM_NUMBER[s]
        if number == len(_STEM_NAMES):
            _STEM_NAMES.append(s)
        _WORD_STEM[word] = number


class Terms:
    """The term of each column, spelled out when asked: evidence names a few dozen terms, and a
    string for every term of the catalog (hundreds of thousands in a large one) would hold memory
    for nothing."""

    __slots__ = ("codes",)

    def __init__(self, codes):
        self.codes = codes

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, column: int) -> str:
        if column >= len(self.codes):
            return ""  # the one empty column of a catalog without words
        code = int(self.codes[column])
        if code < _PAIR:
            return _STEM_NAMES[code]
        return _STEM_NAMES[code // _PAIR - 1] + " " + _STEM_NAMES[code % _PAIR]

    def columns(self, terms: list[str]) -> np.ndarray:
        """The columns of those of `terms` (stems or "stem stem" pairs) the catalog uses."""
        codes = []
        for term in set(terms):
            numbers = [_STEM_NUMBER.get(part) for part in term.split(" ")]
            if None not in numbers:
                codes.append(numbers[0] if len(numbers) == 1 else (numbers[0] + 1) * int(_PAIR) + numbers[1])
        return np.flatnonzero(np.isin(self.codes, codes)).astype(np.int64)


def count_terms(texts: list[str], fields: tuple[str, ...]) -> tuple[Terms, dict]:
    """The vocabulary (in order of first use) and, per field, a CSR matrix of term counts.

    `texts` holds each course's `fields` in order. Same terms as `text_terms` (stems and pairs of
    adjacent stems), found with one split of the texts (`_word_stems`) and array arithmetic for the rest.
    """
    code_parts, kept_parts = [], []
    for start in range(0, len(texts), 20_000):  # in batches: their words are held as strings till numbered
        ids, lengths = _word_stems(texts[start:start + 20_000])
        ends = np.cumsum(lengths)
        ids = np.insert(ids, ends, -1)  # -1 after each text: no pair across texts
        previous = np.full_like(ids, -1)
        previous[1:] = ids[:-1]
        pair = np.where((ids >= 0) & (previous >= 0), (previous + 1) * _PAIR + ids, -1)
        codes = np.stack([ids, pair], axis=1).ravel()  # each word, then the pair it ends: first-use order
        keep = codes >= 0
        code_parts.append(codes[keep])
        # how many terms each text kept, summed over its own span of `codes` (its words and pairs and
        # the -1 after it, so never empty): no running count as long as every use
        starts = np.multiply(ends - lengths + np.arange(len(ends)), 2)
        kept_parts.append(np.add.reduceat(keep, starts, dtype=np.int64) if len(starts) else starts)
    codes = np.concatenate(code_parts) if code_parts else np.zeros(0, dtype=np.int64)
    del code_parts
    columns, column_codes = _first_use_columns(codes)
    del codes
    vocabulary = Terms(column_codes)
    # one row per text (course-major: course i's field f is row 5i + f), then each field's rows
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    if kept_parts:
        np.cumsum(np.concatenate(kept_parts), out=indptr[1:])
    every = sparse.csr_matrix((np.ones(len(columns), dtype=np.float32), columns, indptr),
                              shape=(len(texts), max(len(vocabulary), 1)))
    del columns
    every.sum_duplicates()
    counts = {name: every[f::len(fields)] for f, name in enumerate(fields)}
    return vocabulary, counts


_CUT = "\x01"  # between texts split together
#: Bytes a TOKEN can hold, and the cut; every other byte of lower-cased text becomes a space, so
#: that TOKEN's matches in a text are its matches in each of the text's space-free pieces.
_TOKEN_BYTES = byte_table(string.ascii_lowercase + string.digits + "+#'-" + _CUT)


class _Pieces(dict):
    """A space-free piece of text -> its number, noting the stem numbers of the TOKENs in it (most
    pieces are one word; "3d-printing" holds the word "d-printing", "--" none): filled on first sight."""

    def __init__(self):
        super().__init__()
        self.starts: list[int] = []
        self.counts: list[int] = []
        self.stems: list[int] = []

    def __missing__(self, piece: bytes) -> int:
        words = TOKEN.findall(piece.decode("ascii").replace(_CUT, " "))
        _number_words(words)
        self.starts.append(len(self.stems))
        self.counts.append(len(words))
        self.stems.extend(map(_WORD_STEM.__getitem__, words))
        number = self[piece] = len(self.starts) - 1
        return number


_PIECES = _Pieces()


def _word_stems(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The stem number of every TOKEN of `texts` (-1 for a stop word), in order, and how many each
    text has: `TOKEN.findall(text.lower())` numbered, from one split of all the texts rather than a
    regular-expression scan and a string per word (most of the cost of building the index)."""
    lowered = f" {_CUT} ".join(texts).lower()
    if lowered.count(_CUT) != len(texts) - 1:  # a text holds the cut itself (an escape): one by one
        found = [TOKEN.findall(text.lower()) for text in texts]
        words = [w for text_words in found for w in text_words]
        _number_words(words)
        return (np.fromiter(map(_WORD_STEM.__getitem__, words), dtype=np.int64, count=len(words)),
                np.array([len(w) for w in found], dtype=np.int64))
    found = pieces(lowered, _TOKEN_BYTES)
    numbers = np.fromiter(map(_PIECES.__getitem__, found), dtype=np.int64, count=len(found))
    del found
    starts = np.array(_PIECES.starts, dtype=np.int64)[numbers]
    counts = np.array(_PIECES.counts, dtype=np.int64)[numbers]
    # the stems of each piece in turn: stems[starts[k]:starts[k] + counts[k]] for every piece k
    before = np.cumsum(counts)
    total = int(before[-1]) if len(before) else 0
    ids = np.array(_PIECES.stems, dtype=np.int64)[np.repeat(starts - (before - counts), counts) + np.arange(total)]
    cuts = before[numbers == _PIECES[_CUT.encode()]]  # words before each cut
    return ids, np.diff(np.concatenate([[0], cuts, [total]])).astype(np.int64)


def _first_use_columns(codes):
    """The column of each term use, columns numbered in order of first use, and each column's code.

    Single stems are numbers below the number of stems, so a stem's first use is one array
    reduction; only word pairs need sorting to find which uses are of the same pair (a search of
    every use in the sorted distinct codes costs more). Arrays the size of every use (tens of
    millions in a large catalog) are let go as soon as they have served.
    """
    uses = len(codes)
    is_pair = codes >= _PAIR
    pairs_at = np.flatnonzero(is_pair)
    order, ordered = _sorted_pairs(codes[pairs_at], len(_STEM_NAMES))
    starts = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    pair_codes = ordered[starts]
    del ordered
    first_pair = pairs_at[order[starts]]
    pair_of = np.empty(len(order), dtype=np.int32)
    pair_of[order] = np.cumsum(starts, dtype=np.int32) - 1
    del order, starts
    singles_at = np.flatnonzero(~is_pair)
    del is_pair
    singles = codes[singles_at]
    first_single = np.full(len(_STEM_NAMES), uses, dtype=np.int64)
    np.minimum.at(first_single, singles, singles_at)
    stems = np.flatnonzero(first_single < uses)
    first = np.concatenate([first_single[stems], first_pair])
    by_first = np.argsort(first)  # positions of first use are all different
    column = np.empty(len(first), dtype=np.int32)
    column[by_first] = np.arange(len(first), dtype=np.int32)
    columns = np.empty(uses, dtype=np.int32)
    stem_column = np.zeros(len(_STEM_NAMES), dtype=np.int32)
    stem_column[stems] = column[:len(stems)]
    columns[singles_at] = stem_column[singles]
    del singles, singles_at
    columns[pairs_at] = column[len(stems):][pair_of]
    return columns, np.concatenate([stems, pair_codes])[by_first]


def _sorted_pairs(pairs, stems: int):
    """(order, pairs[order]) with `order` sorting `pairs` (codes of two of `stems` stems) stably:
    the first of equal pairs is their first use. `pairs` is used up (its memory holds the result).

    Where each pair, numbered densely (first stem * stems + second), and its place fit in 63 bits
    together, sorting those numbers is the stable sort, and cheaper than numpy's stable argsort.
    The arithmetic is done in place: each array of every pair's use is as long as the catalog's
    prose, and a temporary for each step would add to the lint's peak memory.
    """
    place_bits = max(len(pairs) - 1, 1).bit_length()
    if stems * stems << place_bits >= 1 << 63:
        order = np.argsort(pairs, kind="stable")
        return order, pairs[order]
    keys = pairs  # the code (first + 1) * _PAIR + second, turned into the dense number and its place
    second = keys & (_PAIR - 1)
    keys >>= _PAIR_BITS
    keys -= 1
    keys *= stems
    keys += second
    del second
    keys <<= place_bits
    keys |= np.arange(len(keys), dtype=np.int64)
    keys.sort()
    order = keys & ((1 << place_bits) - 1)
    keys >>= place_bits
    second = keys % stems
    keys //= stems
    keys += 1
    keys <<= _PAIR_BITS
    keys |= second
    return order, keys


def tfidf(counts: dict, rows: int) -> tuple[dict, np.ndarray]:
    """Each field's counts as unit-length TF-IDF rows: sublinear term frequency (1 + ln tf) and the
    smoothed inverse document frequency ln((1 + n) / (1 + df)) + 1 of the whole catalog.

    The weighting of scikit-learn's TfidfTransformer (sublinear_tf, smooth_idf) and normalize
    (l2), written against scipy's sparse arrays so that a lint does not import scikit-learn
    (whose import costs more than linting a small catalog).
    """
    total = sum(counts.values())
    frequency = np.bincount(total.indices, minlength=total.shape[1]).astype(np.float32) + np.float32(1)
    idf = np.full_like(frequency, rows + 1)
    idf /= frequency
    np.log(idf, out=idf)
    idf += np.float32(1)
    weighted = {}
    for name, matrix in counts.items():
        matrix = matrix.astype(np.float32, copy=True)
        np.log(matrix.data, out=matrix.data)
        matrix.data += np.float32(1)
        matrix.data *= idf[matrix.indices]
        lengths = np.diff(matrix.indptr)
        squares = np.zeros(len(lengths))
        filled = lengths > 0
        squares[filled] = np.add.reduceat((matrix.data * matrix.data).astype(np.float64), matrix.indptr[:-1][filled])
        norms = np.sqrt(squares)
        norms[norms == 0] = 1.0
        matrix.data = (matrix.data / np.repeat(norms, lengths)).astype(np.float32)
        weighted[name] = matrix.tocsr()
    return weighted, idf
