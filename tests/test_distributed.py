"""Distributed crawling on scrapy-redis, with a real redis-server on 127.0.0.1: two
crawlers and one writer archive the demo web as one process does; a crawler killed
mid-crawl loses nothing."""

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from crawler.distributed import Writer, connect, keys
from crawler.run import crawl_in_child, worker_in_child
from crawler.watch import load_watch, outlet_toml
from pipelines.archive import Archive

REPO = Path(__file__).resolve().parent.parent
REDIS = shutil.which("redis-server")
# Locally a missing redis-server skips these tests; CI installs it, so there they must run.
pytestmark = [pytest.mark.crawl,
              pytest.mark.skipif(REDIS is None and not os.environ.get("CI"),
                                 reason="redis-server is not installed (Debian package redis-server; .ci/run installs it)")]
FAST = {"NEWSMON_REDIS_IDLE": 2.0, "NEWSMON_REDIS_HEARTBEAT": 0.5}
# Taken for dead after 4 s without a beat, not 2: CI's two cores stall a process that long.
STEADY = {**FAST, "NEWSMON_REDIS_HEARTBEAT": 1.0}


@pytest.fixture
def redis_url(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        try:
            connect(url).ping()
            break
        except Exception:  # noqa: BLE001 - not up yet
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(10)


def demo_watch(web):
    return web.watch(source_path=REPO / "data" / "sources" / "mps-not-border-guards.txt",
                     source_ref="frontier-report/charities-tell-mps-stop-reporting-immigration-crime",
                     topic=load_watch(REPO / "data" / "watch.toml").topic)


def archive_of(db):
    """Stories (outlet, title, label), their URLs, and the syndicated groups."""
    with sqlite3.connect(db) as conn:
        stories = {r[0]: r[1:] for r in conn.execute("select id, outlet, title, label from stories")}
        urls = {(stories[i], u) for i, u in conn.execute("select story_id, url from story_urls")}
        groups = {}
        for i, group in conn.execute("select id, copy_group from stories where copy_group is not null"):
            groups.setdefault(group, set()).add(stories[i])
    return set(stories.values()), urls, {frozenset(g) for g in groups.values() if len(g) > 1}


def assert_same_archive(db, expected_db, context=None):
    """archive_of both equal; if not, what one has and the other lacks (pytest's own diff of
    two large sets is cut off before it gets there)."""
    got, expected = archive_of(db), archive_of(expected_db)
    lacks = [sorted(map(str, e - g)) for g, e in zip(got, expected)]
    extra = [sorted(map(str, g - e)) for g, e in zip(got, expected)]
    assert got == expected, json.dumps({"lacks": lacks, "extra": extra, "context": context}, indent=1)


def writer_thread(url, watch, db, out):
    def write():
        with Archive(db) as archive:
            out["written"] = Writer(connect(url), watch.name, archive).run(until_idle=3)
    thread = threading.Thread(target=write)
    thread.start()
    return thread


def pages_wait_for_a_worker(web, redis_url, watch_name, most=10.0):
    """The web answers pages (not robots.txt, feeds or sitemaps) once a worker has joined
    the shared crawl, or after ``most`` seconds: on a busy machine the worker's process may
    start after the coordinator has fetched everything, and then it has no part to show."""
    joined = threading.Event()

    def wait_for_worker():
        server, deadline = connect(redis_url), time.monotonic() + 120
        while not joined.is_set() and time.monotonic() < deadline:
            if b"worker" in server.hvals(keys(watch_name).crawlers):
                joined.set()
            time.sleep(0.1)
    threading.Thread(target=wait_for_worker, daemon=True).start()
    answer = web.answer

    def gated(request):
        if not request.path.endswith((".txt", ".xml")):
            joined.wait(most)
        return answer(request)
    web.answer = gated
    return joined


def test_two_crawlers_and_a_writer_archive_what_one_process_does(demo_web, redis_url, tmp_path):
    asked_before = len(demo_web.requests)
    watch = demo_watch(demo_web)
    demo_web.edition = 1
    single = crawl_in_child(watch, tmp_path / "single.db", job="single", timeout=240)
    Archive(tmp_path / "shared.db").close()
    out = {}
    joined = pages_wait_for_a_worker(demo_web, redis_url, watch.name)
    try:
        worker = threading.Thread(target=lambda: out.setdefault("worker", worker_in_child(
            watch, {"NEWSMON_REDIS_URL": redis_url, **STEADY}, timeout=240)))
        worker.start()
        writer = writer_thread(redis_url, watch, tmp_path / "shared.db", out)
        coordinator = crawl_in_child(watch, tmp_path / "shared.db", job="coordinator", timeout=240,
                                     overrides={"NEWSMON_REDIS_URL": redis_url, **STEADY})
        worker.join()
        writer.join()
    finally:
        del demo_web.answer
        joined.set()
    assert out["worker"]["pages"] > 0 and coordinator["pages"] > 0  # both did part of the work
    assert_same_archive(tmp_path / "shared.db", tmp_path / "single.db")
    # robots.txt obeyed by both: pages of a host wait for its robots.txt all at once here.
    assert not [p for _o, p in demo_web.requests[asked_before:] if p.startswith("/subscribers/")]
    # The archive is the same, and so is the work: a page is fetched by one crawler only,
    # but for a request of a crawler taken for dead (a machine stalled past its heartbeat),
    # put back and perhaps fetched again. (One or two pages in a hundred more were seen under
    # load: robots-disallowed pages, fetched by requests waiting for their host's robots.txt.)
    fetched = out["worker"]["pages"] + coordinator["pages"]
    put_back = out["worker"]["put_back"] + coordinator["put_back"]
    assert single["pages"] <= fetched <= single["pages"] + put_back, \
        json.dumps([single, out["worker"], coordinator])
    assert out["written"]["stories_new"] == single["stories_new"]
    server = connect(redis_url)
    k = keys(watch.name)
    assert server.llen(k.results) == 0 and not server.exists(k.writing) and server.zcard(k.requests) == 0
    # The worker's own run is recorded by the writer.
    with sqlite3.connect(tmp_path / "shared.db") as conn:
        jobs = [j for (j,) in conn.execute("select job from crawl_runs order by id")]
    assert jobs[0] == "coordinator" and any(j.startswith("worker ") for j in jobs)


def test_a_crawler_killed_mid_crawl_loses_nothing(demo_web, redis_url, tmp_path):
    watch = demo_watch(demo_web)
    demo_web.edition = 1
    crawl_in_child(watch, tmp_path / "single.db", job="single", timeout=240)
    # Slow enough that the crawler to be killed is holding requests when it dies.
    slow = {"DOWNLOAD_DELAY": 0.05, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}
    lines = [f'[watch]\nname = "{watch.name}"\n', "[crawl]\nallow_private_addresses = true\nautothrottle = false\n"
             "download_delay = 0.05\nconcurrent_requests_per_domain = 2\nrecheck_ladder = []\n"
             "redis_heartbeat = 0.5\nredis_idle = 2.0\n"]
    lines += [outlet_toml(o) for o in watch.outlets]
    toml = tmp_path / "watch.toml"
    toml.write_text("\n".join(lines), encoding="utf-8")
    Archive(tmp_path / "shared.db").close()
    out = {}
    writer = writer_thread(redis_url, watch, tmp_path / "shared.db", out)
    result = {}
    coordinator = threading.Thread(target=lambda: result.setdefault("c", crawl_in_child(
        watch, tmp_path / "shared.db", job="coordinator", timeout=240,
        overrides={"NEWSMON_REDIS_URL": redis_url, **FAST, **slow})))
    coordinator.start()
    victim = subprocess.Popen([sys.executable, "-m", "newsmon.cli", "-q", "crawl", "--redis", redis_url, "--worker",
                               "--watch", str(toml)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    server, k = connect(redis_url), keys(watch.name)
    deadline = time.monotonic() + 60
    held = 0
    while time.monotonic() < deadline and not held:  # until the worker holds requests
        for name, role in server.hgetall(k.crawlers).items():
            if role == b"worker":
                held = server.hlen(k.inflight + name.decode())
        time.sleep(0.02)
    os.killpg(victim.pid, signal.SIGKILL)  # the worker and its crawl process, mid-crawl
    victim.wait()
    coordinator.join()
    writer.join()
    assert held > 0
    stats = json.loads(sqlite3.connect(tmp_path / "shared.db").execute(
        "select stats from crawl_runs where job = 'coordinator'").fetchone()[0])
    assert stats.get("newsmon/distributed/recovered", 0) >= 1  # its requests were put back
    assert result["c"]["put_back"] == stats["newsmon/distributed/recovered"]  # and the run's summary says so
    assert_same_archive(tmp_path / "shared.db", tmp_path / "single.db")


def test_a_worker_waits_for_a_coordinator_still_starting_and_not_for_a_dead_one(demo_web, redis_url, tmp_path):
    from crawler.distributed import publish_context

    watch = demo_watch(demo_web)
    server, k = connect(redis_url), keys(watch.name)
    # A coordinator has published its crawl; its crawl process is still starting (on a
    # busy machine that takes longer than a worker's idle time), so nothing is queued yet.
    with Archive(tmp_path / "a.db") as archive:
        publish_context(server, watch, archive, [], coordinator="starting-1")
    out = {}
    worker = threading.Thread(target=lambda: out.setdefault("worker", worker_in_child(
        watch, {"NEWSMON_REDIS_URL": redis_url, **FAST}, timeout=120)))
    worker.start()
    time.sleep(3 * FAST["NEWSMON_REDIS_IDLE"] + 3)  # spawn, then well past its idle time
    assert worker.is_alive()  # still waiting for the coordinator's work
    server.delete(k.alive + "starting-1")  # the coordinator died before its first heartbeat
    worker.join(60)
    assert not worker.is_alive() and out["worker"]["pages"] == 0
    assert not server.hexists(k.crawlers, "starting-1")  # the worker took it off the list



def _page(url, topic):
    """A page as a crawler pushes it, JSON (a store record without scores or MinHash;
    distinct text per topic: no near-duplicates)."""
    from pipelines.dedup import page_keys

    import random

    # Words drawn by topic: texts that differ in one word a sentence would be near-duplicates.
    rng, words = random.Random(topic), "harbour budget vote ward rates bridge school grant depot road levy hall".split()
    text = " ".join(f"The {topic} {rng.choice(words)} report {i} says the {rng.choice(words)} committee met on day "
                    f"{rng.randrange(1, 29)} over {rng.choice(words)} and {rng.choice(words)} item {rng.randrange(900)}."
                    for i in range(40))
    urls, keys_, text_hash = page_keys(url, url, None, text)
    return {"outlet": "paper", "outlet_name": "Paper", "urls": urls, "keys": keys_, "fetched_urls": [url],
            "authoritative": True, "text_hash": text_hash, "fetched_at": "2026-01-01T10:00:00+00:00",
            "discovered_via": "feed",
            "article": {"title": topic.title(), "text": text, "authors": [], "published": "2018-10-19",
                        "date_source": None, "modified": None, "language": "en", "sitename": "Paper",
                        "canonical_url": None, "section": None, "description": None, "image": None,
                        "word_count": len(text.split()), "sources": {}}}


def test_a_writer_that_stopped_mid_batch_loses_nothing(redis_url, tmp_path):
    from crawler.distributed import push

    server, k = connect(redis_url), keys("w")
    for i, topic in enumerate(["ferries", "libraries", "allotments"]):
        push(server, k.results, {"kind": "page", "page": _page(f"https://paper.example/{i}", topic)})
    # A writer took the first two into "writing" and died before its commit was acknowledged.
    server.lmove(k.results, k.writing, "RIGHT", "LEFT")
    server.lmove(k.results, k.writing, "RIGHT", "LEFT")
    with Archive(tmp_path / "a.db") as archive:
        writer = Writer(server, "w", archive)
        assert writer.write_once() == 2 and not server.exists(k.writing)  # the leftover batch first
        assert writer.write_once() == 1 and writer.write_once() == 0
        assert archive.db["stories"].count == 3
        # Written twice (a writer that died after its commit, before its acknowledgement): no duplicate.
        push(server, k.results, {"kind": "page", "page": _page("https://paper.example/0", "ferries")})
        writer.write_once()
        assert archive.db["stories"].count == 3 and writer.counts["unchanged"] == 1


class ReplyLosingProxy:
    """A relay in front of Redis that, for the ``n``th command holding ``pattern`` (for each
    of ``losses``: {pattern: n}), lets Redis run it and then cuts the connection before the
    reply gets back: what a Redis killed between running a command and answering does.
    The client sends it again."""

    def __init__(self, upstream_url, losses):
        self.upstream = int(upstream_url.rsplit(":", 1)[1].split("/")[0])
        self.losses, self.lost, self.lock = dict(losses), [], threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            client, _ = self.listener.accept()
            upstream = socket.create_connection(("127.0.0.1", self.upstream))
            state = {"cut": False}
            threading.Thread(target=self._relay, args=(client, upstream, state, True), daemon=True).start()
            threading.Thread(target=self._relay, args=(upstream, client, state, False), daemon=True).start()

    def _relay(self, src, dst, state, commands):
        try:
            while data := src.recv(65536):
                if commands:
                    with self.lock:
                        for pattern in [p for p in self.losses if p in data]:
                            self.losses[pattern] -= 1
                            if not self.losses[pattern]:
                                self.lost.append(pattern)
                                state["cut"] = True  # before Redis can answer
                elif state["cut"]:
                    break  # the reply to the command: never delivered
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


def test_a_move_whose_reply_was_lost_loses_no_result(redis_url, tmp_path):
    from crawler.distributed import push

    server, k = connect(redis_url), keys("w")
    for i, topic in enumerate(["ferries", "libraries", "allotments"]):
        push(server, k.results, {"kind": "page", "page": _page(f"https://paper.example/{i}", topic)})
    proxy = ReplyLosingProxy(redis_url, {b"LMOVE": 1})
    with Archive(tmp_path / "a.db") as archive:
        writer = Writer(connect(proxy.url, outage_wait=10), "w", archive)
        while writer.write_once():
            pass
        assert proxy.lost == [b"LMOVE"]  # the first record was moved to "writing" unanswered
        assert archive.db["stories"].count == 3
    assert server.llen(k.results) == 0 and not server.exists(k.writing)


def test_a_crawl_whose_replies_were_lost_loses_no_page(demo_web, redis_url, tmp_path):
    """A take from the queue and a new URL queued run in Redis, and their replies are lost:
    the request was taken and marked in flight, and the URL marked seen. Sent again, each is
    crawled once all the same. (The 30th of each: an article's, by then.)"""
    watch = demo_watch(demo_web)
    demo_web.edition = 1
    single = crawl_in_child(watch, tmp_path / "single.db", job="single", timeout=240)
    Archive(tmp_path / "shared.db").close()
    proxy = ReplyLosingProxy(redis_url, {b"ZRANGE": 30, b"ZSCORE": 30})  # the take's script, the queueing's
    out = {}
    writer = writer_thread(redis_url, watch, tmp_path / "shared.db", out)
    shared = crawl_in_child(watch, tmp_path / "shared.db", job="coordinator", timeout=240,
                            overrides={"NEWSMON_REDIS_URL": proxy.url, **STEADY})
    writer.join()
    assert sorted(proxy.lost) == [b"ZRANGE", b"ZSCORE"]
    assert shared["pages"] == single["pages"]  # none lost, none fetched twice
    assert_same_archive(tmp_path / "shared.db", tmp_path / "single.db")


def test_the_shared_filter_forgets_after_its_time(redis_url):
    from scrapy import Request

    from crawler.distributed import SeenFilter

    df = SeenFilter(connect(redis_url), key="t:seen")
    df.ttl = 0.5
    assert df.request_seen(Request("https://paper.example/a")) is False
    assert df.request_seen(Request("https://paper.example/a")) is True
    time.sleep(0.6)
    assert df.request_seen(Request("https://paper.example/a")) is False  # due to be looked at again
    assert df.request_seen(Request("https://paper.example/a")) is True
    df.close()
    assert connect(redis_url).exists("t:seen")  # one crawler closing clears nothing shared


# --- Redis going away mid-crawl (issue 21) -----------------------------------------------

class RedisServer:
    """A redis-server that can be killed (SIGKILL) and started again on the same port, with
    its data kept on disk (appendonly, fsync always) as a production Redis would."""

    def __init__(self, folder):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.folder = folder
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen([REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.folder)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                connect(self.url).ping()
                return self
            except Exception:  # noqa: BLE001 - not up yet
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def kill(self):
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def slow_watch(watch, tmp_path, outage_wait):
    """The demo watch as a file, slow enough to be mid-crawl when Redis goes."""
    lines = [f'[watch]\nname = "{watch.name}"\n', "[crawl]\nallow_private_addresses = true\nautothrottle = false\n"
             "download_delay = 0.1\nconcurrent_requests_per_domain = 1\nrecheck_ladder = []\n"
             f"redis_heartbeat = 0.5\nredis_idle = 3.0\nredis_outage_wait = {outage_wait}\n"]
    lines += [outlet_toml(o) for o in watch.outlets]
    toml = tmp_path / "watch.toml"
    toml.write_text("\n".join(lines), encoding="utf-8")
    return toml


def start_shared_crawl(redis, toml, db):
    """The writer, a coordinator and a worker, each a `newsmon` command of its own."""
    def newsmon(*args):
        return subprocess.Popen([sys.executable, "-m", "newsmon.cli", "-q", *map(str, args)],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return {"writer": newsmon("store", "--from-redis", redis.url, "--watch", toml, "--db", db, "--until-idle", 8),
            "coordinator": newsmon("crawl", "--redis", redis.url, "--watch", toml, "--db", db),
            "worker": newsmon("crawl", "--redis", redis.url, "--worker", "--watch", toml)}


def wait_for_stories(db, n, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if sqlite3.connect(db).execute("select count(*) from stories").fetchone()[0] >= n:
                return
        except sqlite3.OperationalError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"fewer than {n} stories archived in {timeout}s")


def test_a_redis_away_for_a_while_is_waited_for_and_the_crawl_goes_on(demo_web, tmp_path):
    asked_before = len(demo_web.requests)
    demo_web.edition = 1
    toml = slow_watch(demo_watch(demo_web), tmp_path, outage_wait=60)
    crawl_in_child(load_watch(toml), tmp_path / "single.db", job="single", timeout=240)
    redis = RedisServer(tmp_path).start()
    try:
        Archive(tmp_path / "shared.db").close()
        procs = start_shared_crawl(redis, toml, tmp_path / "shared.db")
        wait_for_stories(tmp_path / "shared.db", 3)
        redis.kill()  # mid-crawl: everyone is reading from or writing to it
        time.sleep(4)
        redis.start()  # back, with its data
        outputs = {name: p.communicate(timeout=300)[0] for name, p in procs.items()}
    finally:
        redis.stop()
    assert {name: p.returncode for name, p in procs.items()} == {"writer": 0, "coordinator": 0, "worker": 0}, outputs
    for output in outputs.values():
        assert "Traceback" not in output and "Error" not in output
    assert_same_archive(tmp_path / "shared.db", tmp_path / "single.db", outputs)
    assert not [p for _o, p in demo_web.requests[asked_before:] if p.startswith("/subscribers/")]  # robots.txt obeyed
    with sqlite3.connect(tmp_path / "shared.db") as conn:
        assert {s for (s,) in conn.execute("select status from crawl_runs")} == {"ok"}


def test_a_redis_gone_for_good_stops_every_process_in_one_line_and_the_run_is_interrupted(demo_web, tmp_path):
    watch = demo_watch(demo_web)
    demo_web.edition = 1
    redis = RedisServer(tmp_path).start()
    try:
        Archive(tmp_path / "shared.db").close()
        procs = start_shared_crawl(redis, slow_watch(watch, tmp_path, outage_wait=3), tmp_path / "shared.db")
        wait_for_stories(tmp_path / "shared.db", 3)
        redis.kill()
        gone = time.monotonic()
        outputs = {name: p.communicate(timeout=120)[0] for name, p in procs.items()}
        took = time.monotonic() - gone
    finally:
        redis.stop()
    assert took < 60  # bounded: the wait, then a clean stop
    for name, p in procs.items():
        lines = outputs[name].strip().splitlines()
        assert p.returncode == 1 and "Traceback" not in outputs[name], outputs[name]
        assert lines[-1].startswith(f"Error: Redis at {redis.url} unreachable for 3s: "), lines
        assert len(lines) <= 3, lines  # (the crawl's line, "unreachable ... waiting", the error)
    assert "run 1 recorded as interrupted" in outputs["coordinator"]
    assert "nothing lost: what was not written waits in Redis" in outputs["writer"]
    with sqlite3.connect(tmp_path / "shared.db") as conn:
        assert conn.execute("select status from crawl_runs where job = 'manual'").fetchone() == ("interrupted",)
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
