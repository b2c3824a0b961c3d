"""A big link check split over processes, whole hosts to each, so that it uses every core.

On a fast network a check is bound by the CPU that Python spends per request (about half a
millisecond), and one interpreter runs one thread at a time: past a few hundred URLs, the
threads of one process queue for it while the network idles. Each process gets whole hosts, so
per-host limits hold exactly as in one process, and a share of the total concurrency. Children
are forked (no start-up cost, nothing to re-import) and send each outcome back as it is decided;
a URL whose child died is checked again here, so a crash costs time, never an answer.
"""

from __future__ import annotations

import math
import multiprocessing
import signal
import threading

from trackdesign.cores import can_fork, usable_cpus
from trackdesign.links.settings import LinkSettings

#: Below this many URLs the fork and the pipe cost more than a second core saves.
MIN_URLS = 200
MAX_PROCESSES = 4


def shares(urls: list[str], settings: LinkSettings) -> list[tuple[list[str], int]]:
    """(URLs, concurrency) for each process; one share means "check here".

    Hosts go to processes largest first, each to the process with the fewest URLs so far (the
    CPU cost is per URL); the total concurrency is divided in proportion to the requests each
    process can have in flight under its hosts' limits.
    """
    from trackdesign.links.check import host_of

    wanted = settings.processes or min(MAX_PROCESSES, usable_cpus())
    if wanted <= 1 or len(urls) < MIN_URLS or not can_fork():
        return [(urls, settings.concurrency)]
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(host_of(url), []).append(url)
    count = min(wanted, len(by_host), settings.concurrency)
    if count <= 1:
        return [(urls, settings.concurrency)]
    groups: list[list[str]] = [[] for _ in range(count)]
    slots = [0] * count
    for host, listed in sorted(by_host.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        k = min(range(count), key=lambda g: (len(groups[g]), g))
        groups[k].extend(listed)
        slots[k] += min(settings.for_host(host.split(":")[0])[0], len(listed))
    return list(zip(groups, _divide(settings.concurrency, slots)))


def _divide(total: int, slots: list[int]) -> list[int]:
    """`total` in whole parts, at least 1 each, in proportion to `slots`, never more than `total` in all."""
    need = sum(slots)
    if need <= total:
        return list(slots)
    parts = [max(1, math.floor(total * s / need)) for s in slots]
    while sum(parts) > total:
        parts[parts.index(max(parts))] -= 1
    return parts


def check_in_processes(checker, planned: list[tuple[list[str], int]]) -> dict:
    """Check the first share here and each other share in a forked child; merge their outcomes."""
    context = multiprocessing.get_context("fork")
    children = []
    for urls, concurrency in planned[1:]:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(checker, urls, concurrency, send), daemon=True,
                                  name="trackdesign-link-check")
        process.start()
        send.close()
        children.append((process, receive, urls))
    results: dict = {}
    readers = [threading.Thread(target=_receive, args=(receive, results, checker.progress), daemon=True)
               for _, receive, _ in children]
    for reader in readers:
        reader.start()
    results.update(checker.check_here(*planned[0]))
    for reader in readers:
        reader.join()
    for _, receive, _ in children:
        receive.close()
    # every outcome is in: the children's exit is reaped beside, not waited for (a few ms each)
    threading.Thread(target=_reap, args=([process for process, _, _ in children],), daemon=True).start()
    lost = [url for _, _, urls in children for url in urls if url not in results]
    if lost:
        results.update(checker.check_here(lost, planned[0][1]))
    return results


def _reap(processes) -> None:
    for process in processes:
        process.join()


def _receive(connection, results: dict, progress) -> None:
    while True:
        try:
            outcome = connection.recv()
        except (EOFError, OSError):
            return  # the child is gone; what it did not send is checked again
        if outcome is None:
            return
        results[outcome.url] = outcome
        if progress:
            progress(outcome)


def _child(checker, urls: list[str], concurrency: int, send) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends the child quietly; the parent reports it
    lock = threading.Lock()

    def report(outcome):
        with lock:  # worker threads share one pipe
            send.send(outcome)

    try:
        type(checker)(checker.settings, progress=report).check_here(urls, concurrency)
        send.send(None)
    except BaseException:  # noqa: BLE001 - whatever went wrong, the parent re-checks what is missing
        pass
    finally:
        send.close()
