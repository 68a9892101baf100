import pytest
import os
import signal
import threading
import time

from pipelines.page import Context
from crawler.workers import WorkerPool
from tests.test_store import HTML


def run_all(pool, pages, timeout=60):
    """Submit every page; wait for every result (by page url)."""
    results, done = {}, threading.Event()
    lock = threading.Lock()

    def on_result(url):
        def callback(result):
            with lock:
                results[url] = result
                if len(results) == len(pages):
                    done.set()
        return callback

    for page in pages:
        pool.submit(page, on_result(page["url"]))
    assert done.wait(timeout), f"{len(results)} of {len(pages)} results"
    return results


def page(n, html=HTML):
    url = f"https://paper.example/{n}"
    return {"url": url, "requested_url": url, "html": html.replace("Hotline calls", f"Hotline calls {n}"),
            "hints": {}}


@pytest.mark.crawl
def test_pages_are_processed_in_workers_and_workers_are_recycled():
    with WorkerPool(Context(), processes=2, max_pages=3) as pool:
        deadline = time.monotonic() + 30
        while len(pool.workers) < 2 and time.monotonic() < deadline:  # they start in the background
            time.sleep(0.05)
        first = list(pool.workers)
        assert len(first) == 2
        results = run_all(pool, [page(n) for n in range(10)])
        assert pool.stats["recycled"] >= 2
        # No worker took more than 3 pages, and each that took 3 was replaced by a fresh one.
        # (A retired worker leaves the pool when its process has exited, just after its last
        # result. Which workers reach 3 depends on who is free first: a successor that is up
        # early can take the pages an older worker would have had.)
        assert all(w.dispatched <= 3 for w in first)
        retired = [w for w in first if w.dispatched == 3]
        assert retired
        deadline = time.monotonic() + 30  # (a loaded machine is slow to end processes)
        while any(w in pool.workers for w in retired) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(w in pool.workers for w in retired)
        assert all(not w.process.is_alive() for w in retired)
    assert all(r["record"].article["title"].startswith("Hotline calls") for r in results.values())
    assert {r["record"].article["title"] for r in results.values()} == {f"Hotline calls {n}" for n in range(10)}
    short = run_all_once(page("x", html="<html><body><p>Short.</p></body></html>"))
    assert short == {"drop": "too-short", "detail": "too-short"}


def run_all_once(p):
    with WorkerPool(Context(), processes=1) as pool:
        return run_all(pool, [p])[p["url"]]


def spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def misbehaving(page, ctx):
    """A page handler for the tests: slow, crashing, stuck or waiting, as the page asks."""
    if page["url"].endswith("/slow"):
        spin(float("inf"))  # CPU-bound, as a pathological page is: only its limit ends it
    if page["url"].endswith("/crash"):
        os._exit(3)  # as a segfault in a C extension would
    if page["url"].endswith("/stuck"):
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGPROF])  # as deep inside C code
        spin(float("inf"))  # only the watchdog ends it
    if page["url"].endswith("/waiting"):
        time.sleep(3)  # as a worker waiting for a core on a loaded machine: no CPU used
    return {"ok": page["url"]}


@pytest.mark.crawl
def test_a_slow_page_times_out_a_crash_and_a_stuck_worker_lose_only_their_page():
    pages = [{"url": f"https://paper.example/{name}"} for name in ("a", "slow", "b", "crash", "c", "stuck", "d")]
    with WorkerPool(Context(), processes=2, time_limit=1.0, handler=misbehaving) as pool:
        results = run_all(pool, pages, timeout=600)
        stats = dict(pool.stats)
    assert results["https://paper.example/slow"] == {"error": "timeout"}
    assert results["https://paper.example/crash"] == {"error": "worker-crashed"}
    assert results["https://paper.example/stuck"] == {"error": "worker-crashed"}  # killed by the watchdog
    for name in "abcd":
        assert results[f"https://paper.example/{name}"] == {"ok": f"https://paper.example/{name}"}
    assert stats["crashed"] == 2 and stats["killed"] == 1  # the stuck page ended by the watchdog


@pytest.mark.crawl
def test_time_waiting_for_a_core_is_not_charged_to_the_page():
    page = {"url": "https://paper.example/waiting"}
    with WorkerPool(Context(), processes=1, time_limit=1.0, handler=misbehaving) as pool:
        results = run_all(pool, [page])
        stats = dict(pool.stats)
    assert results[page["url"]] == {"ok": page["url"]} and stats["killed"] == 0
