"""Page processing off the reactor: a pool of worker processes fed while downloads go on.

trafilatura costs tens of milliseconds a page; on Scrapy's reactor thread that would stall
every download. ``WorkPipeline`` hands each page to a ``WorkerPool`` and awaits the result,
so the reactor keeps fetching while the workers clean, profile, hash and compare.

The pool: one process per core by default, started from a forkserver that has imported
the pipeline once (cheap starts, shared pages); each worker gets up to ``depth`` pages
ahead, so it never waits for the reactor between pages. A page has a limit of CPU time
(SIGPROF in the worker; past twice that, the worker is killed). CPU, not the wall clock:
workers run below the crawl's priority, so on a busy machine a page may wait seconds for a
core without being at fault, and such a page must not be dropped. A worker is replaced after
``max_pages`` pages, because trafilatura's caches grow over long runs, and when it dies.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import signal
import sqlite3
import sys
import threading
import time
import warnings
from collections import deque
from itertools import count

from pipelines.page import Context, process_page  # light: trafilatura loads on first page

logger = logging.getLogger(__name__)

# The forkserver imports the program's main module ahead (see WorkerPool); multiprocessing
# then runs it again in each worker under another name, which runpy warns about.
warnings.filterwarnings("ignore", category=RuntimeWarning, module="runpy")


def start_forkserver():
    """Start the server workers are forked from, now, so that it imports what a worker needs
    (the program's main module, which multiprocessing loads in every child, and the page
    stages, warmed: ``pipelines.preload``) once, while the caller goes on. Idempotent."""
    from multiprocessing import forkserver

    main = getattr(sys.modules["__main__"], "__spec__", None)
    multiprocessing.get_context("forkserver").set_forkserver_preload(
        ["crawler.workers"] + ([main.name] if main and main.name else []) + ["pipelines.preload"])
    forkserver.ensure_running()


WORKER_NICENESS = 5


class PageTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise PageTimeout()


def _cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used, from /proc; None where there is none."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _worker_main(conn, ctx: Context, time_limit: float, handler=process_page):
    try:  # Linux: die with the crawl even if it is killed outright
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawl's to handle; it stops us
    # Below the crawl's process: when both want a core, the downloads that feed the workers
    # go first, so no worker waits for a page while another page is being parsed.
    os.nice(WORKER_NICENESS)
    signal.signal(signal.SIGPROF, _on_alarm)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the crawl is gone
        if message is None:
            return
        task_id, page = message
        try:
            signal.setitimer(signal.ITIMER_PROF, time_limit)  # counts this process's CPU time
            result = handler(page, ctx)
            signal.setitimer(signal.ITIMER_PROF, 0)
        except PageTimeout:
            result = {"error": "timeout"}
        except Exception as exc:  # noqa: BLE001 - one bad page must not end the worker
            signal.setitimer(signal.ITIMER_PROF, 0)
            result = {"error": "worker-exception", "detail": f"{type(exc).__name__}: {exc}"}
        try:
            conn.send((task_id, result))
        except (BrokenPipeError, OSError):
            return


class _Worker:
    def __init__(self, pool: "WorkerPool", number: int):
        self.number = number
        parent, child = pool.mp.Pipe()
        self.conn = parent
        self.process = pool.mp.Process(target=_worker_main,
                                       args=(child, pool.context, pool.time_limit, pool.handler),
                                       name=f"newsmon-worker-{number}", daemon=True)
        self.process.start()
        child.close()
        self.outbox: queue.SimpleQueue = queue.SimpleQueue()
        # task id -> (page, callback), in the order sent: the worker takes them in turn.
        self.in_flight: dict[int, tuple] = {}
        self.dispatched = 0
        self.retiring = False
        self.busy_since: float | None = None  # when the page it is working on reached it
        self.reader = threading.Thread(target=pool._read, args=(self,), daemon=True,
                                       name=f"newsmon-worker-{number}-reader")
        # Sending a page can block until the worker reads it: never on the caller's thread.
        self.writer = threading.Thread(target=self._write, daemon=True, name=f"newsmon-worker-{number}-writer")
        self.reader.start()
        self.writer.start()

    def _write(self):
        while True:
            message = self.outbox.get()
            try:
                self.conn.send(message)
            except (BrokenPipeError, OSError):
                return  # the reader sees the worker gone and settles its pages
            if message is None:
                return


class WorkerPool:
    """Runs ``handler(page, context)`` (``process_page``) in worker processes; ``submit``
    returns at once and the callback gets the result (from a pool thread: pass ``deliver``
    to move it elsewhere)."""

    def __init__(self, context: Context, processes: int = 0, time_limit: float = 30.0,
                 max_pages: int = 500, depth: int = 2, deliver=None, start_method: str = "forkserver",
                 handler=process_page):
        self.context = context
        self.handler = handler
        self.size = processes or os.cpu_count() or 1
        self.time_limit = time_limit
        self.max_pages = max_pages
        self.depth = depth
        self.deliver = deliver or (lambda callback, result: callback(result))
        self.mp = multiprocessing.get_context(start_method)
        if start_method == "forkserver":
            start_forkserver()
        self.lock = threading.Lock()
        self.pending: deque = deque()
        self.ids = count(1)
        self.numbers = count(1)
        self.closed = False
        self.stats = {"started": 0, "recycled": 0, "killed": 0, "crashed": 0}
        self.workers: list[_Worker] = []
        self.starting: list[threading.Thread] = []
        with self.lock:
            for _ in range(self.size):
                self._start()
        self.watchdog = threading.Thread(target=self._watch, daemon=True, name="newsmon-worker-watchdog")
        self.watchdog.start()

    def _start(self):
        """Under the lock: a new worker, started on a thread of its own (starting a process
        takes a moment): pages submitted meanwhile wait, the caller does not."""
        self.stats["started"] += 1
        number = next(self.numbers)

        def start():
            worker = _Worker(self, number)
            with self.lock:
                self.starting.remove(thread)
                if self.closed:
                    worker.retiring = True
                    worker.outbox.put(None)
                self.workers.append(worker)
                self._dispatch()

        thread = threading.Thread(target=start, daemon=True, name=f"newsmon-worker-{number}-start")
        self.starting.append(thread)
        thread.start()

    def submit(self, page: dict, callback):
        with self.lock:
            if self.closed:
                raise RuntimeError("the worker pool is closed")
            self.pending.append((next(self.ids), page, callback))
            self._dispatch()

    def _dispatch(self):
        # Under the lock. Fill the least loaded worker first, each up to ``depth`` pages.
        while self.pending:
            ready = [w for w in self.workers if not w.retiring and len(w.in_flight) < self.depth]
            if not ready:
                return
            worker = min(ready, key=lambda w: len(w.in_flight))
            task_id, page, callback = self.pending.popleft()
            if not worker.in_flight:
                worker.busy_since = time.monotonic()
            worker.in_flight[task_id] = (page, callback)
            worker.dispatched += 1
            worker.outbox.put((task_id, page))
            if worker.dispatched >= self.max_pages:
                # Retire it once its last pages are back; its successor starts now.
                worker.retiring = True
                self.stats["recycled"] += 1
                self._start()

    def _read(self, worker: _Worker):
        while True:
            try:
                task_id, result = worker.conn.recv()
            except (EOFError, OSError):
                self._worker_gone(worker)
                return
            with self.lock:
                _page, callback = worker.in_flight.pop(task_id)
                worker.busy_since = time.monotonic() if worker.in_flight else None
                if worker.retiring and not worker.in_flight:
                    worker.outbox.put(None)
                self._dispatch()
            self.deliver(callback, result)

    def _worker_gone(self, worker: _Worker):
        worker.process.join(5)
        with self.lock:
            tasks = list(worker.in_flight.items())
            worker.in_flight.clear()
            if worker in self.workers:
                self.workers.remove(worker)
            lost = None
            if tasks:
                # The page it was working on is lost (and is the likely culprit); the ones
                # queued behind it were never started: they go to another worker.
                lost = tasks[0][1]
                self.stats["crashed"] += 1
                logger.error("worker %d ended (exit code %s) on %s", worker.number, worker.process.exitcode,
                             lost[0].get("url"))
                for task_id, (page, callback) in reversed(tasks[1:]):
                    self.pending.appendleft((task_id, page, callback))
            if not self.closed and sum(not w.retiring for w in self.workers) + len(self.starting) < self.size:
                self._start()
            self._dispatch()
        worker.conn.close()
        if lost is not None:
            self.deliver(lost[1], {"error": "worker-crashed"})

    def _watch(self):
        """A page stuck where SIGPROF cannot reach (deep in C code): kill its worker once
        the page has used twice its CPU time and more; a worker that makes no progress at
        all (no CPU either) is killed after ten times that on the wall clock."""
        hard_limit = self.time_limit * 2 + 5
        backstop = hard_limit * 10
        marks: dict[int, tuple[float, float | None]] = {}  # worker number -> (busy_since, CPU then)
        while not self.closed:
            time.sleep(min(1.0, self.time_limit / 2))
            with self.lock:
                busy = [(w, w.busy_since) for w in self.workers if w.busy_since]
            stuck = []
            for worker, since in busy:
                cpu = _cpu_seconds(worker.process.pid)
                if marks.get(worker.number, (None,))[0] != since:
                    marks[worker.number] = (since, cpu)
                start_cpu = marks[worker.number][1]
                used = cpu - start_cpu if cpu is not None and start_cpu is not None else time.monotonic() - since
                if used > hard_limit or time.monotonic() - since > backstop:
                    stuck.append(worker)
            for worker in stuck:
                logger.error("worker %d stuck on a page (over %.0f s of CPU): killed", worker.number, hard_limit)
                self.stats["killed"] += 1
                worker.process.kill()

    def close(self, timeout: float = 10.0):
        """Let every worker finish its pages and exit."""
        with self.lock:
            self.closed = True
            starting = list(self.starting)
        for thread in starting:  # a worker still starting retires as soon as it is up
            thread.join(timeout)
        with self.lock:
            workers = list(self.workers)
            for worker in workers:
                worker.retiring = True
                if not worker.in_flight:
                    worker.outbox.put(None)
        deadline = time.monotonic() + timeout
        for worker in workers:
            worker.process.join(max(0.1, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class WorkPipeline:
    """Cleans, labels, keys and compares each page in the worker pool; drops what is not
    an article or not on the watch's subject (remembering the latter's URL)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.pool: WorkerPool | None = None
        self.archive = None  # for the URLs of unrelated pages (the store writes the rest)
        self.remembered: list[str] = []

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        from twisted.internet import reactor

        from crawler.distributed import crawl_state
        from pipelines.compare import load_framing
        from pipelines.dedup import NearDupSettings
        from pipelines.relevance import Thresholds

        from pipelines.topic import TopicModel, watch_judge

        s = self.crawler.settings
        watch = self.crawler.spider.watch
        self.archive = crawl_state(s)  # the archive, or what a distributed crawl published of it
        # The watch's topic judge, taught by the reader's judgements (fitted at crawl start).
        judge = watch_judge(watch.topic, self.archive, s.getfloat("NEWSMON_RELEVANCE_TOPIC"))
        self.topic_version = judge.version if judge is not None else None
        context = Context(
            topic_terms=watch.topic.terms if watch.topic else None,
            topic_model=judge.params if isinstance(judge, TopicModel) else None,
            sources=self.archive.source_profiles(),  # the watch's and any added by `sources add`
            rarity=self.archive.rarity(),  # the archive's word rarity, for the same-story evidence
            thresholds=Thresholds.from_settings(s), lexicon=load_framing(s["NEWSMON_FRAMING_LEXICON"]),
            # the archive's own layout (it keeps one), with the thresholds of these settings
            neardup=self.archive.layout(NearDupSettings.from_settings(s)),
            min_words=s.getint("NEWSMON_MIN_ARTICLE_WORDS"),
            favor_precision=s.getbool("NEWSMON_TRAFILATURA_FAVOR_PRECISION"),
            keep_unrelated=s.getbool("NEWSMON_KEEP_UNRELATED"))
        self.pool = WorkerPool(context, s.getint("NEWSMON_WORKERS"), s.getfloat("NEWSMON_PAGE_TIME_LIMIT"),
                               s.getint("NEWSMON_WORKER_MAX_PAGES"),
                               deliver=lambda callback, result: reactor.callFromThread(callback, result))

    def close_spider(self):
        self._write_remembered()
        if self.archive is not None:
            self.archive.close()
        if self.pool is not None:
            self.pool.close()
            for key, value in self.pool.stats.items():
                self.stats.set_value(f"newsmon/workers/{key}", value)

    async def process_item(self, item):
        from scrapy.exceptions import DropItem
        from scrapy.utils.defer import maybe_deferred_to_future
        from twisted.internet.defer import Deferred

        page = {"url": item.url, "requested_url": item.requested_url, "html": item.html, "hints": item.hints,
                "follow": item.follow_left > 0,
                "fetched_at": item.fetched_at, "outlet": item.outlet, "outlet_name": item.outlet_name,
                "discovered_via": item.discovered_via}
        done: Deferred = Deferred()
        self.pool.submit(page, done.callback)
        result = await maybe_deferred_to_future(done)
        item.html = ""  # the archive keeps the text; the page's markup need not stay in memory
        if "error" in result:
            self.stats.inc_value(f"newsmon/errors/{result['error']}")
            self.stats.inc_value("newsmon/article-errors")  # fetched again next crawl
            logger.error("could not process %s: %s", item.url, result.get("detail") or result["error"])
            raise DropItem(f"{result['error']}: {item.url}")
        if result.get("drop") == "unrelated":
            self.stats.inc_value("newsmon/cleaned")
            self.stats.inc_value("newsmon/label/unrelated")
            self.stats.inc_value("newsmon/dropped/unrelated")
            self.remembered.append(item.url)
            if len(self.remembered) >= 100:
                self._write_remembered()
            rel = result["relevance"]
            raise DropItem(f"unrelated (topic {rel['topic_score']}, same-story {rel['same_story_score']}): "
                           f"{item.url}")
        if "drop" in result:
            self.stats.inc_value(f"newsmon/dropped/{result['drop']}")
            raise DropItem(f"not an article ({result['detail']}): {item.url}")
        self.stats.inc_value("newsmon/cleaned")
        if result.get("links"):
            self.crawler.spider.follow_links(item, result["links"])
        item.record = result["record"]
        self.stats.inc_value(f"newsmon/label/{item.record.relevance['label'] or 'unlabelled'}")
        return item

    def _write_remembered(self):
        # Unrelated pages are not stories, but later crawls should not fetch them again.
        if self.remembered and not self.stats.get_value("newsmon/archive_fault"):
            from crawler import sink
            from crawler.distributed import RedisGone
            from crawler.store import crawl_sink, stop_crawl_for
            from pipelines.archive import ArchiveError, archive_fault

            try:
                crawl_sink(self.crawler).write([sink.remember(self.remembered, "unrelated", self.topic_version)])
            except (sqlite3.Error, ArchiveError) as exc:  # not remembered: fetched again next time
                fault = archive_fault(exc, self.crawler.settings.get("NEWSMON_DB_PATH"))
                if fault is None:
                    raise
                stop_crawl_for(self.crawler, self.stats, fault)
            except RedisGone:
                pass  # not remembered: looked at again by the next crawl
        self.remembered = []
