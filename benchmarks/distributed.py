"""Distributed crawling: throughput with 1, 2 and 4 crawlers sharing one Redis queue.

A synthetic news web (newsmon/web/synthetic.py) is served from 127.0.0.1-4, one outlet per
address, by a server that answers every request only after a delay (per outlet, as slow
sites are), and every crawler keeps a polite DOWNLOAD_DELAY per outlet: throughput is then
bound by politeness and latency, as when crawling the real web, not by this machine's two
cores, and each crawler added brings its own share of politeness.
For each number of crawlers it starts a real redis-server, one writer (`newsmon store
--from-redis`), the coordinator (`newsmon crawl --redis`) and the other crawlers (`newsmon
crawl --redis --worker`), and measures the wall time until everything is archived. A
single-process crawl (no Redis) is measured too, for reference.

    python benchmarks/distributed.py --pages 400 --crawlers 1,2,4
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsmon.web import synthetic

NEWSMON = [sys.executable, "-m", "newsmon.cli", "-q"]


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    return server, url


def stories(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("select count(*) from story_urls").fetchone()[0]


def run(site, bases, workdir: Path, crawlers: int, per_domain: int, download_delay: float,
        concurrent: int = 32) -> dict:
    watch = synthetic.write_watch(site, bases, workdir, keep_all=True, workers=1)
    # Politeness as a real watch keeps it: a delay between requests to each outlet.
    text = watch.read_text().replace("concurrent_requests_per_domain = 8",
                                     f"concurrent_requests_per_domain = {per_domain}").replace(
        "download_delay = 0.0", f"download_delay = {download_delay}").replace(
        "concurrent_requests = 32", f"concurrent_requests = {concurrent}")
    watch.write_text(text + "\n")
    db = workdir / f"archive-{crawlers}.db"
    if crawlers == 0:  # one process, no Redis
        started = time.perf_counter()
        subprocess.run(NEWSMON + ["crawl", "--watch", str(watch), "--db", str(db)], check=True,
                       stdout=subprocess.DEVNULL)
        return {"crawlers": "single process", "wall": time.perf_counter() - started, "urls": stories(db)}
    text = watch.read_text().replace("[crawl]", "[crawl]\nredis_idle = 3.0")
    watch.write_text(text)
    redis, url = start_redis(workdir)
    try:
        from pipelines.archive import Archive

        Archive(db).close()  # created before the writer and the coordinator both open it
        started = time.perf_counter()
        writer = subprocess.Popen(NEWSMON + ["store", "--from-redis", url, "--watch", str(watch), "--db", str(db),
                                             "--until-idle", "3"], stdout=subprocess.DEVNULL)
        coordinator = subprocess.Popen(NEWSMON + ["crawl", "--redis", url, "--watch", str(watch), "--db", str(db)],
                                       stdout=subprocess.DEVNULL)
        workers = [subprocess.Popen(NEWSMON + ["crawl", "--redis", url, "--worker", "--watch", str(watch)],
                                    stdout=subprocess.DEVNULL) for _ in range(crawlers - 1)]
        # Throughput is pages archived by the time the last one was: the crawlers' idle
        # wait before closing (NEWSMON_REDIS_IDLE) is not crawling.
        last, last_change = 0, started
        while any(p.poll() is None for p in [coordinator, *workers, writer]):
            time.sleep(0.25)
            try:
                now_count = stories(db)
            except sqlite3.Error:
                continue
            if now_count != last:
                last, last_change = now_count, time.perf_counter()
        return {"crawlers": crawlers, "wall": last_change - started, "urls": stories(db),
                "all_closed_after": time.perf_counter() - started}
    finally:
        redis.terminate()
        redis.wait()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--outlets", type=int, default=4)
    parser.add_argument("--crawlers", default="1,2,4")
    parser.add_argument("--delay", type=float, default=0.4, help="seconds each outlet takes to answer (the "
                        "slowest; the others are spread down to half of it)")
    parser.add_argument("--per-domain", type=int, default=2, help="CONCURRENT_REQUESTS_PER_DOMAIN per crawler")
    parser.add_argument("--concurrent", type=int, default=32,
                        help="CONCURRENT_REQUESTS per crawler (what one crawler takes from the queue at once)")
    parser.add_argument("--download-delay", type=float, default=0.5,
                        help="DOWNLOAD_DELAY per outlet per crawler (politeness: what more crawlers multiply)")
    args = parser.parse_args(argv)
    if not shutil.which("redis-server"):
        raise SystemExit("redis-server is not installed (Debian package redis-server)")
    site = synthetic.build_site(args.pages, outlets=args.outlets, seed=3)
    hosts = [f"127.0.0.{i + 1}" for i in range(args.outlets)]
    delays = [args.delay * (0.5 + 0.5 * i / max(1, args.outlets - 1)) for i in range(args.outlets)]
    server, bases = synthetic.serve_fast(site, hosts, delays)
    results = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for n in [0] + [int(c) for c in args.crawlers.split(",")]:
                result = run(site, bases, Path(tmp), n, args.per_domain, args.download_delay, args.concurrent)
                result["pages_per_s"] = round(result["urls"] / result["wall"], 2)
                results.append(result)
                print(f"{str(result['crawlers']):>15} crawler(s): {result['urls']} URLs archived, crawl "
                      f"{result['wall']:.1f} s -> {result['pages_per_s']} pages/s", flush=True)
    finally:
        server.kill()
    base = next((r for r in results if r["crawlers"] == 1), results[0])["pages_per_s"]
    for r in results:
        r["vs_one_crawler"] = round(r["pages_per_s"] / base, 2)
    print(json.dumps({"pages": args.pages, "outlets": args.outlets, "delays": [round(d, 2) for d in delays],
                      "per_domain": args.per_domain, "download_delay": args.download_delay, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
