"""A hostile corpus of specs, most of it generated here: each case exits 0, 1 or 2 as documented
(2 exactly when a file is not wholly read: SP01-SP03), says where, and never prints a traceback.

Plus a seeded fuzz of mutated example specs: every one loads or is reported with its place, and
a lint over all of them runs to the end."""

from __future__ import annotations

import json
import math
import os
import random
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from trackdesign.cli import cli
from trackdesign.spec.loader import load_catalog
from trackdesign.spec.model import MAX_HOURS

ROOT = Path(__file__).resolve().parents[2]
GOOD = "title: Deep Learning in Python\n"
INPUT_CODES = {"SP01", "SP02", "SP03"}


def lint(root: Path, *args):
    result = CliRunner().invoke(cli, ["lint", "--specs", str(root), "--no-links", "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    assert result.exit_code in (0, 1, 2), result.output
    return result.exit_code, json.loads(result.stdout)


def specs_with(tmp_path: Path, name: str, content, kind: str = "courses") -> tuple[Path, Path]:
    root = tmp_path / "specs"
    (root / "courses").mkdir(parents=True)
    (root / "tracks").mkdir()
    (root / "courses" / "ok.yaml").write_text(GOOD, encoding="utf-8")
    target = root / kind / f"{name}.yaml"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return root, target


def assert_reported(code, findings, target: Path, line: int | None = None, part: str = ""):
    """Exit 2 and an input-error finding on `target` (at `line`, saying `part`)."""
    mine = [f for f in findings if f["path"].endswith(target.name) and f["code"] in INPUT_CODES]
    assert code == 2, findings
    assert mine, findings
    assert all(f["line"] >= 1 and f["column"] >= 1 for f in mine)
    if line is not None or part:
        assert any((line is None or f["line"] == line) and part in f["message"] for f in mine), mine


# --- the cases the issue names -----------------------------------------------------------------------

NAMED = [
    ("null key", "title: A\n~: x\n", 2, "unknown key '~'"),
    ("float key", "title: A\n1.5: x\n", 2, "unknown key '1.5'"),
    ("date key", "title: A\n2020-01-01: x\n", 2, "unknown key '2020-01-01'"),
    ("binary key", "title: A\n? !!binary aGk=\n: x\n", 2, "unknown key 'aGk='"),
    ("bool maybe", "title: A\nslides: !!bool maybe\n", 2, "cannot read value 'maybe'"),
    ("timestamp notadate", "title: A\nlive_since: !!timestamp notadate\n", 2, "cannot read value 'notadate'"),
    ("infinite hours", "title: A\nhours: .inf\n", 2, "hours: expected a finite number"),
    ("hours 1e999", "title: A\nhours: 1e999\n", 2, "hours: expected a finite number"),
    ("hours 1.0e+999", "title: A\nhours: 1.0e+999\n", 2, "hours: expected a finite number"),
    ("hours nan", "title: A\nhours: .nan\n", 2, "hours: expected a finite number"),
    ("hours beyond a year of study", "title: A\nhours: 50000\n", 2, "hours: input should be less than or equal to"),
    ("misspelt key", "title: A\ndescripton: x\n", 2, "unknown key 'descripton'; did you mean 'description'?"),
]


@pytest.mark.parametrize("name,content,line,part", NAMED, ids=[c[0] for c in NAMED])
def test_the_named_cases_are_input_errors_with_their_place(tmp_path, name, content, line, part):
    root, target = specs_with(tmp_path, "a", content)
    code, findings = lint(root)
    assert_reported(code, findings, target, line, part)


def test_an_alias_bomb_is_refused_by_what_it_expands_to(tmp_path):
    text = "title: A\nnotes:\n  - &o " + "x" * 18_000 + "\n" + "  - *o\n" * 8_000
    assert len(text) < 80_000
    root, target = specs_with(tmp_path, "a", text)
    code, findings = lint(root)
    assert_reported(code, findings, target, part="document expands to more than")


def test_aliases_within_bounds_still_read(tmp_path):
    text = "title: A\ntags: &t [keras, tensorflow]\nnotes:\n  - &n a note repeated\n  - *n\n"
    root, target = specs_with(tmp_path, "a", text)
    code, findings = lint(root)
    assert not [f for f in findings if f["code"] in INPUT_CODES]


@pytest.mark.parametrize("kind", ["dev-zero", "dev-urandom", "fifo", "folder", "too-large", "dangling", "loop"])
def test_spec_paths_that_are_no_regular_file_are_refused_without_reading_them(tmp_path, kind):
    root, target = specs_with(tmp_path, "a", GOOD)
    target.unlink()
    if kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "dev-urandom":
        target.symlink_to("/dev/urandom")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    elif kind == "too-large":
        target.write_text("title: A\ndescription: " + "x" * (5 << 20) + "\n", encoding="utf-8")
    elif kind == "dangling":
        target.symlink_to(tmp_path / "nowhere.yaml")
    else:
        target.symlink_to(target)
    code, findings = lint(root)
    if kind == "folder":  # a folder named like a spec is no spec file: walked past
        assert code in (0, 1) and not [f for f in findings if f["code"] in INPUT_CODES]
        return
    assert_reported(code, findings, target, 1, "")


def test_a_typo_leaves_out_only_the_bad_key_and_nothing_cascades(tmp_path):
    root, target = specs_with(tmp_path, "a", "title: Deep Learning with Keras\ndescripton: oops\n"
                                             "objectives: [build neural networks with keras]\n")
    (root / "courses" / "ok.yaml").write_text(GOOD + "prerequisites: [a]\n", encoding="utf-8")
    (root / "tracks" / "t.yaml").write_text("title: T\ncourses: [a, ok]\n", encoding="utf-8")
    code, findings = lint(root)
    assert code == 2
    assert [f["code"] for f in findings if f["code"] in ("PR03", "SP04")] == []
    assert [f["message"] for f in findings if f["code"] == "SP02"] == [
        "unknown key 'descripton'; did you mean 'description'?"]
    catalog = load_catalog(root)
    assert catalog.courses["a"].model.objectives == ["build neural networks with keras"]  # the rest was read


def test_a_file_that_does_not_load_at_all_is_no_unknown_reference(tmp_path):
    root, target = specs_with(tmp_path, "a", "title: [unclosed\n")
    (root / "courses" / "ok.yaml").write_text(GOOD + "prerequisites: [a]\n", encoding="utf-8")
    (root / "tracks" / "t.yaml").write_text("title: T\ncourses: [a, ok]\n", encoding="utf-8")
    code, findings = lint(root)
    assert_reported(code, findings, target, 2, "invalid YAML")
    assert not [f for f in findings if f["code"] in ("PR03", "SP04")]


def test_one_exit_rule_duplicate_ids_are_input_errors_unknown_references_findings(tmp_path):
    root, target = specs_with(tmp_path, "a", GOOD)
    (root / "courses" / "more").mkdir()
    (root / "courses" / "more" / "a.yml").write_text(GOOD, encoding="utf-8")
    code, findings = lint(root)
    assert code == 2 and [f["code"] for f in findings if f["code"] == "SP03"] == ["SP03"]
    shutil.rmtree(root / "courses" / "more")
    (root / "tracks" / "t.yaml").write_text("title: T\ncourses: [a, nowhere]\n", encoding="utf-8")
    code, findings = lint(root)
    assert code == 1 and [f["code"] for f in findings if f["code"].startswith("SP")] == ["SP04"]


def test_unknown_course_hints_stay_bounded_for_a_huge_track(tmp_path):
    root, _ = specs_with(tmp_path, "intro-to-python", "title: Intro to Python\n")
    names = [f"intro-to-pyhton-{k}" for k in range(20_000)]
    (root / "tracks" / "t.yaml").write_text("title: T\ncourses:\n" + "".join(f"  - {n}\n" for n in names),
                                            encoding="utf-8")
    code, findings = lint(root, "--select", "SP04")
    unknown = [f for f in findings if f["code"] == "SP04"]
    assert code == 1 and len(unknown) == len(names)
    assert unknown[0]["line"] == 3 and "unknown course 'intro-to-pyhton-0'" in unknown[0]["message"]


@pytest.mark.parametrize("hours", ["1e-9", "nan", "inf", "-1", "0", "200"])
def test_plan_refuses_hours_per_week_out_of_range(tmp_path, hours):
    root = ROOT / "specs"
    result = CliRunner().invoke(cli, ["plan", "deep-learning-in-python", "--specs", str(root), "--hours-per-week",
                                      hours])
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert "hours-per-week" in result.output


# --- generated families --------------------------------------------------------------------------------

COURSE_FIELDS = ["spec_version", "title", "url", "status", "live_since", "expected_live", "instructor",
                 "provider", "description", "objectives", "prerequisites", "tags", "hours", "difficulty",
                 "slides", "notes", "chapters", "references", "outline_notes", "review"]
TRACK_FIELDS = ["title", "kind", "provider", "description", "entry_requirements", "requirements", "courses",
                "portfolio", "competitors", "bibliography", "notes", "stages", "entry_skills", "compare_with"]
#: Values no field of the format accepts: a mapping with a key no model has, a list of them, a list
#: nested in lists. Each is an error at the field, whatever its type.
WRONG = {"mapping": "{zz_unknown: 1}", "list of mappings": "[{zz_unknown: 1}]", "nested lists": "[[[[1]]]]"}


def _wrong_cases():
    cases = []
    for field in COURSE_FIELDS:
        for label, value in WRONG.items():
            other = "" if field == "title" else "title: A\n"
            version = "spec_version: 2\n" if field in ("review",) else ""
            cases.append((f"course {field} {label}", "courses", version + other + f"{field}: {value}\n"))
    for field in TRACK_FIELDS:
        for label, value in WRONG.items():
            text = "spec_version: 2\n" + ("" if field == "title" else "title: T\n")
            text += "" if field in ("courses", "stages") else "courses: [ok]\n"
            cases.append((f"track {field} {label}", "tracks", text + f"{field}: {value}\n"))
    return cases


WRONG_CASES = _wrong_cases()


@pytest.mark.parametrize("name,kind,text", WRONG_CASES, ids=[c[0] for c in WRONG_CASES])
def test_a_value_of_the_wrong_shape_is_an_error_at_its_field(tmp_path, name, kind, text):
    root, target = specs_with(tmp_path, "a", text, kind)
    field = text.rstrip("\n").rsplit("\n", 1)[-1].split(":")[0]
    line = text.count("\n")  # the field is the last line written
    code, findings = lint(root)
    assert_reported(code, findings, target)
    mine = [f for f in findings if f["path"].endswith(target.name)]
    assert any(f["line"] == line or field in f["message"] for f in mine), mine


KEYS = ["~", "null", "1", "-1", "1.5", "0x1F", "0o17", "2020-01-01", "2020-01-01 10:00:00", "true", "yes", "on",
        ".inf", "-.inf", ".nan", "!!binary aGk=", '""', "'  '", "!!str 7", "!!int 7", "? [x]", "? {y: 1}"]


@pytest.mark.parametrize("key", KEYS)
def test_a_key_of_any_type_is_reported_by_its_text(tmp_path, key):
    text = f"title: A\n{key}: x\n" if not key.startswith("?") else f"title: A\n{key}\n: x\n"
    root, target = specs_with(tmp_path, "a", text)
    code, findings = lint(root)
    assert_reported(code, findings, target, 2)


TAGS = ["!!bool maybe", "!!timestamp notadate", "!!int x", "!!float x", "!!null x", "!!binary '@@@'",
        "!custom x", "!!python/name:os.system", "!!python/object/apply:os.system ['true']", "!!set {a}",
        "!!omap [a: 1]", "!!pairs [a: 1]", "!!map [1]", "!!seq {a: 1}", "!!str [a]", "*undefined", "!!binary aGk="]


@pytest.mark.parametrize("value", TAGS)
def test_a_tag_or_alias_that_is_no_spec_value_is_reported(tmp_path, value):
    root, target = specs_with(tmp_path, "a", f"title: A\nnotes:\n  - {value}\n")
    code, findings = lint(root)
    assert_reported(code, findings, target)
    assert all(f["line"] in (1, 2, 3) for f in findings if f["path"].endswith("a.yaml") and f["code"] in INPUT_CODES)


NUMBERS = [".inf", "-.inf", ".nan", "1e999", "-1e999", "1.0e+309", "99999999999999999999999", "-0", "0x10", "1_000",
           "2000", "2000.5", "1.5", "0", "-2", "'4'", "4e2", "1.0e+2", "0.0000001", "1e-400"]


def _number(text: str):
    """The number a YAML scalar reads as (independently of trackdesign), or None for text."""
    value = yaml.safe_load(f"v: {text}")["v"]
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return value


@pytest.mark.parametrize("value", NUMBERS)
def test_hours_must_be_a_finite_number_in_range(tmp_path, value):
    root, target = specs_with(tmp_path, "a", f"title: Deep Learning in Python\nhours: {value}\n")
    code, findings = lint(root)
    number = _number(value)
    valid = number is not None and not isinstance(number, bool) and math.isfinite(number) and 0 <= number <= MAX_HOURS
    if valid:
        assert not [f for f in findings if f["code"] in INPUT_CODES], findings
    else:
        assert_reported(code, findings, target, 2, "hours")


STRUCTURES = {
    "empty": "",
    "only comments": "# a\n# b\n",
    "top-level list": "- title: A\n",
    "top-level number": "42\n",
    "top-level null": "~\n",
    "two documents": "title: A\n---\ntitle: B\n",
    "document end marker": "title: A\n...\n",
    "nested 100 deep (block)": "title: A\nnotes:\n" + "".join("  " * k + "- \n" for k in range(1, 100)),
    "nested 100 deep (flow)": "title: A\nnotes: " + "[" * 100 + "]" * 100 + "\n",
    "nested 20,000 deep": "title: A\nnotes: " + "[" * 20_000 + "]" * 20_000 + "\n",
    "mapping nested 70 deep": "title: A\nreview: " + "{a: " * 70 + "1" + "}" * 70 + "\n",
    "one megabyte title": "title: " + "x" * (1 << 20) + "\n",
    "ten thousand keys": "title: A\n" + "".join(f"k{k}: {k}\n" for k in range(10_000)),
    "NUL byte": "title: A\x00B\n",
    "escape character": "title: A\x1b[31mred\n",
    "unpaired surrogate escape": 'title: "\\ud800"\n',
    "lone carriage returns": "title: A\rurl: x\r",
    "tab indentation": "title: A\nnotes:\n\t- x\n",
    "unterminated single quote": "title: 'A\n",
    "unterminated flow mapping": "title: {a: 1\n",
    "duplicate key deep": "title: A\nchapters:\n  - title: C\n    lessons:\n      - title: L\n        title: M\n",
    "recursive alias": "title: A\nnotes: &a [*a]\n",
    "merge key": "title: A\n<<: {url: x}\n",
    "complex key mapping": "title: A\n? {a: 1}\n: x\n",
    "directive": "%YAML 1.1\n---\ntitle: A\n",
    "unknown directive": "%FOO bar\n---\ntitle: A\n",
    "anchor on a key": "&k title: A\n",
    "tagged document": "--- !!map\ntitle: A\n",
    "tagged document as a list": "--- !!seq\n- A\n",
}


@pytest.mark.parametrize("name", list(STRUCTURES))
def test_a_document_of_any_shape_is_read_or_reported_with_its_place(tmp_path, name):
    root, target = specs_with(tmp_path, "a", STRUCTURES[name])
    code, findings = lint(root)
    mine = [f for f in findings if f["path"].endswith(target.name) and f["code"] in INPUT_CODES]
    assert (code == 2) == bool(mine or [f for f in findings if f["code"] in INPUT_CODES]), findings
    for finding in mine:
        assert finding["line"] >= 1 and finding["message"]


ENCODINGS = {
    "latin-1": "title: Café\n".encode("latin-1"),
    "utf-16 with a BOM": "title: A\n".encode("utf-16"),
    "utf-8 with a BOM": "\ufefftitle: Deep Learning in Python\n".encode("utf-8"),
    "overlong slash": b"title: \xc0\xaf\n",
    "encoded surrogate": b"title: \xed\xa0\x80\n",
    "truncated sequence": b"title: caf\xc3",
    "CRLF": b"title: Deep Learning in Python\r\nhours: 4\r\n",
}


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_bytes_that_are_no_utf8_are_reported_and_utf8_variants_read(tmp_path, name):
    root, target = specs_with(tmp_path, "a", ENCODINGS[name])
    code, findings = lint(root)
    try:
        ENCODINGS[name].decode("utf-8")
    except UnicodeDecodeError:
        assert_reported(code, findings, target, None, "UTF-8")
    else:
        if name in ("utf-8 with a BOM", "CRLF"):
            assert not [f for f in findings if f["code"] in INPUT_CODES], findings


def test_the_corpus_is_large():
    total = (len(NAMED) + len(WRONG_CASES) + len(KEYS) + len(TAGS) + len(NUMBERS) + len(STRUCTURES)
             + len(ENCODINGS) + 7 + 4)
    assert total >= 150


# --- seeded fuzz ---------------------------------------------------------------------------------------

SPECIAL = list(":-[]{}&*!|>'\"#%@`,?\t\n ~") + ["\r\n", "\ufeff", "\x00"]
SCALARS = ["~", ".inf", "yes", "2020-01-01", "!!binary aGk=", "*a", "&a x", "[", "{", "'", '"', "- ", ": ", "? ",
           "!!python/name:os.system", "1e999", "<<: *a"]


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        lines = text.split("\n")
        how = rng.randrange(8)
        at = rng.randrange(len(text) + 1)
        row = rng.randrange(len(lines))
        if how == 0 and text:
            text = text[:at] + text[at + 1:]
        elif how == 1:
            text = text[:at] + rng.choice(SPECIAL) + text[at:]
        elif how == 2:
            lines.insert(row, lines[row])
            text = "\n".join(lines)
        elif how == 3:
            del lines[row]
            text = "\n".join(lines)
        elif how == 4:
            other = rng.randrange(len(lines))
            lines[row], lines[other] = lines[other], lines[row]
            text = "\n".join(lines)
        elif how == 5:
            shift = rng.choice([-3, -2, -1, 1, 2, 3])
            lines[row] = " " * shift + lines[row] if shift > 0 else lines[row][-shift:]
            text = "\n".join(lines)
        elif how == 6:
            head, sep, _ = lines[row].partition(": ")
            lines[row] = head + (sep or ": ") + rng.choice(SCALARS)
            text = "\n".join(lines)
        else:
            text = text[:at]
    return text


def fuzz_corpus(count: int = 500, seed: int = 26) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    sources = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "specs" / "courses").glob("*.yaml"))]
    return [(f"fuzz-{k:03d}", mutate(rng.choice(sources), rng)) for k in range(count)]


def test_every_mutated_spec_loads_or_is_reported_with_its_place(tmp_path):
    corpus = fuzz_corpus()
    assert len(corpus) == 500 and len({text for _, text in corpus}) > 450
    root = tmp_path / "specs"
    (root / "courses").mkdir(parents=True)
    for name, text in corpus:
        (root / "courses" / f"{name}.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
    catalog = load_catalog(root)
    reported = {Path(p.file).stem for p in catalog.problems}
    for name, _ in corpus:
        assert name in catalog.courses or name in reported, name
    for found in catalog.problems:
        assert found.line >= 1 and found.column >= 1 and found.message


@pytest.mark.slow
def test_linting_and_fixing_the_whole_fuzz_corpus_runs_to_the_end(tmp_path):
    corpus = fuzz_corpus()
    root = tmp_path / "specs"
    (root / "courses").mkdir(parents=True)
    for name, text in corpus:
        (root / "courses" / f"{name}.yaml").write_text(text, encoding="utf-8")
    (root / "tracks").mkdir()
    (root / "tracks" / "t.yaml").write_text("title: T\ncourses: [" + ", ".join(n for n, _ in corpus[:40]) + "]\n",
                                            encoding="utf-8")
    code, findings = lint(root)
    assert code == 2 and findings
    broken = {f["path"] for f in findings if f["code"] in INPUT_CODES}
    before = {p.name: p.read_bytes() for p in (root / "courses").iterdir()}
    lint(root, "--fix", "--select", "PR01,LK07")
    changed = [name for name, raw in before.items() if (root / "courses" / name).read_bytes() != raw]
    assert changed  # some of the corpus had something to fix
    code, findings = lint(root)
    assert {f["path"] for f in findings if f["code"] in INPUT_CODES} <= broken  # no fix broke a file
