"""The HTML reports in a real headless Chromium, served from 127.0.0.1.

Needs Debian's `chromium` (`.ci/run` installs it) and the `playwright` package (a test extra);
skipped with a message saying what is missing where either cannot be had.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
import yaml
from helpers import write_specs
from test_reports import ROOT, hostile_specs

from trackdesign.documents.build import build
from trackdesign.documents.maps import build_map
from trackdesign.lint.config import Config
from trackdesign.spec.loader import load_catalog

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).parents[1] / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH: install Debian's `chromium` package (as .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e .[test])")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Both catalogs built side by side and served over HTTP on 127.0.0.1."""
    root = tmp_path_factory.mktemp("site")
    build(load_catalog(ROOT / "specs"), Config(), root / "example")
    build(load_catalog(hostile_specs(tmp_path_factory.mktemp("hostile") / "specs")), Config(), root / "hostile")
    for name, specs in (("cycle", cycle_specs(tmp_path_factory.mktemp("cycle"))),
                        ("department", department_specs(tmp_path_factory.mktemp("department")))):
        build(load_catalog(specs), Config(), root / name, formats=("html",))
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def cycle_specs(root: Path) -> Path:
    """A small track whose loops and recursion courses require each other, with an any_of group."""
    return write_specs(root / "specs", courses={
        "basics": {"title": "Basics of Programming"},
        "loops": {"title": "Loops and Iteration", "prerequisites": ["basics", "recursion"]},
        "recursion": {"title": "Recursion in Depth", "prerequisites": ["loops"]},
        "stats": {"title": "Statistics Refresher"},
        "data-structures": {"title": "Data Structures", "prerequisites": ["basics", {"any_of": ["loops", "stats"]}]},
        "algorithms": {"title": "Algorithms", "prerequisites": ["data-structures", "basics"]},
        "graphics": {"title": "Computer Graphics", "prerequisites": ["basics"]},
    }, tracks={"cyc": {"title": "A Track With a Cycle",
                       "courses": ["basics", "loops", "recursion", "data-structures", "algorithms", "graphics"]}})


def department_specs(root: Path) -> Path:
    """bench/generate.py's 300 courses, all in one track: a department's map."""
    from bench.generate import generate

    specs = root / "specs"
    generate(300, specs)
    ids = sorted((p.stem for p in (specs / "courses").glob("*.yaml")), key=lambda c: int(c.rsplit("-", 1)[1]))
    for old in (specs / "tracks").glob("*.yaml"):
        old.unlink()
    (specs / "tracks" / "department.yaml").write_text(
        yaml.safe_dump({"title": "A Department of 300 Courses", "courses": ids}), encoding="utf-8")
    return specs


def _open(browser, url, **options):
    page = browser.new_page(viewport={"width": 1100, "height": 900}, **options)
    problems: list[str] = []
    origin = url.split("/", 3)[:3]
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("request", lambda r: None if r.url.split("/", 3)[:3] == origin else problems.append(f"left the page: {r.url}"))
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    return page, problems


def test_every_page_loads_without_console_errors(browser, site):
    root, base = site
    pages = sorted(p.relative_to(root).as_posix() for folder in ("example", "hostile", "cycle")
                   for p in (root / folder).rglob("*.html"))
    assert len(pages) > 20
    for name in pages:
        page, problems = _open(browser, f"{base}/{name}")
        page.wait_for_load_state("load")
        assert problems == [], name
        page.close()


def test_index_links_resolve(browser, site):
    _, base = site
    page, _ = _open(browser, f"{base}/example/index.html")
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert len(hrefs) >= 14
    for href in sorted(set(hrefs)):  # a page linked from several rows is opened once
        target, problems = _open(browser, href)
        assert target.locator("h1").count() == 1, href
        assert problems == [], href
        target.close()


def test_prerequisite_map_is_visible_and_screenshot(browser, site):
    _, base = site
    page, problems = _open(browser, f"{base}/example/tracks/deep-learning-in-python/task-analysis.html")
    figure = page.locator("#prerequisite-map svg")
    assert figure.is_visible()
    box = figure.bounding_box()
    assert box["width"] > 400 and box["height"] > 200
    assert page.locator("#prerequisite-map g.node").count() == 12
    assert page.locator("#prerequisite-map path.edge.redundant").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "task-analysis.png"), full_page=True)
    assert (ARTIFACTS / "task-analysis.png").stat().st_size > 10_000
    assert problems == []


def test_script_in_a_spec_shows_as_text_and_runs_nothing(browser, site):
    _, base = site
    for name in ("tracks/t/proposal.html", "tracks/t/task-analysis.html", "courses/next.html", "courses/base.html"):
        page, problems = _open(browser, f"{base}/hostile/{name}")
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", name
        assert "<script>window.__pwned = 1</script>" in page.inner_text("body"), name
        assert page.locator("main script, main img").count() == 0, name
        assert problems == [], name
        page.close()


MAPS = {  # name: (site folder, track, courses on the map)
    "example": ("example", "deep-learning-in-python", 12),
    "steps": ("example", "steps-to-learn-machine-learning", 20),
    "department": ("department", "department", 300),
    "cycle": ("cycle", "cyc", 7),
}

MEASURE = """svg => {
  const boxes = [...svg.querySelectorAll('g.node rect, g.group rect')].map(r => {
    const b = r.getBoundingClientRect();
    return {id: r.parentNode.getAttribute('data-id'), x: b.left, y: b.top, w: b.width, h: b.height};
  });
  const labels = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect().height]);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) overlaps.push([a.id, b.id]);
  }
  const through = [];
  for (const path of svg.querySelectorAll('path.edge')) {
    const ends = [path.getAttribute('data-from'), path.getAttribute('data-to')];
    const matrix = path.getScreenCTM(), length = path.getTotalLength();
    for (let k = 0; k <= 60; k++) {
      const p = path.getPointAtLength(length * k / 60).matrixTransform(matrix);
      const hit = boxes.find(b => !ends.includes(b.id) && p.x > b.x + 2 && p.x < b.x + b.w - 2 && p.y > b.y + 2 && p.y < b.y + b.h - 2);
      if (hit) { through.push([ends.join(' -> '), hit.id]); break; }
    }
  }
  const cycle = [...svg.querySelectorAll('path.edge.cycle')].map(p => [p.getAttribute('data-from'), p.getAttribute('data-to'), getComputedStyle(p).stroke]);
  return {labels, overlaps, through, cycle, nodes: svg.querySelectorAll('g.node').length};
}"""


def _map_page(browser, site, name):
    root, base = site
    folder, track, _ = MAPS[name]
    return _open(browser, f"{base}/{folder}/tracks/{track}/task-analysis.html")


@pytest.mark.parametrize("name", list(MAPS))
def test_map_is_legible_without_overlaps_and_screenshot(browser, site, name):
    page, problems = _map_page(browser, site, name)
    figure = page.locator("#prerequisite-map .map-view")
    measured = page.eval_on_selector("#prerequisite-map svg", MEASURE)
    assert measured["nodes"] == MAPS[name][2]
    small = [(text, round(h, 1)) for text, h in measured["labels"] if h < 10]
    assert small == [], "labels under 10 CSS px at the page's width"
    assert measured["overlaps"] == []
    assert measured["through"] == [], "edges crossing a box they do not touch"
    ARTIFACTS.mkdir(exist_ok=True)
    figure.screenshot(path=str(ARTIFACTS / f"map-{name}.png"))
    assert (ARTIFACTS / f"map-{name}.png").stat().st_size > 5_000
    assert problems == []
    page.close()


def test_cycle_edges_are_red_and_the_cycle_is_spelled_out(browser, site):
    page, problems = _map_page(browser, site, "cycle")
    measured = page.eval_on_selector("#prerequisite-map svg", MEASURE)
    assert sorted((a, b) for a, b, _ in measured["cycle"]) == [("loops", "recursion"), ("recursion", "loops")]
    assert {stroke for *_, stroke in measured["cycle"]} == {"rgb(208, 2, 27)"}
    plain = page.eval_on_selector_all("#prerequisite-map path.edge:not(.cycle)", "ps => ps.map(p => getComputedStyle(p).stroke)")
    assert "rgb(208, 2, 27)" not in plain
    assert "Loops and Iteration → 3. Recursion in Depth → 2. Loops and Iteration" in page.inner_text("ul.cycles")
    assert page.locator("#prerequisite-map g.group").count() == 1  # the any_of group's junction
    assert problems == []
    page.close()


HIGHLIGHTED = """svg => ({
  self: [...svg.querySelectorAll('g.node.hl-self')].map(g => g.dataset.id),
  requires: [...svg.querySelectorAll('g.node.hl-req')].map(g => g.dataset.id).sort(),
  unlocks: [...svg.querySelectorAll('g.node.hl-unl')].map(g => g.dataset.id).sort(),
})"""


def _closure(specs: Path, track: str, node: str):
    """Independently of the page: networkx over the map's prerequisite edges."""
    import networkx as nx

    pmap = build_map(load_catalog(specs), track)
    graph = nx.DiGraph((e.source, e.target) for e in pmap.edges)
    graph.add_nodes_from(n.id for n in pmap.nodes)
    return sorted(nx.ancestors(graph, node)), sorted(nx.descendants(graph, node))


@pytest.mark.parametrize("name", ["example", "cycle"])
def test_hover_and_focus_highlight_exactly_what_a_course_requires_and_unlocks(browser, site, tmp_path, name):
    specs = ROOT / "specs" if name == "example" else cycle_specs(tmp_path)
    page, problems = _map_page(browser, site, name)
    ids = page.eval_on_selector_all("#prerequisite-map g.node", "gs => gs.map(g => g.dataset.id)")
    assert len(ids) == MAPS[name][2]
    for node in ids:
        requires, unlocks = _closure(specs, MAPS[name][1], node)
        page.hover(f'#prerequisite-map g.node[data-id="{node}"]')
        shown = page.eval_on_selector("#prerequisite-map svg", HIGHLIGHTED)
        assert shown == {"self": [node], "requires": requires, "unlocks": unlocks}, node
    page.mouse.move(1, 1)
    assert page.locator("#prerequisite-map .hl-self, #prerequisite-map .hl-req").count() == 0
    page.locator(f'#prerequisite-map g.node[data-id="{ids[0]}"]').focus()  # the keyboard reaches each course
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.dataset.id")
    requires, unlocks = _closure(specs, MAPS[name][1], focused)
    assert page.eval_on_selector("#prerequisite-map svg", HIGHLIGHTED) == {
        "self": [focused], "requires": requires, "unlocks": unlocks}
    assert problems == []
    page.close()


def test_map_zooms_and_stays_static_without_scripts(browser, site):
    _, base = site
    url = f"{base}/example/tracks/deep-learning-in-python/task-analysis.html"
    page, problems = _open(browser, url)
    width = page.eval_on_selector("#prerequisite-map svg", "s => s.getBoundingClientRect().width")
    page.click('#prerequisite-map button[data-zoom="in"]')
    zoomed = page.eval_on_selector("#prerequisite-map svg", "s => s.getBoundingClientRect().width")
    assert zoomed == pytest.approx(width * 1.25, rel=0.01)
    assert problems == []
    page.close()
    page, problems = _open(browser, url, java_script_enabled=False)
    assert page.locator("#prerequisite-map g.node").count() == 12
    assert page.locator("#prerequisite-map svg").is_visible()
    assert not page.locator("#prerequisite-map .map-tools").is_visible()  # buttons appear with the script only
    assert problems == []
    page.close()


def test_alignment_matrix_highlights_what_no_course_serves(browser, site):
    _, base = site
    page, problems = _open(browser, f"{base}/hostile/tracks/t/alignment.html")
    gap = page.locator("table.alignment tr.gap")
    assert gap.count() == 1 and "not served by any course" in gap.inner_text()  # "things": only "other" teaches it
    assert gap.locator("td").first.evaluate("td => getComputedStyle(td).backgroundColor") == "rgb(253, 234, 234)"
    assert problems == []
    page.close()


@pytest.mark.parametrize("name", ["tracks/deep-learning-in-python/alignment.html",
                                  "compare/deep-learning-in-python--machine-learning-with-python.html"])
def test_table_headers_cut_no_word(browser, site, name):
    """A narrow column must not cut a header mid-word ("pyt orc h", "Prerequis ites"): each header's
    text takes at most one line per word."""
    _, base = site
    page, problems = _open(browser, f"{base}/example/{name}")
    cut = page.eval_on_selector_all("th", """cells => cells.flatMap(cell => {
        const cut = [], texts = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let text = texts.nextNode(); text; text = texts.nextNode()) {
            const words = text.data.trim().split(/\\s+/).filter(Boolean).length, range = document.createRange();
            range.selectNodeContents(text);
            if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > words) cut.push(text.data);
        }
        return cut;
    })""")
    assert cut == []
    assert problems == []
    page.close()
