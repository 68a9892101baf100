"""Shared politeness: how often N crawlers on one Redis ask one outlet, from its own log.

A local outlet (127.0.0.1: robots.txt, a feed, PAGES articles) logs the time of every
request it answers. A distributed crawl of it runs with real processes: a real
redis-server, the writer (`newsmon store --from-redis`), the coordinator (`newsmon crawl
--redis`) and CRAWLERS - 1 workers (`newsmon crawl --redis --worker`), the watch keeping
download_delay = DELAY. It runs twice: with politeness shared through Redis (the default)
and without (each crawler keeping the delay on its own, as before), and reports, from the
server's log, the requests, their mean rate, the most in any one second and the shortest
gap between two.

    python benchmarks/politeness.py --crawlers 4 --pages 40 --delay 1
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if not __package__:  # run as `python benchmarks/politeness.py`: import from the checkout, as `-m` would
    sys.path[0] = str(REPO)

from newsmon.web import listings  # noqa: E402
from newsmon.web.server import RSS, TEXT, FakeWeb, Response  # noqa: E402

NEWSMON = [sys.executable, "-m", "newsmon.cli", "-q"]
WORDS = ("council ferry harbour timetable winter library budget road school river market vote museum "
         "bridge station clinic depot tram canal").split()


class Outlet(FakeWeb):
    """One outlet on 127.0.0.1 (the shared fake-web base) that logs (time, path, status) of
    every request; ``retry_after``: answer the first request for an article 429 with that
    Retry-After (seconds)."""

    def __init__(self, pages: int, retry_after: int | None = None):
        super().__init__()
        self.log: list[tuple[float, str, int]] = []
        self.lock = threading.Lock()
        self.refused: set[str] = set()
        self.pages, self.retry_after = pages, retry_after
        self.start()
        self.url = self.origin()

    def answer(self, request):
        arrived = time.monotonic()
        response = self._answer(request.path)
        with self.lock:
            self.log.append((arrived, request.path, response.status))
        return response

    def _answer(self, path: str) -> Response:
        if path == "/robots.txt":
            return Response(200, listings.robots_txt(), TEXT)
        if path == "/feed":
            return Response(200, listings.rss("Local", self.url, [listings.Entry(f"{self.url}/a/{i}")
                                                                    for i in range(self.pages)]), RSS)
        if path.startswith("/a/"):
            if self.retry_after is not None and path not in self.refused:
                with self.lock:
                    self.refused.add(path)
                return Response(429, "slow down", TEXT, headers={"Retry-After": str(self.retry_after)})
            rng = random.Random(path)
            body = "".join("<p>" + " ".join(rng.choice(WORDS) + str(rng.randrange(900)) for _ in range(40))
                           + ".</p>" for _ in range(6))
            return Response(200, f"<html lang='en'><head><title>Story {path}</title><meta property='og:type' "
                                 f"content='article'></head><body><article><h1>Story {path}</h1>{body}</article>"
                                 "</body></html>")
        return Response(404, "")

    def close(self):
        self.stop()


def watch_file(folder: Path, outlet: Outlet, delay: float, shared: bool, per_domain: int) -> Path:
    watch = folder / "watch.toml"
    watch.write_text(
        '[watch]\nname = "polite"\n'
        f"[crawl]\nallow_private_addresses = true\nautothrottle = false\ndownload_delay = {delay}\n"
        f"concurrent_requests_per_domain = {per_domain}\nrecheck_ladder = []\nkeep_unrelated = true\n"
        f"redis_heartbeat = 1.0\nredis_idle = 3.0\nredis_shared_politeness = {str(shared).lower()}\n"
        f'[[outlet]]\nid = "local"\nhomepage = "{outlet.url}/"\nfeeds = ["{outlet.url}/feed"]\n'
        'domains = ["127.0.0.1"]\n', encoding="utf-8")
    return watch


def rates(times: list[float]) -> dict:
    """Mean rate, the most requests in any one (and two) seconds, the shortest gap."""
    times = sorted(times)
    span = times[-1] - times[0] if len(times) > 1 else 0.0

    def most_within(width: float) -> int:
        best, start = 0, 0
        for end, t in enumerate(times):
            while t - times[start] >= width:
                start += 1
            best = max(best, end - start + 1)
        return best
    gaps = [b - a for a, b in zip(times, times[1:])]
    return {"requests": len(times), "span_s": round(span, 2),
            "mean_per_s": round((len(times) - 1) / span, 3) if span else None,
            "most_in_1s": most_within(1.0), "most_in_2s": most_within(2.0),
            "min_gap_s": round(min(gaps), 3) if gaps else None}


def _wait_for_clients(redis_url: str, crawlers: int, timeout: float):
    """Until every worker (waiting for the coordinator's crawl) and the writer are connected
    to Redis: started, each is ready to take requests from the first one."""
    from crawler.distributed import connect

    server = connect(redis_url)
    deadline = time.monotonic() + timeout
    while len(server.client_list()) - 1 < crawlers and time.monotonic() < deadline:
        time.sleep(0.2)


def measure(crawlers: int, pages: int, delay: float, shared: bool = True, per_domain: int = 2,
            retry_after: int | None = None, redis_url: str | None = None, timeout: float = 600,
            startup: float = 120.0) -> dict:
    """One distributed crawl of a local outlet; what the outlet saw."""
    from benchmarks.distributed import start_redis

    from pipelines.archive import Archive

    outlet = Outlet(pages, retry_after)
    redis = None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if redis_url is None:
            redis, redis_url = start_redis(folder)
        try:
            watch = watch_file(folder, outlet, delay, shared, per_domain)
            db = folder / "archive.db"
            Archive(db).close()
            # The workers first: started, they wait for the coordinator's crawl, so that every
            # crawler is at work from its first request (a crawler still starting takes none).
            procs = [subprocess.Popen(NEWSMON + ["crawl", "--redis", redis_url, "--worker", "--watch", str(watch)],
                                      stdout=subprocess.DEVNULL) for _ in range(crawlers - 1)]
            procs.append(subprocess.Popen(NEWSMON + ["store", "--from-redis", redis_url, "--watch", str(watch),
                                                     "--db", str(db), "--until-idle", "4"], stdout=subprocess.DEVNULL))
            _wait_for_clients(redis_url, crawlers, startup)
            procs.append(subprocess.Popen(NEWSMON + ["crawl", "--redis", redis_url, "--watch", str(watch),
                                                     "--db", str(db)], stdout=subprocess.DEVNULL))
            for p in procs:
                p.wait(timeout)
            import sqlite3

            with sqlite3.connect(db) as conn:
                stored = conn.execute("select count(*) from stories").fetchone()[0]
        finally:
            outlet.close()
            if redis is not None:
                redis.terminate()
                redis.wait()
    log = sorted(outlet.log)
    times = [t for t, _path, _status in log]
    articles = [t for t, path, _status in log if path.startswith("/a/")]
    return {"crawlers": crawlers, "shared": shared, "delay": delay, "stories": stored,
            "exit_codes": [p.returncode for p in procs], **rates(times), "articles": rates(articles),
            "log": [(round(t - times[0], 3), path, status) for t, path, status in log]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crawlers", type=int, default=4)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--delay", type=float, default=1.0)
    args = parser.parse_args(argv)
    results = {}
    for shared in (True, False):
        result = measure(args.crawlers, args.pages, args.delay, shared=shared)
        result.pop("log")
        results["shared" if shared else "per_crawler"] = result
        print(("shared through Redis" if shared else "each crawler alone") + ": " + json.dumps(result),
              file=sys.stderr)
    print(json.dumps({"benchmark": "politeness", "crawlers": args.crawlers, "pages": args.pages,
                      "download_delay": args.delay, **results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
