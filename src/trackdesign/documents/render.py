"""Rendering prepared document data through the jinja2 templates shipped in the package.

Markdown output passes spec text through (it is Markdown already). HTML output autoescapes
everything and turns the inline Markdown of spec text into HTML with markdown-it in CommonMark
mode with raw HTML disabled, so a spec containing `<script>` shows it as text and runs nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup

FORMATS = ("md", "html")


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def inline_html(text) -> Markup:
    """Inline Markdown of spec text (emphasis, links, code) as safe HTML."""
    if text is None:
        return Markup("")
    return Markup(_markdown().renderInline(str(text)))


def block_html(text) -> Markup:
    if text is None:
        return Markup("")
    return Markup(_markdown().render(str(text)))


def _safe(url: str | None) -> bool:
    """Not empty, and not a scheme that runs code (javascript:, vbscript:, data:)."""
    return bool(url) and _markdown().validateLink(_markdown().normalizeLink(url))


def md_link(title: str, url: str | None) -> str:
    if not _safe(url):
        return title
    return f"[{title.replace('[', chr(92) + '[').replace(']', chr(92) + ']')}]({md_url(url)})"


def md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def html_link(title, url: str | None) -> Markup:
    if not _safe(url):
        return inline_html(title)
    return Markup('<a href="{}">{}</a>').format(_markdown().normalizeLink(url), inline_html(title))


def md_cell(text) -> str:
    """Text fit for one Markdown table cell: no pipes or line breaks to break the row."""
    return str(text).replace("|", "\\|").replace("\n", " ")


class Raw(str):
    """Generated Markdown (a Mermaid block) that must reach the page unchanged."""


_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)


def md_text(value):
    """Every value printed into Markdown: raw HTML in spec text is shown, not interpreted.

    Spec text is Markdown and stays so (emphasis, links, code spans work); only `<` outside code
    spans becomes `&lt;`, so a viewer that does not sanitise HTML (unlike GitHub) runs nothing.
    """
    if not isinstance(value, str) or isinstance(value, Raw) or "<" not in value:
        return value
    parts, last = [], 0
    for match in _CODE_SPAN.finditer(value):
        parts.append(value[last:match.start()].replace("<", "&lt;"))
        parts.append(match.group(0))
        last = match.end()
    parts.append(value[last:].replace("<", "&lt;"))
    return "".join(parts)


def sentence(text: str) -> str:
    """An objective as the end of "Learner will be able to ...": ends with one full stop."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def hours(value: float) -> str:
    """4 -> '4', 2.5 -> '2.5', 1.3333 -> '1.33'."""
    return f"{round(value, 2):g}"


def short_date(value) -> str:
    return f"{value:%B} {value.day}" if value else ""


@lru_cache(maxsize=2)
def environment(fmt: str):
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from trackdesign.documents.prepare import long_date

    env = Environment(loader=PackageLoader("trackdesign.documents", "templates"), autoescape=fmt == "html",
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      undefined=StrictUndefined, finalize=None if fmt == "html" else md_text)
    env.filters.update(sentence=sentence, short_date=short_date, long_date=long_date, hours=hours)
    if fmt == "html":
        env.filters.update(md=inline_html, block=block_html, link=html_link)
    else:
        env.filters.update(mdlink=md_link, mdurl=md_url, cell=md_cell)
    return env


def render(data: dict, fmt: str) -> str:
    """One document (`data["kind"]`) in `fmt` ("md" or "html")."""
    extra = {}
    if data["kind"] == "task-analysis":
        from trackdesign.documents.maps import to_mermaid, to_svg

        extra = {"map_mermaid": Raw(to_mermaid(data["map"]))} if fmt == "md" else {"map_svg": Markup(to_svg(data["map"]))}
    template = environment(fmt).get_template(f"{data['kind']}.{fmt}.j2")
    text = template.render(**data, **extra)
    while "\n\n\n" in text:  # conditional blocks leave runs of blank lines; one is enough
        text = text.replace("\n\n\n", "\n\n")
    return text.rstrip("\n") + "\n"

