"""Markdown documents carry no raw HTML from spec text, however its backticks and lines fall."""

from __future__ import annotations

import pytest
from helpers import write_specs

from trackdesign.documents import prepare
from trackdesign.documents.render import md_text, render
from trackdesign.lint.config import Config
from trackdesign.spec.loader import load_catalog

#: Each looks like a code span to a careless reader, but CommonMark reads the tag as raw HTML.
TRICKS = [
    "\\`<img src=x onerror=alert(1)>\\`",              # escaped backticks
    "``<img src=x onerror=alert(2)>`",                  # runs of different lengths
    "use `x\n\n<img src=x onerror=alert(3)>\n\n` well",  # a span cannot cross a blank line
    "`x\n`<img src=x onerror=alert(4)>`",               # the first run pairs across the line break
]


def _raw_html(markdown: str) -> list[str]:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    found = [t.content for t in tokens if t.type == "html_block"]
    return found + [c.content for t in tokens for c in t.children or [] if c.type == "html_inline"]


@pytest.mark.parametrize("text", TRICKS)
def test_a_tag_beside_backticks_is_escaped(text):
    assert _raw_html("Learner will be able to " + md_text(text)) == []


def test_a_real_code_span_keeps_its_text():
    assert md_text("use `a<b` and <i>") == "use `a<b` and &lt;i>"
    assert md_text("`` a`<b> `` then <i>") == "`` a`<b> `` then &lt;i>"


def test_no_document_of_a_hostile_catalog_holds_raw_html(tmp_path):
    root = write_specs(tmp_path / "specs", courses={
        "a": {"title": "A\n```\n<img src=x onerror=alert(5)>\n```", "description": TRICKS[0], "objectives": TRICKS[1:],
              "notes": TRICKS, "chapters": [{"title": TRICKS[2], "lessons": [{"title": TRICKS[3]}]}]},
        "b": {"title": 'B "<i>x</i>" #quot;', "prerequisites": ["a"]},
    }, tracks={"t": {"title": "T", "courses": ["a", "b"], "notes": TRICKS}})
    catalog = load_catalog(root)
    documents = [prepare.proposal(catalog, "t"), prepare.outline(catalog, "a"),
                 prepare.task_analysis(catalog, Config(), "t", [])]
    for data in documents:
        assert _raw_html(render(data, "md")) == [], data["kind"]


def test_a_map_label_stays_on_its_line_inside_its_quotes(tmp_path):
    from trackdesign.documents.maps import build_map, to_mermaid

    root = write_specs(tmp_path / "specs", courses={"a": {"title": 'A\n```\n"<b>" #quot; C#'}},
                       tracks={"t": {"title": "T", "courses": ["a"]}})
    mermaid = to_mermaid(build_map(load_catalog(root), "t"))
    assert '  n0["1. A ``` #quot;#lt;b#gt;#quot; #35;quot; C#"]:::existing\n' in mermaid


def test_a_table_row_stays_one_row_whatever_line_breaks_a_title_holds(tmp_path):
    import datetime as dt

    from markdown_it import MarkdownIt

    from trackdesign.analysis.schedule import make_plan
    from trackdesign.documents.plans import plan_data

    root = write_specs(tmp_path / "specs", courses={"a": {"title": "A\rB | C\r\nD\nE", "hours": 2}},
                       tracks={"t": {"title": "T", "courses": ["a"]}})
    text = render(plan_data(make_plan(load_catalog(root), "t", 2, dt.date(2027, 1, 4), 4)), "md")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    cells = [t.content for k, t in enumerate(tokens) if t.type == "inline" and tokens[k - 1].type == "td_open"]
    assert [t.type for t in tokens].count("tr_open") == 2 and "A B | C D E" in cells
