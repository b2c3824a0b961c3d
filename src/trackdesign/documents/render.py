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


def safe_url(url: str | None) -> str | None:
    """`url` percent-encoded as a link (no quotes, brackets or line breaks left), or None when it
    is empty or would run code."""
    return _markdown().normalizeLink(url) if _safe(url) else None


def md_link(title: str, url: str | None) -> str:
    if not _safe(url):
        return title
    return f"[{title.replace('[', chr(92) + '[').replace(']', chr(92) + ']')}]({md_url(url)})"


def md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def html_link(title, url: str | None) -> Markup:
    link = safe_url(url)
    if link is None:
        return inline_html(title)
    return Markup('<a href="{}">{}</a>').format(link, inline_html(title))


def md_cell(text) -> str:
    """Text fit for one Markdown table cell: no pipes or line breaks (a lone \\r is one too) to break the row."""
    return re.sub(r"\r\n?|\n", " ", str(text).replace("|", "\\|"))


class Raw(str):
    """Generated Markdown (a Mermaid block) that must reach the page unchanged."""


#: A code span as CommonMark reads one on a single line: an unescaped run of backticks, closed by
#: the next run of the same length.
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)[^\r\n]*?[^`\r\n]\1(?!`)")


def md_text(value):
    """Every value printed into Markdown: raw HTML in spec text is shown, not interpreted.

    Spec text is Markdown and stays so (emphasis, links, code spans work); only `<` outside code
    spans becomes `&lt;`, so a viewer that does not sanitise HTML (unlike GitHub) runs nothing.
    A backtick left over (escaped, unpaired, or pairing across lines) could make a renderer pair
    the spans otherwise, so then every `<` is escaped.
    """
    if not isinstance(value, str) or isinstance(value, Raw) or "<" not in value:
        return value
    parts, last = [], 0
    for match in _CODE_SPAN.finditer(value):
        parts += [value[last:match.start()], match.group(0)]
        last = match.end()
    parts.append(value[last:])
    if any("`" in text for text in parts[::2]):
        return value.replace("<", "&lt;")
    return "".join(text.replace("<", "&lt;") if k % 2 == 0 else text for k, text in enumerate(parts))


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
    if fmt == "html":
        text = navigable(text)
    return text.rstrip("\n") + "\n"


_HEADING = re.compile(r"<h([23])>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_ASIDE = re.compile(r'<(span|a) class="(?:badge|outline|meta)[^"]*"[^>]*>.*?</\1>', re.S)  # not part of a title
TOC_FROM = 4  # sections from which a page gets a table of contents


def slug(text: str) -> str:
    import html

    words = re.findall(r"[a-z0-9]+", html.unescape(_TAG.sub("", text)).lower())
    return "-".join(words)[:60].rstrip("-") or "section"


def navigable(page: str) -> str:
    """Give every section heading an id and a link to itself, and a long page a table of contents.

    Headings come from our templates, and spec text cannot write one (it is escaped, and spec
    Markdown becomes inline HTML), so a plain `<h2>` or `<h3>` is always ours.
    """
    used: set[str] = set()
    sections: list[tuple[str, str]] = []

    def anchor(match):
        level, inner = match.group(1), match.group(2)
        base = slug(inner)
        name, n = base, 1
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        if level == "2":
            sections.append((name, _TAG.sub("", _ASIDE.sub("", inner)).strip()))
        return (f'<h{level} id="{name}">{inner}<a class="anchor" href="#{name}"'
                f' aria-label="Link to this section">#</a></h{level}>')

    page = _HEADING.sub(anchor, page)
    if len(sections) >= TOC_FROM:
        items = "".join(f'<li><a href="#{name}">{title}</a></li>' for name, title in sections)
        toc = f'<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>{items}</ol></nav>\n'
        first = page.index(f'<h2 id="{sections[0][0]}"')
        page = page[:first] + toc + page[first:]
    return page

