"""Politeness shared through Redis: any number of crawlers together keep each outlet's pace.

Scrapy keeps DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN per process, so N crawlers
of a distributed crawl would each keep them and ask an outlet N times as often. Here the
HTTP download handler (the last step before the wire, after Scrapy's own slot has waited)
first takes the outlet's turn in Redis: the time its next request is allowed, and a lease
among its CONCURRENT_REQUESTS_PER_DOMAIN, shared by every crawler. A 429 or 503 that says
Retry-After moves that time for all of them. The clock is Redis's own (TIME), so crawlers
on machines whose clocks differ still agree.
"""

from __future__ import annotations

import logging
import os

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import NotConfigured

from crawler.middlewares import retry_after_seconds

logger = logging.getLogger(__name__)

# Take the outlet's turn: 0 when this request may go now (its time and a lease taken), else
# milliseconds to wait (-1: every lease is taken, ask again shortly). A take sent again (its
# reply lost to an outage) finds its lease taken and answers 0: else its own lease would
# keep it waiting until the lease ran out.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local delay, limit, lease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZSCORE', KEYS[2], ARGV[4]) then return 0 end
local next_at = tonumber(redis.call('GET', KEYS[1]) or '0')
if next_at > now then return next_at - now end
if limit > 0 and redis.call('ZCARD', KEYS[2]) >= limit then return -1 end
redis.call('SET', KEYS[1], now + delay, 'PX', delay + 60000)
redis.call('ZADD', KEYS[2], now + lease, ARGV[4])
redis.call('PEXPIRE', KEYS[2], lease)
return 0
"""

# Nobody asks before this many milliseconds from now (a server's Retry-After).
_HOLD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_at = now + tonumber(ARGV[1])
if until_at > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], until_at, 'PX', tonumber(ARGV[1]) + 60000)
end
return until_at
"""

FULL_POLL = 0.1  # seconds between asks while every lease of an outlet is taken


def turn_keys(slot: str) -> tuple[str, str]:
    """An outlet's keys (the same for every watch: politeness is the outlet's, not the watch's)."""
    return f"newsmon:polite:{slot}:next", f"newsmon:polite:{slot}:leases"


class SharedPoliteness:
    """The turns of every outlet, in one Redis."""

    def __init__(self, server, lease_seconds: float):
        self.server = server
        self.lease_ms = int(lease_seconds * 1000)
        self._take = server.register_script(_TAKE)
        self._hold = server.register_script(_HOLD)

    def take(self, slot: str, delay: float, concurrency: int, token: str) -> float:
        """0 when a request to ``slot`` may go now (its turn taken), else seconds to wait."""
        wait_ms = self._take(keys=turn_keys(slot), args=[int(delay * 1000), concurrency, self.lease_ms, token])
        return FULL_POLL if wait_ms < 0 else wait_ms / 1000

    def release(self, slot: str, token: str):
        self.server.zrem(turn_keys(slot)[1], token)

    def hold(self, slot: str, seconds: float):
        """Nobody sends to ``slot`` for ``seconds`` (the outlet asked for it)."""
        self._hold(keys=turn_keys(slot)[:1], args=[int(seconds * 1000)])


class SharedPolitenessHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 download handler, each request waiting first for its outlet's
    shared turn (NEWSMON_REDIS_SHARED_POLITENESS, distributed crawls only)."""

    def __init__(self, crawler):
        s = crawler.settings
        if not s.get("NEWSMON_REDIS_URL"):
            raise NotConfigured("shared politeness is for distributed crawls (NEWSMON_REDIS_URL)")
        super().__init__(crawler)
        from crawler.distributed import connect, outage_wait

        self.turns = SharedPoliteness(connect(s["NEWSMON_REDIS_URL"], outage_wait(s)),
                                      s.getfloat("DOWNLOAD_TIMEOUT") + 30)
        self.retry_after_max = s.getfloat("NEWSMON_RETRY_AFTER_MAX")
        self.stats = crawler.stats

    async def download_request(self, request):
        from crawler.distributed import RedisGone

        slot, delay, concurrency = self._slot_of(request)
        token = os.urandom(8).hex()
        try:
            waited = 0.0
            while (wait := self.turns.take(slot, delay, concurrency, token)) > 0:
                waited += wait
                await _sleep(wait)
            if waited:
                self.stats.inc_value("newsmon/politeness/waited", round(waited, 1))
        except RedisGone:
            token = None  # the crawl is stopping: this request goes with the local pace only
        try:
            response = await super().download_request(request)
        finally:
            if token is not None:
                self._quietly(self.turns.release, slot, token)
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if response.status in (429, 503) and wait is not None and wait <= self.retry_after_max:
            self._quietly(self.turns.hold, slot, wait)  # every crawler waits, not this one alone
            self.stats.inc_value("newsmon/politeness/held")
        return response

    @staticmethod
    def _quietly(call, *args):
        from crawler.distributed import RedisGone

        try:
            call(*args)
        except RedisGone:
            pass

    def _slot_of(self, request) -> tuple[str, float, int]:
        """The request's download slot (the outlet's host, or a service's own slot) with its
        delay and concurrency, as this crawler's Scrapy keeps them."""
        downloader = self._crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return key, self._crawler.settings.getfloat("DOWNLOAD_DELAY"), \
                self._crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        return key, slot.delay, slot.concurrency


async def _sleep(seconds: float):
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet import reactor
    from twisted.internet.task import deferLater

    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))
