"""The link checker against servers on 127.0.0.1 that misbehave on purpose: every URL gets an
outcome that says what went wrong, within its deadline, whatever the server keeps sending."""

from __future__ import annotations

import json
import socket
import ssl
import threading

import pytest
from click.testing import CliRunner
from helpers import fast_link_settings, write_specs
from hostile_server import HostileServer

from trackdesign.cli import cli
from trackdesign.links.check import Checker
from trackdesign.links.transport import ForbiddenAddress, Watch, Watchdog, address_kind, admissible


@pytest.fixture(scope="module")
def hostile():
    server = HostileServer().start()
    yield server
    server.stop()


@pytest.fixture
def settings(tmp_path, tls_files):
    found = fast_link_settings(tmp_path, ca_bundle=tls_files[1])
    found.deadline = 2.0
    return found


def check(settings, *urls):
    results = Checker(settings).check(list(urls))
    return [results[u] for u in urls]


@pytest.mark.parametrize("path", ["drip", "continue"])
def test_an_answer_that_never_ends_is_cut_at_the_deadline(settings, hostile, path):
    # each byte comes within the read timeout, so only the per-URL deadline can end it
    outcome, = check(settings, hostile.url(path))
    assert outcome.status == "unreachable" and "no complete answer within the 2 s deadline" in outcome.reason
    assert outcome.elapsed < settings.deadline + 1


def test_a_stalled_tls_handshake_is_cut_at_the_deadline(settings, hostile):
    outcome, = check(settings, hostile.stall_url())
    assert outcome.status == "unreachable" and "deadline" in outcome.reason


def test_many_endless_answers_at_once_all_end(settings, hostile):
    urls = [hostile.url(f"drip?n={k}") for k in range(6)] + [hostile.url(f"continue?n={k}") for k in range(6)]
    settings.per_host = 12
    results = Checker(settings).check(urls)
    assert [results[u].status for u in urls] == ["unreachable"] * len(urls)
    assert not [t for t in threading.enumerate() if t.name.startswith(("link-check", "link-watchdog"))]


def test_an_endless_body_is_not_read(settings, hostile):
    outcome, = check(settings, hostile.url("endless-body"))
    assert outcome.status == "ok"


@pytest.mark.parametrize("path,reason", [
    ("bad-status", "protocol error: not an HTTP/1.x answer (it starts 'HELLO THERE')"),
    ("http09", "protocol error: not an HTTP/1.x answer (it starts '<html><body>an answer"),
    ("huge-header", "protocol error: the server sent a header line longer than 64 KiB"),
    ("endless-headers", "protocol error: the server sent more than 100 header lines"),
    ("close", "the server closed the connection without answering"),
])
def test_each_protocol_error_says_what_it_is(settings, hostile, path, reason):
    outcome, = check(settings, hostile.url(path))
    assert outcome.status == "unreachable" and outcome.reason.startswith(reason), outcome.reason


def test_a_protocol_error_is_not_asked_again(settings, hostile):
    before = hostile.hits["/bad-status?again=1"]
    outcome, = check(settings, hostile.url("bad-status?again=1"))
    assert outcome.attempts == 1 and hostile.hits["/bad-status?again=1"] - before == 1


def test_a_redirect_storm_stops_at_the_limit(settings, hostile):
    outcome, = check(settings, hostile.url("storm/0"))
    assert outcome.status == "broken" and f"more than {settings.max_redirects} redirects" in outcome.reason


@pytest.mark.parametrize("path,kind", [("metadata", "link-local"), ("private", "private")])
def test_redirects_to_addresses_no_link_may_lead_to_are_not_followed(settings, hostile, path, kind):
    outcome, = check(settings, hostile.url(path))
    assert outcome.status == "broken" and "not followed" in outcome.reason and kind in outcome.reason
    assert outcome.chain and outcome.chain[0][1] == 302


def test_a_link_to_a_link_local_address_is_not_checked(settings):
    outcome, = check(settings, "http://169.254.169.254/latest/meta-data/")
    assert outcome.status == "unverified" and "link-local" in outcome.reason


def test_address_kinds_and_what_each_origin_may_visit():
    assert [address_kind(a) for a in ("169.254.169.254", "fe80::1", "127.0.0.1", "::1", "10.1.2.3", "192.168.0.1",
                                      "fd00::1", "::ffff:169.254.1.1", "0.0.0.0", "224.0.0.1", "93.184.216.34")] == [
        "link-local", "link-local", "loopback", "loopback", "private", "private", "private", "link-local",
        "reserved", "reserved", "public"]
    assert admissible("public", "loopback") and admissible("loopback", "loopback")
    assert not admissible("loopback", "public") and not admissible("private", "public")
    assert not admissible("private", "loopback") and not admissible("link-local", "link-local")
    watch = Watch(Watchdog.__new__(Watchdog), 0.0)
    watch.admit("example.org", "93.184.216.34")
    with pytest.raises(ForbiddenAddress):
        watch.admit("evil.example", "127.0.0.1")  # a public page leading to this machine


@pytest.mark.parametrize("path", ["retry-far", "retry-huge"])
def test_a_retry_after_far_in_the_future_is_not_waited_for(settings, hostile, path):
    outcome, = check(settings, hostile.url(path))
    assert outcome.status == "unverified" and "more than max_retry_after" in outcome.reason
    assert outcome.attempts == 1 and outcome.elapsed < 1


def test_the_deadline_does_not_count_time_queued_behind_the_hosts_other_urls(settings, hostile):
    # one request at a time to the host, 12 URLs of 0.3 s ahead: the retry of the 429 waits ~3.6 s in
    # the queue, past the 2 s deadline, yet the URL itself took well under it
    settings.per_host = 1
    limited = hostile.url("limited-once?queue=1")
    urls = [limited] + [hostile.url(f"slow?queue={k}") for k in range(12)]
    results = Checker(settings).check(urls)
    assert results[limited].status == "ok" and results[limited].attempts == 2
    assert all(results[u].status == "ok" for u in urls)


def test_one_tls_context_and_one_ca_bundle_load_per_check(settings, link_server, monkeypatch):
    loads = []
    real = ssl.SSLContext.load_verify_locations

    def counting(self, *args, **kwargs):
        loads.append(args or kwargs)
        return real(self, *args, **kwargs)
    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting)
    settings.per_host = 8
    urls = [link_server.url(f"ok?tls={k}", scheme="https") for k in range(24)]
    results = Checker(settings).check(urls)
    assert all(results[u].status == "ok" for u in urls)
    assert len(loads) == 1


def test_the_https_probe_is_one_attempt(tmp_path, settings, plain_server):
    # 127.0.0.2 speaks no TLS: LK04 asks once whether https works, and not again with GET or retries
    root = write_specs(tmp_path / "specs", courses={"a": {"title": "A", "url": plain_server.url("ok?probe=1")}},
                       tracks={"t": {"title": "T", "courses": ["a"]}})
    from trackdesign.lint.config import Config
    from trackdesign.lint.engine import lint
    from trackdesign.spec.loader import load_catalog

    config = Config().with_overrides(select=["LK04"])
    config.links = settings
    calls = []
    real = Checker._attempt

    def noting(self, job, host):
        calls.append((self.probe, job.url))
        return real(self, job, host)
    pytest.MonkeyPatch().setattr(Checker, "_attempt", noting)
    try:
        assert lint(load_catalog(root), config, network=True).findings == []
    finally:
        pytest.MonkeyPatch().undo()
    assert [c for c in calls if c[0]] == [(True, "https://" + plain_server.url("ok?probe=1")[len("http://"):])]


def test_lk03_offers_no_fix_to_a_broken_target(tmp_path, settings, hostile):
    root = write_specs(tmp_path / "specs", courses={"a": {"title": "A", "url": hostile.url("to-404")}},
                       tracks={"t": {"title": "T", "courses": ["a"]}})
    from trackdesign.lint.config import Config
    from trackdesign.lint.engine import lint
    from trackdesign.spec.loader import load_catalog

    config = Config().with_overrides(select=["LK01", "LK03"])
    config.links = settings
    result = lint(load_catalog(root), config, network=True)
    lk03 = [f for f in result.findings if f.code == "LK03"]
    assert len(lk03) == 1 and not lk03[0].fixable and "broken too" in lk03[0].hint
    assert [f.code for f in result.findings if f.code == "LK01"] == ["LK01"] and result.fixes == []


def test_lk06_tells_pages_apart_by_their_fragment(tmp_path):
    root = write_specs(tmp_path / "specs", courses={
        "a": {"title": "A", "url": "https://catalog.example.edu/courses/cse#cse-11"},
        "b": {"title": "B", "url": "https://catalog.example.edu/courses/cse#cse-12"},
        "c": {"title": "C", "url": "https://catalog.example.edu/courses/cse#cse-12"},
    }, tracks={"t": {"title": "T", "courses": ["a", "b", "c"]}})
    result = CliRunner().invoke(cli, ["lint", "--specs", str(root), "--no-links", "--select", "LK06", "--format",
                                      "json"])
    findings = json.loads(result.stdout)
    assert [(f["subject"], f["related"]) for f in findings] == [("c", ["b"])]


def test_no_network_is_said_once_with_exit_2(tmp_path, monkeypatch):
    # what a machine without a network answers for every name: nothing resolves
    real = socket.getaddrinfo

    def unresolvable(host, *args, **kwargs):
        if host in ("127.0.0.1", "localhost"):
            return real(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    monkeypatch.setattr(socket, "getaddrinfo", unresolvable)
    hosts = [f"https://site{k}.example.org/page/{n}" for k in range(6) for n in range(8)]
    root = write_specs(tmp_path / "specs", courses={f"c{k}": {"title": f"Course {k}", "url": url}
                                                    for k, url in enumerate(hosts)},
                       tracks={"t": {"title": "T", "courses": ["c0"]}},
                       config=f'[links]\ncache = "{tmp_path / "c.sqlite"}"\nretries = 2\n')
    result = CliRunner().invoke(cli, ["lint", "--specs", str(root), "--select", "LK", "--format", "json"])
    assert result.exit_code == 2, result.output
    assert json.loads(result.stdout) == []  # no finding blames a link
    assert result.stderr.count("the network looks unavailable") == 1
    links = CliRunner().invoke(cli, ["links", "--specs", str(root), "-q"])
    assert links.exit_code == 2 and links.stderr.count("links not checked") == 1


def test_names_that_do_not_exist_beside_working_hosts_are_ordinary_findings(tmp_path, monkeypatch, link_server):
    real = socket.getaddrinfo

    def nxdomain(host, *args, **kwargs):
        if host.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", nxdomain)
    gone = [f"https://gone{k}.invalid/" for k in range(4)]
    settings = fast_link_settings(tmp_path)
    checker = Checker(settings)
    results = checker.check(gone + [link_server.url("ok?nx=1")])
    assert checker.unavailable is None
    assert [results[u].reason for u in gone] == ["DNS lookup failed: no such host"] * 4
    assert all(results[u].attempts == 1 for u in gone)  # a name that does not exist is not asked again


@pytest.mark.parametrize("setting,message", [
    ('ca_bundle = "no/such/ca.pem"', "'ca_bundle': no file or folder"),
    ("deadline = inf", "'deadline' expects a number of seconds"),
    ("read_timeout = nan", "'read_timeout' expects a number of seconds"),
    ("[links.hosts.\"example.org\"]\ninterval = inf", "host setting 'interval' expects a positive number"),
])
def test_link_settings_that_cannot_work_are_refused_with_their_line(tmp_path, setting, message):
    root = write_specs(tmp_path / "specs", courses={"a": {"title": "A"}}, tracks={"t": {"title": "T", "courses": ["a"]}},
                       config=f"[links]\n{setting}\n")
    result = CliRunner().invoke(cli, ["links", "--specs", str(root)])
    assert result.exit_code == 2 and message in result.output and "trackdesign.toml:" in result.output, result.output


def test_a_ca_bundle_from_the_environment_that_is_missing_is_said_per_https_link(tmp_path, monkeypatch, link_server):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "missing.pem"))
    settings = fast_link_settings(tmp_path)
    secure, plain = link_server.url("ok?env=1", scheme="https"), link_server.url("ok?env=1")
    results = Checker(settings).check([secure, plain])
    assert results[plain].status == "ok"
    assert results[secure].status == "unreachable" and "cannot use the CA bundle" in results[secure].reason
