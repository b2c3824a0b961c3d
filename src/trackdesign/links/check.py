"""A polite, bounded, concurrent HTTP link checker.

Politeness is per host: each host has its own limit on requests in flight and its own interval
between request starts, and a dispatcher hands work only to hosts with room, so one slow host
never holds up the others (there is no global lock around requests). A URL that must wait (a
retry after backoff or `Retry-After`) gives up its worker and is re-queued with a not-before
time, so waiting costs wall time only for that URL.

Every URL has a deadline on its own time (its attempts and the waits it asked for; not the time
it queued behind other URLs of its host), enforced during an exchange too: the connections of
`trackdesign.links.transport` are shut when an attempt outlives it, whatever the server keeps
sending. Bodies are never read (streamed, then closed). When no host at all can be resolved or
reached, the check stops and says the network is unavailable instead of blaming every link.
"""

from __future__ import annotations

import email.utils
import errno
import functools
import http.client
import os
import re
import socket
import ssl
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin, urlsplit

import requests

from trackdesign.gcpause import paused_while
from trackdesign.links.settings import LinkSettings
from trackdesign.links.transport import Adapter, ForbiddenAddress, Watchdog, address_kind, tls_context

REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}
UNVERIFIED = {401: "login required", 403: "forbidden, usually bot protection", 429: "rate limited",
              999: "refused to robots (LinkedIn's 999)"}


@dataclass
class Outcome:
    url: str
    status: str  # ok | broken | unreachable | unverified | unchecked (the network was unavailable)
    code: int | None = None
    chain: list[list] = field(default_factory=list)  # [url, status] of each redirect hop, in order
    final: str | None = None
    reason: str = ""
    attempts: int = 0
    elapsed: float = 0.0
    cached: bool = False

    @property
    def permanent_target(self) -> str | None:
        """Where the leading permanent redirects (301/308) lead, if the chain starts with one."""
        if not self.chain or self.chain[0][1] not in PERMANENT:
            return None
        target = None
        for k, (_, code) in enumerate(self.chain):
            if code not in PERMANENT:
                break
            target = self.chain[k + 1][0] if k + 1 < len(self.chain) else self.final
        return target

    def describe_chain(self) -> str:
        return " -> ".join(f"{url} ({code})" for url, code in self.chain) + f" -> {self.final}"

    def as_dict(self) -> dict:
        return asdict(self)


class _Fetched:
    __slots__ = ("code", "chain", "final", "retry_after")

    def __init__(self, code, chain, final, retry_after):
        self.code, self.chain, self.final, self.retry_after = code, chain, final, retry_after


class RedirectProblem(Exception):
    def __init__(self, message: str, chain: list):
        super().__init__(message)
        self.chain = chain


@dataclass
class _Job:
    url: str
    host: str
    attempt: int = 0
    not_before: float = 0.0
    spent: float = 0.0  # seconds of the URL's own: its attempts and the waits it asked for


class _Host:
    __slots__ = ("limit", "interval", "read_timeout", "in_flight", "next_start", "pending")

    def __init__(self, limit, interval, read_timeout):
        self.limit, self.interval, self.read_timeout = limit, interval, read_timeout
        self.in_flight, self.next_start, self.pending = 0, 0.0, deque()


def host_of(url: str) -> str:
    """The host (and port, if given) a URL is fetched from, the key of per-host politeness.

    Only the scheme and authority decide it, so each distinct one is parsed once: splitting 2,000
    URLs in full took longer than the first round of requests on a fast network.
    """
    start = _SCHEME_AND_AUTHORITY.match(url)
    return _host_of_prefix(start.group(0) if start else url)


_SCHEME_AND_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")


@functools.lru_cache(maxsize=4096)
def _host_of_prefix(prefix: str) -> str:
    parts = urlsplit(prefix)
    return (parts.hostname or "") + (f":{parts.port}" if parts.port else "")


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Checker:
    """Checks URLs with this process's threads. `probe` is LK04's cheap question "does the https
    form answer?": one attempt, and no GET after a connection that failed."""

    def __init__(self, settings: LinkSettings, progress=None, probe: bool = False):
        self.settings = settings
        self.progress = progress  # called with the Outcome of each finished URL
        self.probe = probe
        self._retries = 0 if probe else settings.retries
        self._cond = threading.Condition()
        # what requests would read from the environment on every request (netrc, proxies, CA
        # bundle), read once: per request it costs more than the HTTP exchange on a fast network
        self._bundle = settings.ca_bundle or os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self._proxy_cache: dict[str, dict] = {}
        # with no proxy in the environment (the usual case) no URL has one: one look at the
        # environment, not two per host (each look scans every variable)
        self._any_proxy = bool(requests.utils.getproxies())
        self._headers = requests.structures.CaseInsensitiveDict(
            {"User-Agent": settings.user_agent, "Accept": "*/*", "Accept-Encoding": "identity"})
        #: Why the network looks unavailable, once no host could be resolved or reached
        self.unavailable: str | None = None
        #: Probes only: hosts whose https could not be reached at all, with why; the rest of their
        #: URLs are answered without a connection each (one refused handshake says it for all)
        self._no_https: dict[str, str] = {}

    # --- public -------------------------------------------------------------------------------

    @paused_while
    def check(self, urls) -> dict[str, Outcome]:
        """The outcome of each URL, checked by this process's threads.

        Requests allocate many short-lived objects and next to no cycles: the cyclic collector
        waits until the check is over (`trackdesign.gcpause`)."""
        return self.check_here(list(dict.fromkeys(urls)), self.settings.concurrency)

    def check_here(self, urls: list[str], concurrency: int) -> dict[str, Outcome]:
        """The outcome of each (distinct) URL, checked by threads of this process."""
        results: dict[str, Outcome] = {}
        if not urls:
            return results
        self._hosts: dict[str, _Host] = {}
        for url in urls:
            host = host_of(url)
            if host not in self._hosts:
                self._hosts[host] = _Host(*self.settings.for_host(host.split(":")[0]))
            self._hosts[host].pending.append(_Job(url, host))
        self._order = list(self._hosts)
        self._turn = 0
        self._pending = len(urls)  # waiting in a host's queue
        self._results = results
        self._tried: set[str] = set()  # hosts with a finished attempt
        self._lost: set[str] = set()  # hosts that could not be resolved or reached at all
        self._answered = False  # some server answered: the network is there
        workers = min(concurrency, len(urls), sum(h.limit for h in self._hosts.values()))
        # one pool per host shared by every worker, as large as the workers (it never overflows):
        # connections to a host stay as many as requests in flight there, kept alive between URLs
        try:
            context, self._tls_problem = tls_context(self._bundle), None
        except (OSError, ssl.SSLError) as exc:  # REQUESTS_CA_BUNDLE naming nothing, a damaged bundle
            context = tls_context(None)
            self._tls_problem = f"cannot use the CA bundle {self._bundle}: {getattr(exc, 'strerror', None) or exc}"
        self._transport = Adapter(context, pool_connections=max(64, len(self._hosts)), pool_maxsize=workers,
                                  max_retries=0)
        self._watchdog = Watchdog()
        threads = [threading.Thread(target=self._work, daemon=True, name=f"link-check-{k}") for k in range(workers)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            self._watchdog.close()
            self._transport.close()
        if self.unavailable:
            for url in urls:
                if url not in results or (results[url].status == "unreachable" and results[url].code is None
                                          and host_of(url) in self._lost):
                    results[url] = Outcome(url, "unchecked", reason=f"not checked: {self.unavailable}")
        return results

    # --- scheduling -----------------------------------------------------------------------------

    def _next(self) -> _Job | None:
        """The next job a host has room for (round robin over hosts), waiting as long as needed;
        None when no job waits to start (or the network is gone), and the worker ends.

        Workers end as the queues empty, in the last round, while the network keeps the rest
        busy: when all ended together, waking every idle thread at once delayed the last answers.
        A job can only be queued again by the worker that ran it, which is alive to
        take it up, so no queued job is ever left without a worker.
        """
        with self._cond:
            while self._pending > 0 and self.unavailable is None:
                now = time.monotonic()
                soonest = None
                count = len(self._order)
                for step in range(count):
                    name = self._order[(self._turn + step) % count]
                    host = self._hosts[name]
                    if not host.pending or host.in_flight >= host.limit:
                        continue
                    ready = None
                    for job in host.pending:
                        if job.not_before <= now:
                            ready = job
                            break
                        soonest = job.not_before if soonest is None else min(soonest, job.not_before)
                    if ready is None:
                        continue
                    if host.next_start > now:
                        soonest = host.next_start if soonest is None else min(soonest, host.next_start)
                        continue
                    host.pending.remove(ready)
                    self._pending -= 1
                    if self._pending == 0:
                        self._cond.notify_all()  # the idle workers may end
                    host.in_flight += 1
                    host.next_start = now + host.interval
                    self._turn = (self._turn + step + 1) % count
                    return ready
                self._cond.wait(None if soonest is None else max(0.001, soonest - now))
            return None

    def _work(self):
        while True:
            job = self._next()
            if job is None:
                return
            host = self._hosts[job.host]
            began = time.monotonic()
            heard = "failed"
            try:
                outcome, delay, heard = self._attempt(job, host)
            except Exception as exc:  # noqa: BLE001 - a checker bug must not hang the run
                outcome, delay = Outcome(job.url, "unreachable", reason=f"internal error: {exc!r}"), None
            job.spent += time.monotonic() - began
            with self._cond:
                host.in_flight -= 1
                self._note(job.host, heard)
                if delay is not None:
                    job.attempt += 1
                    job.spent += delay
                    job.not_before = time.monotonic() + delay
                    host.pending.append(job)
                    self._pending += 1
                else:
                    outcome.attempts = job.attempt + 1
                    outcome.elapsed = job.spent
                    self._results[job.url] = outcome
                # one slot freed (or one job re-queued): one waiter can use it; waking all 80
                # threads for every answer would spend the run in the scheduler (when the queues
                # empty, `_next` wakes them all to end)
                self._cond.notify()
            if delay is None and self.progress:
                self.progress(outcome)

    def _note(self, host: str, heard: str) -> None:
        """After an attempt (lock held) that was "answered", "lost" (the host could not be resolved
        or reached) or otherwise "failed": when every host, three at least, was lost and none
        answered, the network is taken to be unavailable and the check ends."""
        self._tried.add(host)
        if heard == "lost":
            self._lost.add(host)
        elif heard == "answered":
            self._answered = True
        if not self._answered and len(self._lost) >= 3 and len(self._lost) == len(self._hosts) == len(self._tried):
            shown = ", ".join(sorted(self._lost)[:3]) + (", ..." if len(self._lost) > 3 else "")
            self.unavailable = (f"the network looks unavailable: none of the {len(self._lost)} hosts could be"
                                f" resolved or reached ({shown})")
            self._cond.notify_all()

    # --- one attempt ----------------------------------------------------------------------------

    def _attempt(self, job: _Job, host: _Host) -> tuple[Outcome | None, float | None, str]:
        """(outcome, None, heard) when the URL is decided, or (None, delay, heard) to retry after
        `delay` seconds; `heard` says whether a server "answered", or the host was "lost" (could
        not be resolved or reached at all), or the attempt otherwise "failed"."""
        s = self.settings
        left = s.deadline - job.spent
        if left <= 0:
            return Outcome(job.url, "unreachable", reason=f"gave up after the {s.deadline:g} s deadline"), None, "failed"
        if job.host in self._no_https:
            return Outcome(job.url, "unreachable", reason=self._no_https[job.host]), None, "failed"
        if self._tls_problem and job.url[:8].lower() == "https://":
            return Outcome(job.url, "unreachable", reason=self._tls_problem), None, "failed"
        timeout = (min(s.connect_timeout, left), min(host.read_timeout, left))
        late = Outcome(job.url, "unreachable", reason=f"no complete answer within the {s.deadline:g} s deadline"
                       " (the server answers too slowly, or without end)")
        with self._watchdog.watch(left) as watch:
            try:
                fetched = self._head_then_get(self._transport, job.url, timeout)
            except RedirectProblem as exc:
                return Outcome(job.url, "broken", reason=str(exc), chain=exc.chain), None, "answered"
            except ForbiddenAddress as exc:
                return Outcome(job.url, "unverified", reason=f"not checked: {exc}"), None, "failed"
            except requests.exceptions.RequestException as exc:
                if watch.fired:
                    return late, None, "failed"
                outcome = Outcome(job.url, "unreachable", reason=_reason(exc))
                heard = "lost" if _network_failure(exc) else "failed"
                if self.probe and isinstance(exc, (requests.exceptions.ConnectionError, requests.exceptions.Timeout)):
                    self._no_https[job.host] = outcome.reason
                if _hopeless(exc):
                    return outcome, None, heard
                return (*self._maybe_retry(job, outcome, None, left), heard)
            if watch.fired:  # cut off mid-answer, which the parser may have taken for its end
                return late, None, "failed"
        outcome = self._classify(job.url, fetched)
        if fetched.code == 429 or 500 <= fetched.code <= 599:
            return (*self._maybe_retry(job, outcome, retry_after_seconds(fetched.retry_after), left), "answered")
        return outcome, None, "answered"

    def _head_then_get(self, adapter, url: str, timeout) -> _Fetched:
        """HEAD; GET where HEAD is refused, fails or answers an error (many servers mishandle HEAD).
        A probe asks again only after an error status: a connection that failed fails for GET too."""
        try:
            fetched = self._fetch(adapter, url, "HEAD", timeout)
        except requests.exceptions.Timeout:
            raise  # a host that does not answer HEAD will not answer GET in time either
        except requests.exceptions.RequestException as exc:
            if self.probe or _hopeless(exc):
                raise
            try:
                return self._fetch(adapter, url, "GET", timeout)
            except requests.exceptions.RequestException:
                raise exc from None  # the HEAD error says what went wrong first
        if fetched.code >= 400 and fetched.code != 429 and not self._accepted(fetched.code):
            return self._fetch(adapter, url, "GET", timeout)
        return fetched

    def _maybe_retry(self, job, outcome, asked: float | None, left: float):
        s = self.settings
        if job.attempt >= self._retries:
            if outcome.code == 429:
                outcome.reason += f" after {job.attempt + 1} attempts"
            return outcome, None
        delay = asked if asked is not None else s.backoff * (2 ** job.attempt)
        if asked is not None and asked > s.max_retry_after:
            outcome.reason += f"; asked to retry after {asked:g} s (more than max_retry_after)"
            return outcome, None
        if delay >= left:
            outcome.reason += f"; no time left to retry within the {s.deadline:g} s deadline"
            return outcome, None
        return None, delay

    def _proxies(self, url: str) -> dict:
        if not self._any_proxy:
            return {}
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._proxy_cache:
            self._proxy_cache[key] = requests.utils.get_environ_proxies(key)
        return self._proxy_cache[key]

    def _accepted(self, code: int) -> bool:
        return 200 <= code < 300 or code in self.settings.accept

    def _classify(self, url: str, fetched: _Fetched) -> Outcome:
        code = fetched.code
        outcome = Outcome(url, "ok", code, fetched.chain, fetched.final)
        if self._accepted(code):
            return outcome
        label = f"{code} {_phrase(code)}".strip()
        if code in UNVERIFIED:
            outcome.status, outcome.reason = "unverified", f"{label}: {UNVERIFIED[code]}"
        else:
            outcome.status, outcome.reason = "broken", label
        return outcome

    def _prepare(self, method: str, url: str, jar) -> requests.PreparedRequest:
        """What `PreparedRequest.prepare` makes of a body-less HEAD or GET, without re-validating our
        own fixed headers on every request: the URL is prepared (quoted, IDNA) and its user:password
        becomes Basic auth exactly as there; the headers are shared unless cookies must be added."""
        request = requests.PreparedRequest()
        request.method = method
        request.prepare_url(url, None)
        if jar is None:
            request.headers = self._headers  # never written to: neither the adapter nor urllib3 mutates them
        else:
            request.headers = self._headers.copy()
            request.prepare_cookies(jar)
        if "@" in request.url.split("/", 3)[2]:
            request.headers = request.headers.copy()
            request.prepare_auth(None, url)
        return request

    def _fetch(self, adapter, url: str, method: str, timeout) -> _Fetched:
        """One request per hop, redirects followed here (to report the chain), cookies carried along it.

        Requests go straight to a transport adapter: a session would merge settings, hooks and a
        cookie jar per request, which on a fast network costs as much CPU as the exchange itself.
        Cookies a hop sets (some sites redirect to set one, then expect it back) are kept for the
        rest of this URL's chain only.
        """
        chain: list[list] = []
        seen = {url}
        current = url
        jar = None
        for _ in range(self.settings.max_redirects + 1):
            request = self._prepare(method, current, jar)
            try:
                response = adapter.send(request, stream=True, timeout=timeout, verify=True,
                                        proxies=self._proxies(current))
            except ForbiddenAddress as exc:
                if not chain:
                    raise
                raise RedirectProblem(f"redirects to {current}, which is not followed: {exc}", chain) from None
            try:
                code = response.status_code
                location = response.headers.get("Location")
                retry_after = response.headers.get("Retry-After")
                if "Set-Cookie" in response.headers:
                    jar = jar if jar is not None else requests.cookies.RequestsCookieJar()
                    requests.cookies.extract_cookies_to_jar(jar, request, response.raw)
            finally:
                if method == "HEAD":  # no body follows: the connection can serve the next request
                    response.raw.read()  # nothing to read, but the answer must be over for the next one
                    response.raw.release_conn()
                else:
                    response.close()  # the body is never read: an endless one cannot stall us
            if code in REDIRECTS and location:
                following = urljoin(current, location)
                chain.append([current, code])
                if not following.lower().startswith(("http://", "https://")):
                    raise RedirectProblem(f"redirects to {following[:200]}, which is no web address", chain)
                kind = address_kind(urlsplit(following).hostname or "")
                if kind in ("link-local", "reserved"):
                    raise RedirectProblem(f"redirects to {following[:200]}, a {kind} address: not followed", chain)
                if following in seen:
                    raise RedirectProblem("redirect loop: " + " -> ".join(u for u, _ in chain) + f" -> {following}",
                                          chain)
                seen.add(following)
                current = following
                continue
            return _Fetched(code, chain, current, retry_after)
        raise RedirectProblem(f"more than {self.settings.max_redirects} redirects", chain)


def _phrase(code: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return ""


def _causes(error: BaseException):
    """`error` and what it wraps: causes, contexts, urllib3's `reason`, exceptions among the args."""
    seen, todo = set(), [error]
    while todo and len(seen) < 32:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        todo.extend(a for a in current.args if isinstance(a, BaseException))


def _network_failure(error: BaseException) -> bool:
    """Whether the host could not be resolved or reached at all (what a missing network looks like)."""
    for cause in _causes(error):
        if isinstance(cause, socket.gaierror):
            return True
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.ENETDOWN, errno.EHOSTUNREACH):
            return True
    return False


def _hopeless(error: BaseException) -> bool:
    """An error that asking again cannot mend: a name that does not exist, an answer that is no HTTP."""
    for cause in _causes(error):
        if isinstance(cause, socket.gaierror) and cause.errno == socket.EAI_NONAME:
            return True
        if isinstance(cause, http.client.HTTPException) and not isinstance(cause, http.client.RemoteDisconnected):
            return True
    return False


def _reason(error: Exception | None) -> str:
    """What went wrong, in words: each protocol error its own, not all "connection reset"."""
    for cause in _causes(error):
        if isinstance(cause, http.client.RemoteDisconnected):
            return "the server closed the connection without answering"
        if isinstance(cause, http.client.LineTooLong):
            line = "header line" if "header" in str(cause) else "status line"
            return f"protocol error: the server sent a {line} longer than 64 KiB"
        if isinstance(cause, http.client.BadStatusLine):
            line = cause.args[0] if cause.args and isinstance(cause.args[0], str) else ""
            return f"protocol error: not an HTTP/1.x answer (it starts {line.strip()[:60]!r})"
        if isinstance(cause, http.client.HTTPException) and "headers" in str(cause):
            return "protocol error: the server sent more than 100 header lines"
        if isinstance(cause, socket.gaierror):
            if cause.errno == socket.EAI_NONAME:
                return "DNS lookup failed: no such host"
            return f"DNS lookup failed ({cause.strerror or cause})"
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.ENETDOWN, errno.EHOSTUNREACH):
            return f"cannot reach the host ({cause.strerror})"
    return _described(error)


def _described(error: Exception | None) -> str:
    text = str(error)
    if isinstance(error, requests.exceptions.SSLError):
        return "TLS error: " + (text.split("SSLError(")[-1].rstrip(")'\"") if "SSLError(" in text else text)[:160]
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return "connection timed out"
    if isinstance(error, requests.exceptions.ReadTimeout):
        return "no answer in time (read timeout)"
    if isinstance(error, requests.exceptions.Timeout):
        return "timed out"
    lowered = text.lower()
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "getaddrinfo" in lowered \
            or "nameresolution" in lowered or "no address associated" in lowered:
        return "DNS lookup failed"
    if "refused" in lowered:
        return "connection refused"
    if "reset" in lowered or "aborted" in lowered or "remotedisconnected" in lowered or "closed connection" in lowered:
        return "connection reset by the server"
    return f"connection failed: {text[:160]}"
