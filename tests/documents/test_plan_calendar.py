"""The study plan's calendar holds any spec text as escaped iCalendar values, never a broken file."""

from __future__ import annotations

import re

from click.testing import CliRunner
from helpers import write_specs

from trackdesign.cli import cli


def _calendar(tmp_path, track_title, url):
    root = write_specs(tmp_path / "specs", courses={
        "a": {"title": "A; b, c \\ d", "hours": 2, "url": url},
        "b": {"title": "B\x1b[31m\x7f", "hours": 2, "prerequisites": ["a"]},
    }, tracks={"t": {"title": track_title, "courses": ["a", "b"]}})
    result = CliRunner().invoke(cli, ["plan", "t", "--specs", str(root), "--hours-per-week", "2", "--format", "ics"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_line_breaks_and_separators_in_titles_are_escaped(tmp_path):
    from icalendar import Calendar

    text = _calendar(tmp_path, "Plan\nEND:VCALENDAR\r\nBEGIN:VEVENT", "https://example.com/a")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text.replace("\r\n", "\n").replace("\n", ""))
    cal = Calendar.from_ical(text)
    assert "X-WR-CALNAME:Study plan: Plan\\nEND:VCALENDAR\\nBEGIN:VEVENT\n" in text.replace("\r\n", "\n")
    assert [str(e["summary"]) for e in cal.walk("VEVENT")] == ["Study: A; b, c \\ d", "Study: B[31m"]


def test_a_url_is_written_only_as_a_safe_link(tmp_path):
    from icalendar import Calendar

    broken = Calendar.from_ical(_calendar(tmp_path / "1", "T", "https://example.com/a\nBEGIN:VEVENT"))
    assert [str(e.get("url")) for e in broken.walk("VEVENT")] == ["https://example.com/a%0ABEGIN:VEVENT", "None"]
    script = Calendar.from_ical(_calendar(tmp_path / "2", "T", "javascript:alert(1)"))
    assert all("url" not in e and "javascript" not in str(e["description"]) for e in script.walk("VEVENT"))
