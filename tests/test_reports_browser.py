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
from test_reports import ROOT, hostile_specs

from trackdesign.lint.config import Config
from trackdesign.documents.build import build
from trackdesign.spec.loader import load_catalog

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).parent / "artifacts"
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
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    return page, problems


def test_every_page_loads_without_console_errors(browser, site):
    root, base = site
    pages = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))
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
    for href in hrefs:
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
