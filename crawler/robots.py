"""robots.txt with a size cap, and one line when it cannot be read.

Only the first NEWSMON_ROBOTSTXT_MAX_BYTES are read, as Google reads 500 KiB: the download
stops there (``crawler.middlewares.DownloadLimits``) and the parser reads whole lines up to
it. A multi-megabyte robots.txt is a trap for parsers, not a policy.
"""

from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class CappedRobotParser(ProtegoRobotParser):
    @classmethod
    def from_crawler(cls, crawler, robotstxt_body):
        limit = crawler.settings.getint("NEWSMON_ROBOTSTXT_MAX_BYTES")
        if limit and len(robotstxt_body) > limit:
            # Cut at the last whole line inside the limit.
            robotstxt_body = robotstxt_body[:limit].rsplit(b"\n", 1)[0]
            crawler.stats.inc_value("newsmon/robotstxt-truncated")
        return super().from_crawler(crawler, robotstxt_body)


class RobotsMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware; a robots.txt that cannot be fetched is one warning
    line (Scrapy logs an error with a traceback) and, as in Scrapy, the host is crawled as
    if it had none. Every request that waits for a host's robots.txt gets its rules."""

    async def robot_parser(self, request):
        parser = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(parser, Deferred):
            # Its robots.txt is being fetched. Scrapy (2.13 on) awaits that one Deferred from
            # each waiting request, and under the asyncio reactor an await passes None down
            # the Deferred's chain: every waiter after the first was let through as if the
            # host had no robots.txt, and fetched disallowed pages. One Deferred each.
            mine: Deferred = Deferred()

            def hand_on(result):
                mine.callback(result)
                return result
            parser.addCallback(hand_on)
            return await maybe_deferred_to_future(mine)
        return await super().robot_parser(request)

    def _robots_error(self, exc, netloc):
        if not isinstance(exc, IgnoreRequest):
            self._stats.inc_value("newsmon/errors/robots-txt")
            logger.warning("failed http://%s/robots.txt: %s (%s); crawling the host as if it had none",
                           netloc, type(exc).__name__, str(exc).split(" in request ")[0][:200])
        super()._robots_error(exc, netloc)
