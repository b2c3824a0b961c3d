"""The link checker against real HTTP(S) servers on 127.0.0.1 and 127.0.0.2 started by the tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest
from helpers import fast_link_settings, write_specs

from trackdesign.lint.config import Config
from trackdesign.lint.engine import lint
from trackdesign.links.check import Checker
from trackdesign.spec.loader import load_catalog


@pytest.fixture
def settings(tmp_path, tls_files):
    return fast_link_settings(tmp_path, ca_bundle=tls_files[1])


def check(settings, server, *paths):
    results = Checker(settings).check([server.url(p) for p in paths])
    return [results[server.url(p)] for p in paths]


def test_working_links_and_redirect_chains(settings, link_server):
    ok, chain, temp = check(settings, link_server, "ok?t=1", "p301?t=1", "temp?t=1")
    assert (ok.status, ok.code, ok.chain) == ("ok", 200, [])
    assert chain.status == "ok" and [code for _, code in chain.chain] == [301, 308]
    assert chain.permanent_target == link_server.url("ok") and chain.final == link_server.url("ok")
    assert temp.status == "ok" and temp.chain[0][1] == 302 and temp.permanent_target is None


def test_a_cookie_set_on_a_redirect_is_sent_to_the_next_hop_only(settings, link_server):
    # some sites redirect to set a cookie and refuse whoever does not send it back
    first, second = check(settings, link_server, "needs-cookie", "needs-cookie/in")
    assert first.status == "ok" and first.code == 200 and [code for _, code in first.chain] == [302]
    assert (second.status, second.code) == ("unverified", 403)  # no cookie leaks from another URL's chain


def test_errors_are_broken(settings, link_server):
    missing, gone, loop = check(settings, link_server, "404", "410", "loop")
    assert (missing.status, missing.reason) == ("broken", "404 Not Found")
    assert (gone.status, gone.reason) == ("broken", "410 Gone")
    assert loop.status == "broken" and loop.reason.startswith("redirect loop")


def test_server_errors_are_retried(settings, link_server):
    always, = check(settings, link_server, "always503")
    assert always.status == "broken" and always.attempts == settings.retries + 1
    assert link_server.hits["/always503"] >= settings.retries + 1


def test_flaky_server_recovers(settings, link_server):
    flaky, = check(settings, link_server, "flaky?t=2")
    assert flaky.status == "ok"
    assert link_server.hits["/flaky?t=2"] == 2  # a 500, then the page


def test_retry_after_is_honoured_and_costs_about_what_it_says(settings, link_server):
    limited, = check(settings, link_server, "ratelimited?t=3")
    assert limited.status == "ok" and limited.attempts == 2
    times = [t for method, path, t in link_server.log if path == "/ratelimited?t=3"]
    assert 0.95 <= times[1] - times[0] < 2.0


def test_blocked_and_rate_limited_are_unverified_not_dead(settings, link_server):
    forbidden, linkedin, limited, too_long = check(settings, link_server, "403", "999", "always429", "slow-retry")
    assert [o.status for o in (forbidden, linkedin, limited, too_long)] == ["unverified"] * 4
    assert linkedin.attempts == 1 and limited.attempts == settings.retries + 1
    assert "more than max_retry_after" in too_long.reason


def test_head_refused_falls_back_to_get(settings, link_server):
    page, = check(settings, link_server, "head405?t=4")
    assert page.status == "ok"
    assert [m for m, p, _ in link_server.log if p == "/head405?t=4"] == ["HEAD", "GET"]


def test_hanging_reset_refused_and_endless_are_bounded(settings, link_server):
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    start = time.monotonic()
    results = Checker(settings).check([link_server.url("hang"), link_server.url("reset"), closed,
                                       link_server.url("endless")])
    took = time.monotonic() - start
    hang, reset, refused, endless = (results[u] for u in (link_server.url("hang"), link_server.url("reset"), closed,
                                                            link_server.url("endless")))
    assert hang.status == "unreachable" and "timeout" in hang.reason
    assert reset.status == "unreachable" and "reset" in reset.reason
    assert refused.status == "unreachable" and "refused" in refused.reason
    assert endless.status == "ok"
    assert took < settings.deadline + 1  # nothing waits past the per-URL deadline
    assert link_server.endless_bytes < 10_000_000  # the body was not read


def test_one_slow_host_does_not_hold_up_another(tmp_path, link_server, plain_server):
    settings = fast_link_settings(tmp_path)
    settings.per_host, settings.read_timeout = 1, 5.0
    slow = [link_server.url(f"slow?n={k}") for k in range(3)]
    fast = [plain_server.url(f"ok?n={k}") for k in range(10)]
    results = Checker(settings).check(slow + fast)
    assert all(results[u].status == "ok" for u in slow + fast)
    slow_times = sorted(t for _, p, t in link_server.log if p.startswith("/slow?n="))
    fast_times = sorted(t for _, p, t in plain_server.log if p.startswith("/ok?n="))
    assert fast_times[-1] < slow_times[1]  # every fast URL done before the slow host's second request
    assert link_server.max_in_flight >= 1


def test_per_host_concurrency_is_respected(tmp_path, plain_server):
    settings = fast_link_settings(tmp_path)
    settings.per_host = 2
    plain_server.latency, plain_server.max_in_flight = 0.05, 0
    try:
        results = Checker(settings).check([plain_server.url(f"ok?c={k}") for k in range(12)])
    finally:
        plain_server.latency = 0.0
    assert all(o.status == "ok" for o in results.values())
    assert plain_server.max_in_flight == 2


def test_workers_end_as_the_queues_empty_yet_every_retry_is_taken_up(tmp_path, link_server, plain_server):
    # most workers find nothing left to start and end while the 429s wait out their Retry-After:
    # the workers that queued those retries must still run them, and no worker outlives the check
    import threading

    settings = fast_link_settings(tmp_path)
    settings.concurrency = 16
    flaky = [link_server.url(f"ratelimited?w={k}") for k in range(4)]
    fine = [plain_server.url(f"ok?w={k}") for k in range(24)]
    results = Checker(settings).check(flaky + fine)
    assert [(results[u].status, results[u].attempts) for u in flaky] == [("ok", 2)] * 4
    assert all(results[u].status == "ok" and results[u].attempts == 1 for u in fine)
    deadline = time.monotonic() + 2
    while any(t.name.startswith("link-check") for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not [t.name for t in threading.enumerate() if t.name.startswith("link-check")]


def test_a_proxy_named_in_the_environment_carries_the_requests(tmp_path, monkeypatch, plain_server):
    # the checker reads the proxy settings once per check; a proxied request names the whole
    # URL, and nothing connects to the URL's own host (127.0.0.9 here, where nothing listens)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", plain_server.url("").rstrip("/"))
    monkeypatch.setenv("http_proxy", plain_server.url("").rstrip("/"))
    url = "http://127.0.0.9:9/ok?via=proxy"
    outcome = Checker(fast_link_settings(tmp_path)).check([url])[url]
    assert outcome.status != "unreachable"
    proxied = [path for _, path, _ in plain_server.log if "via=proxy" in path]
    assert proxied and set(proxied) == {url}


PATHS = ["ok", "p301", "temp", "404", "410", "head405", "needs-cookie", "flaky"]


def test_a_host_is_its_lowercased_name_and_port_whatever_follows_or_precedes_it():
    from trackdesign.links.check import host_of

    assert host_of("http://Example.ORG:8080/a?b#c") == "example.org:8080"
    assert host_of("https://user:secret@example.org?q=1") == "example.org"  # no path, a query
    assert host_of("HTTPS://example.org#top") == "example.org"
    assert host_of("http://[::1]:9000/x") == "::1:9000"
    assert host_of("mailto:someone@example.org") == ""


def lint_links(root, settings, select=("LK",)):
    config = Config().with_overrides(select=list(select))
    config.links = settings
    return lint(load_catalog(root), config, network=True)


def test_every_kind_of_link_in_a_spec_is_checked(tmp_path, settings, link_server, plain_server):
    root = write_specs(tmp_path / "specs", courses={
        "a": {"title": "A", "url": plain_server.url("ok?spec=1"),
              "notes": [f"see [the old page]({plain_server.url('404?spec=1')}) and {plain_server.url('410?spec=1')}."],
              "references": [{"citation": "Book", "url": plain_server.url("p301?spec=1")}]},
        "b": {"title": "B", "url": "mailto:team@localhost", "notes": ["an ftp://127.0.0.1/file link"]},
    }, tracks={"t": {"title": "T", "courses": ["a", "b"],
                     "competitors": [{"provider": "X", "title": "Y", "url": plain_server.url("403?spec=1")}]}})
    before = len(plain_server.log)
    findings = lint_links(root, settings).findings
    codes = sorted((f.code, f.subject, f.line) for f in findings)
    assert ("LK01", "a", 4) in codes and sum(f.code == "LK01" for f in findings) == 2
    assert any(f.code == "LK03" and "redirects permanently" in f.message for f in findings)
    assert any(f.code == "LK08" and f.subject == "t" for f in findings)
    assert not any("mailto" in f.message or "ftp" in f.message for f in findings)
    asked = {path for _, path, _ in plain_server.log[before:]}
    assert asked <= {"/ok?spec=1", "/404?spec=1", "/410?spec=1", "/p301?spec=1", "/p308", "/ok", "/403?spec=1"}


def test_http_link_upgrade_and_permanent_redirect_are_fixed_in_place(tmp_path, settings, link_server, plain_server):
    text = (f"# kept comment\ntitle: A\nurl: {link_server.url('ok?fix=1')}   # the course page\n"
            f"notes:\n  - \"moved: [here]({plain_server.url('moved?fix=1')}), keep this text\"\n")
    root = write_specs(tmp_path / "specs", courses={"a": text}, tracks={"t": {"title": "T", "courses": ["a"]}})
    config = f'[links]\nca_bundle = "{settings.ca_bundle}"\ncache = "{settings.cache}"\nread_timeout = 0.5\n'
    (root / "trackdesign.toml").write_text(config, encoding="utf-8")
    result = lint_links(root, settings)
    assert {f.code for f in result.findings} == {"LK03", "LK04"}
    no_https = [f for f in result.findings if f.code == "LK04"]
    assert len(no_https) == 1 and "127.0.0.1" in no_https[0].message  # 127.0.0.2 has no TLS
    run = subprocess.run([sys.executable, "-m", "trackdesign", "links", "--specs", str(root), "--fix"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert "Fixed 2 links" in run.stderr, run.stderr
    fixed = (root / "courses" / "a.yaml").read_text(encoding="utf-8")
    assert fixed == text.replace(link_server.url("ok?fix=1"), link_server.url("ok?fix=1", scheme="https")).replace(
        plain_server.url("moved?fix=1"), plain_server.url("ok"))
    assert run.returncode == 0, run.stdout


def test_cache_makes_the_second_run_offline_for_working_links(tmp_path, settings, plain_server):
    root = write_specs(tmp_path / "specs", courses={
        "a": {"title": "A", "url": plain_server.url("ok?cache=1"), "notes": [plain_server.url("404?cache=1")]},
    }, tracks={"t": {"title": "T", "courses": ["a"]}})
    lint_links(root, settings)
    first = len(plain_server.log)
    second = lint_links(root, settings)
    asked = [p for _, p, _ in plain_server.log[first:]]
    assert "/ok?cache=1" not in asked  # success served from the cache
    assert "/404?cache=1" in asked  # failure checked again
    assert [f.code for f in second.findings] == ["LK01"]
    settings.offline = True
    third_start = len(plain_server.log)
    root2 = write_specs(tmp_path / "specs2", courses={
        "a": {"title": "A", "url": plain_server.url("ok?cache=1"), "notes": [plain_server.url("ok?cache=new")]},
    }, tracks={"t": {"title": "T", "courses": ["a"]}})
    offline = lint_links(root2, settings)
    assert len(plain_server.log) == third_start  # --offline never touches the network
    assert [(f.code, "not in the link cache" in f.message) for f in offline.findings] == [("LK08", True)]


def test_links_command_prints_a_per_host_summary(tmp_path, tls_files, plain_server):
    root = write_specs(tmp_path / "specs", courses={"a": {"title": "A", "url": plain_server.url("ok?cli=1")}},
                       tracks={"t": {"title": "T", "courses": ["a"]}})
    (root / "trackdesign.toml").write_text(f'[links]\ncache = "{tmp_path / "c.sqlite"}"\n', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "trackdesign", "links", str(root)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    host = plain_server.url("").split("//")[1].rstrip("/")
    assert any(line.startswith(host) and line.split()[1:3] == ["1", "1"] for line in run.stderr.splitlines())
    assert "Checking links" not in run.stderr  # no progress bar when stderr is not a terminal


def test_links_config_is_validated(tmp_path):
    root = write_specs(tmp_path / "specs", courses={"a": {"title": "A"}}, tracks={"t": {"title": "T", "courses": ["a"]}})
    (root / "trackdesign.toml").write_text("[links]\nper_host = 0\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "trackdesign", "links", str(root)], capture_output=True, text=True)
    assert run.returncode == 2 and "trackdesign.toml:2" in run.stderr and "per_host" in run.stderr
    (root / "trackdesign.toml").write_text("[links]\nconcurency = 4\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "trackdesign", "links", str(root)], capture_output=True, text=True)
    assert run.returncode == 2 and "did you mean 'concurrency'" in run.stderr and "Traceback" not in run.stderr
