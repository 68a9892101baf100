"""Distributed crawling on scrapy-redis: many crawl processes, on any machines, one archive.

Roles (all run the same spider; ``newsmon crawl --redis URL [--worker]``, ``newsmon store
--from-redis URL``):

- the *coordinator* (``newsmon crawl --redis URL``, next to the archive) publishes what a
  crawl needs from the archive to Redis (the sources' profiles, URLs remembered as
  unrelated or gone, archived URLs not due for a recheck, the listings' validators), seeds
  the shared duplicate filter from it, and puts the watch's feeds, sitemaps, searches and
  rechecks in the shared queue; then it works like a worker;
- *workers* (``--worker``) take requests from the shared queue (scrapy-redis's scheduler),
  fetch, clean, label and profile pages in their own worker processes, and push the
  results to Redis; they never open the archive;
- one *writer* (``newsmon store --from-redis URL``) drains the results into the archive in
  batches, where deduplication against everything archived happens.

Nothing is lost when a process dies:

- a request a crawler took from the queue is kept in its in-flight hash until its page is
  pushed (or its failure handled); a crawler whose heartbeat stops has its in-flight
  requests put back in the queue by the others;
- the writer moves a batch to a "writing" list before writing it, and deletes it only
  after its transaction commits; a writer that starts finds any batch left there and
  writes it again (writing a page twice changes nothing: it is the same URL and text).

The duplicate filter keeps each request's fingerprint with the time it was seen and
forgets it after NEWSMON_REDIS_SEEN_TTL, so pages are looked at again for revisions; the
coordinator also forgets, at each crawl's start, the archived URLs due for a recheck.
"""

from __future__ import annotations

import logging
import json
import os
import random
import socket
import threading
import time
from types import SimpleNamespace

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, DropItem
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

logger = logging.getLogger(__name__)


# --- Redis going away: wait for it a bounded time, then stop -------------------------------

class RedisGone(Exception):
    """Redis stayed unreachable for longer than NEWSMON_REDIS_OUTAGE_WAIT; str() is one line."""


class Outage:
    """A process's view of its Redis: reachable, away since when, or given up on. Shared by
    every connection of the process to that Redis, so that an outage is waited out once
    (not once per command) and said once."""

    _of: dict = {}

    def __init__(self, url: str, wait: float):
        self.url, self.wait = url, wait
        self.since: float | None = None  # when this outage began
        self.ended_at: float | None = None  # when the last one ended
        self.gone = False
        self.lock = threading.Lock()
        self.on_gone: list = []
        self.on_back: list = []

    @classmethod
    def of(cls, url: str, wait: float) -> "Outage":
        outage = cls._of.get(url)
        if outage is None:
            outage = cls._of[url] = cls(url, wait)
        outage.wait = wait
        return outage

    def message(self) -> str:
        return f"Redis at {self.url} unreachable for {self.wait:g}s"

    def failed(self, exc: Exception):
        """A command could not reach Redis: pause before it tries again, or raise RedisGone
        once the outage has lasted ``wait`` seconds."""
        with self.lock:
            if self.gone:
                raise RedisGone(self.message())
            now = time.monotonic()
            if self.since is None:
                self.since = now
                logger.warning("Redis at %s unreachable (%s): waiting up to %gs for it", self.url,
                               str(exc).splitlines()[0][:100], self.wait)
            left = self.since + self.wait - now
            if left <= 0:
                self.gone = True
                callbacks = list(self.on_gone)
            else:
                callbacks = None
        if callbacks is not None:
            for callback in callbacks:
                callback()
            raise RedisGone(self.message())
        time.sleep(min(0.5, left))

    def reached(self):
        if self.since is None:
            return
        with self.lock:
            if self.since is None:
                return
            logger.warning("Redis at %s back after %.0fs", self.url, time.monotonic() - self.since)
            self.since, self.ended_at = None, time.monotonic()
            callbacks = list(self.on_back)
        for callback in callbacks:
            callback()

    def recently_back(self, within: float) -> bool:
        return self.ended_at is not None and time.monotonic() - self.ended_at < within


class PatientRedis(redis.Redis):
    """A Redis client whose commands wait out an outage (Redis restarting, a network blip)
    for up to ``outage_wait`` seconds in all, then raise RedisGone."""

    outage: Outage | None = None

    @classmethod
    def from_url(cls, url: str, outage_wait: float | None = None, **kwargs):
        client = super().from_url(url, **kwargs)
        if outage_wait is not None:
            client.outage = Outage.of(url, outage_wait)
        return client

    def execute_command(self, *args, **options):
        while True:
            try:
                result = super().execute_command(*args, **options)
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                if self.outage is None:
                    raise
                self.outage.failed(exc)
                continue
            if self.outage is not None:
                self.outage.reached()
            return result


def keys(watch_name: str) -> SimpleNamespace:
    """The Redis keys of one watch's shared crawl (crawlers: a hash of crawler id -> role)."""
    base = f"newsmon:{watch_name}"
    return SimpleNamespace(requests=f"{base}:requests", seen=f"{base}:seen", results=f"{base}:results",
                           writing=f"{base}:results:writing", context=f"{base}:context",
                           crawlers=f"{base}:crawlers", inflight=f"{base}:inflight:", alive=f"{base}:alive:")


def connect(url: str, outage_wait: float | None = None):
    """A client of the Redis at ``url``; with ``outage_wait``, one that waits out an outage
    that long (PatientRedis), else one that fails at once."""
    return PatientRedis.from_url(url, outage_wait=outage_wait, socket_timeout=30, socket_connect_timeout=10,
                                 health_check_interval=30)


def outage_wait(settings) -> float:
    return settings.getfloat("NEWSMON_REDIS_OUTAGE_WAIT")


def check_redis(url: str) -> None:
    """Raises ValueError with one line when the Redis server cannot be used."""
    try:
        connect(url).ping()
    except (redis.RedisError, ValueError, OSError) as exc:
        raise ValueError(f"cannot reach Redis at {url}: {exc}") from None


def worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def distributed_settings(url: str, watch_name: str, role: str, wait: float) -> dict:
    """The Scrapy settings of a crawler in distributed mode (``wait``: NEWSMON_REDIS_OUTAGE_WAIT)."""
    k = keys(watch_name)
    return {
        "SCHEDULER": "crawler.distributed.SharedScheduler",
        "SCHEDULER_PERSIST": True,  # the queue outlives any one crawler
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.MixedPriorityQueue",
        "SCHEDULER_QUEUE_KEY": k.requests,
        "SCHEDULER_DUPEFILTER_KEY": k.seen,
        "DUPEFILTER_CLASS": "crawler.distributed.SeenFilter",
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        "REDIS_URL": url,
        # scrapy-redis's connections (the queue, the filter) wait out an outage like ours
        "REDIS_PARAMS": {"redis_cls": "crawler.distributed.PatientRedis", "outage_wait": wait},
        "NEWSMON_REDIS_URL": url,
        "NEWSMON_REDIS_ROLE": role,
        "ITEM_PIPELINES": {"crawler.workers.WorkPipeline": 100, "crawler.distributed.ResultPipeline": 500},
        "SPIDER_MIDDLEWARES": {"crawler.distributed.InflightMiddleware": 950},
        "EXTENSIONS": {"crawler.middlewares.DownloadLimits": 500, "crawler.distributed.SharedCrawl": 600},
    }


# Each request waits for its outlet's turn in Redis (crawler/politeness.py) before it is sent.
SHARED_POLITENESS = {"DOWNLOAD_HANDLERS": {"http": "crawler.politeness.SharedPolitenessHandler",
                                           "https": "crawler.politeness.SharedPolitenessHandler"}}


def push(server, key: str, record: dict) -> None:
    """One record for the writer, as JSON (``crawler.sink``: what a crawl writes)."""
    from crawler.sink import encode

    server.lpush(key, encode(record))


def _plain(value):
    """JSON-ready: sets as sorted lists, tuples as lists (the state a crawl publishes)."""
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# --- what a crawl needs from the archive, published for crawlers without it ---------------

# How long a coordinator counts as alive between publishing its crawl and its first
# heartbeat (its crawl process starting up): workers wait for its work meanwhile.
START_GRACE = 120


def publish_context(server, watch, archive, ladder, backfill: bool = False, coordinator: str | None = None,
                    topic_version: str | None = None) -> None:
    """The coordinator's part: the archive's state a crawl reads, in Redis; and the
    coordinator registered, so that workers wait for the work it is about to queue.
    ``topic_version``: the crawl's topic judge (URLs another judge dropped are not remembered)."""
    context = {"remembered": archive.remembered_keys(topic_version), "not_due": archive.not_due_keys(ladder),
               "judged": archive.judged_examples(),
               "due": archive.due_urls(ladder), "listings": archive.listing_state(),
               "sources": archive.source_profiles(), "published_at": time.time(),
               # the archive's near-duplicate layout: workers sign pages with it
               "layout": {k: getattr(archive.neardup, k) for k in ("permutations", "shingle", "bands")},
               "archived_keys": archive.story_url_keys() if backfill else set(),
               "archived_hosts": archive.story_hosts(("same_story", "related")) if backfill else []}
    k = keys(watch.name)
    server.set(k.context, json.dumps(_plain(context), ensure_ascii=False))
    if coordinator:
        server.hset(k.crawlers, coordinator, "coordinator")
        server.set(k.alive + coordinator, "1", ex=START_GRACE)


def seed_seen(server, watch_name: str, archive, ladder, fingerprint, topic_version: str | None = None) -> int:
    """Seed the shared duplicate filter from the archive: URLs remembered as unrelated (by
    this crawl's topic judge) or gone and archived URLs not due for a recheck count as seen;
    URLs due are forgotten."""
    k = keys(watch_name)
    now = time.time()
    not_due = archive.not_due_keys(ladder)
    urls = archive.remembered_urls(topic_version)
    urls += [r[0] for r in archive.db.execute("select url, normalised from story_urls") if r[1] in not_due]
    seen = {fingerprint(url): now for url in urls}
    due = [fingerprint(url) for url, _outlet in archive.due_urls(ladder)]
    pipe = server.pipeline()
    items = list(seen.items())
    for i in range(0, len(items), 1000):
        pipe.zadd(k.seen, dict(items[i:i + 1000]), nx=True)
    if due:
        pipe.zrem(k.seen, *due)
    pipe.execute()
    return len(seen)


class SharedState:
    """What the spider and the work pipeline read from the archive, read from Redis instead
    (the same methods as ``pipelines.archive.Archive``); writes go to the results list."""

    def __init__(self, settings, wait: float = 60.0):
        self.server = connect(settings["NEWSMON_REDIS_URL"], outage_wait(settings))
        self.keys = keys(settings["NEWSMON_WATCH_NAME"])
        deadline = time.monotonic() + wait
        raw = self.server.get(self.keys.context)
        while raw is None and time.monotonic() < deadline:
            time.sleep(0.5)  # a worker started before the coordinator: wait for it
            raw = self.server.get(self.keys.context)
        if raw is None:
            raise RuntimeError(f"no crawl published in Redis for watch {settings['NEWSMON_WATCH_NAME']!r} "
                               "(start `newsmon crawl --redis URL` on the archive's machine)")
        self.context = json.loads(raw)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        pass

    def layout(self, neardup):
        """``neardup`` with the archive's layout, as its coordinator published it."""
        from dataclasses import replace

        return replace(neardup, **self.context.get("layout", {}))

    def remembered_keys(self, model=None):
        return set(self.context["remembered"])

    def judged_examples(self):
        return list(self.context.get("judged", []))

    def not_due_keys(self, ladder):
        return set(self.context["not_due"])

    def due_urls(self, ladder):
        return [tuple(pair) for pair in self.context["due"]]

    def listing_state(self):
        return dict(self.context["listings"])

    def source_profiles(self, ids=None):
        return [s for s in self.context["sources"] if ids is None or s["id"] in ids]

    def rarity(self):
        """None: the coordinator publishes no word counts, so a distributed crawl weighs
        same-story words by wordfreq alone (the plain model)."""
        return None

    def story_url_keys(self):
        return set(self.context["archived_keys"])

    def story_hosts(self, labels):
        return list(self.context["archived_hosts"])


def crawl_state(settings):
    """The archive, or in distributed mode its state as published in Redis."""
    if settings.get("NEWSMON_REDIS_URL"):
        return SharedState(settings)
    from pipelines.archive import Archive

    return Archive(settings["NEWSMON_DB_PATH"])


# --- the shared queue, with requests in flight kept until done ------------------------------

class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler; a request taken from the queue is also written to this
    crawler's in-flight hash, and removed when its page is pushed or its failure handled."""

    @classmethod
    def from_crawler(cls, crawler):
        # (scrapy-redis reads crawler.stats here; Scrapy sets it only when the crawl starts)
        instance = cls.from_settings(crawler.settings)
        instance.stats = None
        return instance

    def open(self, spider):
        self.stats = spider.crawler.stats
        self.max_waiting = spider.crawler.settings.getint("NEWSMON_REDIS_MAX_WAITING")
        super().open(spider)
        self.crawler_id = spider.crawler.settings["NEWSMON_REDIS_WORKER_ID"]
        self.inflight_prefix = keys(spider.watch.name).inflight
        self.inflight_key = self.inflight_prefix + self.crawler_id

    def enqueue_request(self, request):
        try:
            if request.dont_filter:
                self.queue.push(request)
            elif not self.df.mark_and_push(request, self.queue):
                self.done(request)  # a redirect or retry of a request in flight, to a URL seen: it ends here
                return False
        except RedisGone:
            return False  # the crawl is stopping; the next one finds this URL again
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def has_pending_requests(self):
        try:
            return super().has_pending_requests()
        except RedisGone:
            return False

    # Take the first request and record it as this crawler's, in one step: a crawler
    # killed between the two would otherwise lose the request. A take sent again (its reply
    # lost to an outage) answers the request it took the first time, under the same token.
    _TAKE = """
    local taken = redis.call('HGET', KEYS[2], ARGV[1])
    if taken then return taken end
    local first = redis.call('ZRANGE', KEYS[1], 0, 0)
    if #first == 0 then return false end
    redis.call('ZREM', KEYS[1], first[1])
    redis.call('HSET', KEYS[2], ARGV[1], first[1])
    return first[1]
    """

    def next_request(self):
        # Take no more than a few requests ahead of what politeness lets this crawler send:
        # a request held waiting in one crawler's download slot is one another could fetch.
        downloader = getattr(self.spider.crawler.engine, "downloader", None)
        if downloader is not None and sum(len(slot.queue) for slot in downloader.slots.values()) \
                >= self.max_waiting:
            return None
        token = os.urandom(8).hex()
        try:
            data = self.server.eval(self._TAKE, 2, self.queue.key, self.inflight_key, token)
        except RedisGone:
            return None  # the crawl is stopping
        if not data:
            return None
        request = self.queue._decode_request(data)
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        self.done(request)  # a redirect or retry carries its first request's token: that one is over
        request.meta["_inflight"] = f"{self.crawler_id}|{token}"
        return request

    def done(self, request_or_token):
        """The request (or token) is finished: out of its crawler's in-flight hash."""
        token = request_or_token if isinstance(request_or_token, str) else \
            getattr(request_or_token, "meta", {}).get("_inflight")
        if token and "|" in token:
            owner, key = token.split("|", 1)
            try:
                self.server.hdel(self.inflight_prefix + owner, key)
            except RedisGone:
                pass  # still marked in flight: put back by the others, or fetched next crawl


class MixedPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue, with requests of one priority in random order. Its
    sorted set orders equal scores by the serialized request, that is by URL: a crawler
    would take one outlet's articles in a row and wait on that outlet's politeness while
    the others idle (Scrapy's own queue interleaves outlets; this does it by chance)."""

    def score(self, request) -> float:
        return -request.priority + random.random() * 0.5

    def push(self, request):
        self.server.execute_command("ZADD", self.key, self.score(request), self._encode_request(request))


class SeenFilter(RFPDupeFilter):
    """scrapy-redis's duplicate filter, but each fingerprint remembers when it was seen and
    counts for NEWSMON_REDIS_SEEN_TTL seconds only (a sorted set, not a set)."""

    ttl = 3600.0

    @classmethod
    def from_spider(cls, spider):
        df = super().from_spider(spider)
        df.ttl = spider.settings.getfloat("NEWSMON_REDIS_SEEN_TTL")
        return df

    # A URL is new unless seen within the TTL; a new one is marked seen now and, given a
    # queue, pushed to it in the same step. Done as two commands, a Redis killed after the
    # first ran but before its reply came back made the retried first command answer
    # "seen", and the new URL was never queued.
    _MARK = """
    local seen_at = redis.call('ZSCORE', KEYS[1], ARGV[2])
    if seen_at and tonumber(ARGV[1]) - tonumber(seen_at) <= tonumber(ARGV[3]) then return 0 end
    redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
    if KEYS[2] then redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5]) end
    return 1
    """

    def _mark(self, request, queue=None) -> bool:
        keys = [self.key] + ([queue.key] if queue is not None else [])
        args = [repr(time.time()), self.request_fingerprint(request), repr(self.ttl)]
        if queue is not None:
            args += [repr(queue.score(request)), queue._encode_request(request)]
        return bool(self.server.eval(self._MARK, len(keys), *keys, *args))

    def request_seen(self, request):
        return not self._mark(request)

    def mark_and_push(self, request, queue) -> bool:
        """Queue the request unless its URL was seen within the TTL; True if queued."""
        return self._mark(request, queue)

    def close(self, reason=""):
        pass  # shared and persistent: never cleared by one crawler closing


def fingerprint_url(url: str) -> str:
    """The shared filter's fingerprint of a GET of this URL (as RFPDupeFilter computes it;
    its method reads only the request)."""
    from scrapy import Request

    return RFPDupeFilter.request_fingerprint(None, Request(url))


def scheduler_of(crawler):
    slot = getattr(crawler.engine, "_slot", None)
    return getattr(slot, "scheduler", None)


class InflightMiddleware:
    """Marks a request done once its callback's output has been handed on: the requests it
    yielded are in the shared queue by then. A page it yielded carries the request's token
    and is marked done when pushed or dropped."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _mark(self, response, out) -> bool:
        if hasattr(out, "fetched_at") and response is not None:  # a page item
            out.inflight = response.request.meta.get("_inflight")
            return True
        return False

    def _finish(self, response, handed_items: bool):
        scheduler = scheduler_of(self.crawler)
        if response is not None and not handed_items and hasattr(scheduler, "done"):
            scheduler.done(response.request)

    def process_spider_output(self, response, result):
        items = False
        try:
            for out in result:
                items = self._mark(response, out) or items
                yield out
        finally:
            self._finish(response, items)

    async def process_spider_output_async(self, response, result):
        items = False
        try:
            async for out in result:
                items = self._mark(response, out) or items
                yield out
        finally:
            self._finish(response, items)


class ResultPipeline:
    """The store of a distributed crawler: each page, as ``Archive.add_pages`` takes it,
    pushed to Redis for the writer; then its request is done."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.server = connect(crawler.settings["NEWSMON_REDIS_URL"], outage_wait(crawler.settings))
        self.key = keys(crawler.settings["NEWSMON_WATCH_NAME"]).results
        crawler.signals.connect(self._dropped, signal=signals.item_dropped)
        crawler.signals.connect(self._dropped, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _done(self, token):
        scheduler = scheduler_of(self.crawler)
        if token and hasattr(scheduler, "done"):
            scheduler.done(token)

    def _dropped(self, item, response=None, spider=None, exception=None, failure=None):
        self._done(getattr(item, "inflight", None))

    def process_item(self, item):
        from crawler import sink

        try:
            push(self.server, self.key, sink.page(item.record))
        except RedisGone:
            # Its request stays in flight in Redis: another crawler, or the next crawl, has it.
            self.crawler.stats.inc_value("newsmon/distributed/not-pushed")
            raise DropItem(f"not handed on, Redis is gone: {item.url}") from None
        self.crawler.stats.inc_value("newsmon/pushed")
        self._done(item.inflight)
        return item


class SharedCrawl:
    """A crawler's life in the shared crawl: a heartbeat; putting back the in-flight
    requests of crawlers whose heartbeat stopped; staying open while there is work
    anywhere, closing after NEWSMON_REDIS_IDLE seconds with none; and, when Redis goes
    away for longer than NEWSMON_REDIS_OUTAGE_WAIT (or comes back without the crawl's
    data), stopping, its run recorded as interrupted."""

    def __init__(self, crawler):
        self.crawler = crawler
        s = crawler.settings
        self.server = connect(s["NEWSMON_REDIS_URL"], outage_wait(s))
        self.keys = keys(s["NEWSMON_WATCH_NAME"])
        self.id = s["NEWSMON_REDIS_WORKER_ID"]
        self.role = s.get("NEWSMON_REDIS_ROLE") or "worker"
        self.idle_for = s.getfloat("NEWSMON_REDIS_IDLE")
        self.heartbeat = s.getfloat("NEWSMON_REDIS_HEARTBEAT")
        self.alive_for = max(1, int(round(self.heartbeat * 4)))  # four missed beats: dead
        self.idle_since = None
        self.loop = None
        self.outage = self.server.outage
        self.outage.on_gone.append(lambda: self._stop_soon(self.outage.message()))
        self.outage.on_back.append(self._back_soon)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)
        crawler.signals.connect(self.idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def opened(self, spider):
        from twisted.internet import task

        self.server.hset(self.keys.crawlers, self.id, self.role)
        self.beat()
        # The heartbeat comes from a thread of its own: it says the process lives. Beaten
        # from the reactor, a crawler busy for a few seconds on a loaded machine was taken
        # for dead, and its requests were fetched twice.
        self.stopping = threading.Event()
        self.beater = threading.Thread(target=self._beat_until_stopped, daemon=True,
                                       name="newsmon-redis-heartbeat")
        self.beater.start()
        self.loop = task.LoopingCall(self._quietly, self.recover)
        self.loop.start(self.heartbeat, now=False)
        # Scrapy asks an empty scheduler again only every 5 s; the shared queue fills from
        # other crawlers at any time: look every half second.
        self.poll = task.LoopingCall(self._quietly, self.wake)
        self.poll.start(0.5, now=False)

    @staticmethod
    def _quietly(job):
        try:
            job()
        except RedisGone:
            pass  # the crawl is stopping (said once, by _stop)

    # --- Redis away ---------------------------------------------------------------------

    def _stop_soon(self, why: str):
        from twisted.internet import reactor

        reactor.callFromThread(self._stop, why)

    def _stop(self, why: str):
        stats = self.crawler.stats
        if stats.get_value("newsmon/redis_gone"):
            return
        logger.info("%s: stopping", why)
        stats.set_value("newsmon/redis_gone", why)
        engine = self.crawler.engine
        if engine is not None and engine.running:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(engine.close_spider_async(reason="redis-gone"))

    def _back_soon(self):
        from twisted.internet import reactor

        reactor.callFromThread(self._quietly, self._check_back)

    def _check_back(self):
        """Redis is back: with the crawl's data (it keeps it on disk), the crawl goes on;
        a Redis that restarted empty has lost the queue, and the crawl cannot go on."""
        if not self.server.exists(self.keys.context):
            self._stop(f"Redis at {self.outage.url} came back without this crawl's queue (does it keep "
                       "its data on disk?)")

    # --- heartbeat and recovery ---------------------------------------------------------

    def wake(self):
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and self.server.zcard(self.keys.requests):
            slot.nextcall.schedule()

    def beat(self, server=None):
        server = server or self.server
        server.set(self.keys.alive + self.id, "1", ex=self.alive_for)
        # (again each time: a Redis restarted without its data knows this crawler once more)
        server.hset(self.keys.crawlers, self.id, self.role)

    def _beat_until_stopped(self):
        server = connect(self.crawler.settings["NEWSMON_REDIS_URL"])  # a connection of its own, not patient
        away = False
        while not self.stopping.wait(self.heartbeat):
            try:
                self.beat(server)
                away = False
            except redis.RedisError as exc:  # Redis away: the reactor's commands say so, once
                if not away:
                    logger.debug("heartbeat not sent: %s", exc)
                away = True

    def recover(self):
        """Put back the in-flight requests of crawlers that stopped beating."""
        scheduler = scheduler_of(self.crawler)
        if scheduler is None or self.outage.recently_back(self.alive_for + self.heartbeat):
            # (just after an outage every heartbeat has lapsed: the others beat again first)
            return
        for raw in self.server.hkeys(self.keys.crawlers):
            other = raw.decode()
            if other == self.id or self.server.exists(self.keys.alive + other):
                continue
            if not self.server.set(f"{self.keys.inflight}{other}:lock", self.id, nx=True, ex=60):
                continue  # another crawler is on it
            n = self.put_back(scheduler, other)
            self.server.hdel(self.keys.crawlers, other)
            if n:
                self.crawler.stats.inc_value("newsmon/distributed/recovered", n)
                logger.warning("put back %d requests of crawler %s, which stopped", n, other)

    def put_back(self, scheduler, owner: str) -> int:
        """Requests marked in flight by ``owner`` back in the shared queue; how many."""
        entries = self.server.hgetall(self.keys.inflight + owner)
        for data in entries.values():
            request = scheduler.queue._decode_request(data)
            request.meta.pop("_inflight", None)
            request.dont_filter = True  # seen already: it must go through again
            scheduler.queue.push(request)
        self.server.delete(self.keys.inflight + owner)
        return len(entries)

    def put_back_own(self) -> int:
        """Called idle, this crawler has nothing in flight: a request still marked so is one
        whose end went unrecorded (no known way now: each command an outage can repeat is
        safe to repeat; this is the net under them). Back in the queue, or it would be lost."""
        scheduler = scheduler_of(self.crawler)
        if scheduler is None or not self.server.hlen(self.keys.inflight + self.id):
            return 0
        n = self.put_back(scheduler, self.id)
        if n:
            self.crawler.stats.inc_value("newsmon/distributed/recovered", n)
            logger.warning("put back %d requests still marked in flight by this crawler, now idle", n)
        return n

    def work_left(self) -> int:
        pending = self.server.zcard(self.keys.requests)
        for raw, role in self.server.hgetall(self.keys.crawlers).items():
            other = raw.decode()
            if other == self.id:
                continue
            pending += self.server.hlen(self.keys.inflight + other)
            # A worker stays while a coordinator lives: it queues the watch's listings
            # as its crawl starts, and the pages they list as it reads them.
            if self.role == "worker" and role == b"coordinator" and self.server.exists(self.keys.alive + other):
                pending += 1
        return pending

    def idle(self, spider):
        if self.crawler.stats.get_value("newsmon/redis_gone"):
            return  # stopping
        try:
            self.recover()
            left = self.put_back_own() + self.work_left()
        except RedisGone:
            return
        if left or self.outage.recently_back(self.alive_for + self.heartbeat):
            self.idle_since = None
            raise DontCloseSpider
        if self.idle_since is None:
            self.idle_since = time.monotonic()
        if time.monotonic() - self.idle_since < self.idle_for:
            raise DontCloseSpider

    def closed(self, spider, reason):
        for loop in (self.loop, getattr(self, "poll", None)):
            if loop is not None and loop.running:
                loop.stop()
        if getattr(self, "stopping", None) is not None:
            self.stopping.set()
            self.beater.join(5)
        if reason != "finished":
            return  # (stopped, killed, Redis gone) the heartbeat lapses and the others put its work back
        try:
            self.put_back_own()  # (for whoever crawls next)
            self.server.hdel(self.keys.crawlers, self.id)
            self.server.delete(self.keys.alive + self.id)
        except RedisGone:
            pass


# --- the writer: results into the archive -------------------------------------------------

class Writer:
    """Drains a distributed crawl's results into the archive, a batch per transaction.

    A batch is moved to the "writing" list before it is written and deleted from there
    only after its transaction commits: a writer that stops loses nothing, and the next
    one writes that batch first."""

    def __init__(self, server, watch_name: str, archive, batch_size: int = 100):
        self.server, self.keys, self.archive, self.batch_size = server, keys(watch_name), archive, batch_size
        self.counts: dict = {}

    def crawlers_alive(self) -> int:
        return sum(1 for raw in self.server.hkeys(self.keys.crawlers)
                   if self.server.exists(self.keys.alive + raw.decode()))

    def write_once(self) -> int:
        """Write one batch (the one left in "writing" by a stopped writer, if any); returns
        how many records it held."""
        if not self.server.llen(self.keys.writing):
            for _ in range(self.batch_size):
                if self.server.lmove(self.keys.results, self.keys.writing, "RIGHT", "LEFT") is None:
                    break
        # The batch is what "writing" holds, not what the moves answered: a move whose reply
        # an outage lost was sent again, and its record is in "writing" all the same.
        batch = self.server.lrange(self.keys.writing, 0, -1)
        batch.reverse()  # oldest first, as they were pushed
        if not batch:
            return 0
        from crawler import sink

        records = [sink.decode(raw) for raw in batch]
        with self.archive.transaction():  # the same writes as a local crawl's, by the same function
            for outcome, n in sink.apply(self.archive, records).items():
                self.counts[outcome] = self.counts.get(outcome, 0) + n
        self.server.delete(self.keys.writing)  # acknowledged: committed
        self.counts["pages"] = self.counts.get("pages", 0) + sum(1 for r in records if r["kind"] == "page")
        return len(records)

    def run(self, until_idle: float | None = None, poll: float = 0.5, progress=None) -> dict:
        """Write until stopped (Ctrl-C) or, with ``until_idle``, until a crawl has been
        seen and then nothing has come for that many seconds while no crawler is alive."""
        quiet_since = time.monotonic()
        seen_crawl = False
        outage = getattr(self.server, "outage", None)
        while True:
            n = self.write_once()
            if outage is not None and outage.ended_at and outage.ended_at > quiet_since:
                quiet_since = outage.ended_at  # (heartbeats lapsed while Redis was away: not idle yet)
            if n:
                seen_crawl = True
                quiet_since = time.monotonic()
                if progress:
                    progress(self.counts)
                continue
            alive = self.crawlers_alive()
            seen_crawl = seen_crawl or alive > 0
            if until_idle is not None and seen_crawl and not alive \
                    and time.monotonic() - quiet_since >= until_idle:
                return self.counts
            time.sleep(poll)
