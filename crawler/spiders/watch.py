"""The spider of one watch: every outlet's feeds and sitemaps, and the sources' links.

Discovery only: it finds article URLs and hands each fetched page, decoded, to the
pipelines. Outlets come from the watch file, so adding one touches no code here.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.gz import gunzip, gzip_magic_number

from crawler.items import PageItem
from crawler.distributed import scheduler_of
from crawler.middlewares import UnsafeRequest
from crawler.outcomes import classify
from crawler.resolver import PrivateAddressRefused
from crawler.spiders.feeds import FeedError, parse_feed
from crawler.spiders.discovery import KEY_TERMS_FOR_LINKS, DiscoveryMixin, outlet_of, watch_sources
from pipelines.links import LinkJudge, source_links, web_url
from crawler.spiders.sitemaps import SitemapError, parse_sitemap
from crawler.watch import Watch
from pipelines.dedup import normalise_url
from pipelines.decode import decode_html
from pipelines.text import content_hash
from pipelines.topic import watch_judge

class WatchSpider(DiscoveryMixin, scrapy.Spider):
    name = "watch"

    def __init__(self, watch: Watch, **kwargs):
        super().__init__(**kwargs)
        self.watch = watch
        self.fetch_log: list[dict] = []  # feed/sitemap outcomes, written to fetch_state after the run
        self.budget = Counter()
        # What feeds and sitemaps said of each article URL, merged across all of them:
        # a URL is fetched once, whichever listing named it first.
        self.hints: dict[str, dict] = {}
        self.remembered: set[str] = set()
        self.not_due: set[str] = set()
        self.listings_requested: set[str] = set()  # feeds and sitemaps asked for in this crawl
        self.gone: list[str] = []  # article URLs answered 404 or 410: remembered after the crawl

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_per_outlet = crawler.settings.getint("NEWSMON_MAX_ARTICLES_PER_OUTLET")
        spider.link_depth = crawler.settings.getint("NEWSMON_SOURCE_LINK_DEPTH")
        spider.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        spider.timeout = crawler.settings.getfloat("DOWNLOAD_TIMEOUT")
        spider.max_sitemap_depth = crawler.settings.getint("NEWSMON_MAX_SITEMAP_DEPTH")
        from crawler.distributed import crawl_state

        s = crawler.settings
        spider.search = s.getlist("NEWSMON_SEARCH")
        spider.backfill = s.getdict("NEWSMON_BACKFILL")
        spider.follow_depth = s.getint("NEWSMON_FOLLOW_DEPTH")
        spider.follow_min_terms = s.getint("NEWSMON_FOLLOW_MIN_TERMS")
        spider.follow_per_page = s.getint("NEWSMON_FOLLOW_LINKS_PER_PAGE")
        # A worker of a distributed crawl only takes requests from the shared queue.
        spider.worker = s.get("NEWSMON_REDIS_ROLE") == "worker"
        # Pages judged unrelated before are not fetched again; archived articles only
        # when due on the recheck ladder. (From the archive, or in distributed mode from
        # what the coordinator published of it.)
        ladder = s.getlist("NEWSMON_RECHECK_LADDER")
        with crawl_state(s) as archive:
            # Pages found unrelated by another topic model than this crawl's are looked at again.
            judge = watch_judge(spider.watch.topic, archive, s.getfloat("NEWSMON_RELEVANCE_TOPIC"))
            spider.topic_version = judge.version if judge is not None else None
            spider.remembered = archive.remembered_keys(spider.topic_version)
            spider.not_due = archive.not_due_keys(ladder)
            spider.due = archive.due_urls(ladder)
            spider.listings = archive.listing_state()
            profiles = {row["id"]: row for row in archive.source_profiles()}
            spider.archived_keys, spider.archived_hosts = set(), []
            if spider.backfill:  # URLs archived already are not fetched from the archive again
                spider.archived_keys = archive.story_url_keys()
                spider.archived_hosts = archive.story_hosts(("same_story", "related"))
        spider.search_sources = watch_sources(spider.watch, profiles)
        # The source's key terms, for ranking links and archived URLs.
        terms = set()
        for row in profiles.values():
            terms |= set(list(row["profile"].get("terms") or {})[:KEY_TERMS_FOR_LINKS])
        spider.judge = LinkJudge(terms, spider.watch.topic.terms if spider.watch.topic else ())
        spider.backoff_base = crawler.settings.getint("NEWSMON_LISTING_BACKOFF_BASE")
        spider.backoff_max = crawler.settings.getint("NEWSMON_LISTING_BACKOFF_MAX")
        return spider

    async def start(self):
        if self.worker:  # the coordinator puts the watch's work in the shared queue
            return
        if self.backfill:  # `newsmon backfill`: the Wayback Machine only
            for request in self._backfill_requests():
                yield request
            return
        for request in self._search_requests():
            yield request
        for source in self.watch.sources:
            if source.url:
                yield scrapy.Request(source.url, self.parse_source, errback=self.failed, dont_filter=True,
                                     meta={"depth_left": self.link_depth, "via": "source-link"})
        for outlet in self.watch.outlets:
            for url in outlet.feeds:
                request = self._listing_request(url, self.parse_feed, outlet.id, "feed")
                if request:
                    yield request
            for url in outlet.sitemaps:
                request = self._listing_request(url, self.parse_sitemap, outlet.id, "sitemap")
                if request:
                    yield request
        # Archived articles due on the recheck ladder are fetched whether or not a feed
        # still lists them: that is how edits are found.
        watched = {o.id for o in self.watch.outlets}
        for url, outlet in self.due:
            if outlet in watched:
                self.crawler.stats.inc_value("newsmon/rechecked")
                self.hints.setdefault(url, {})
                yield scrapy.Request(url, self.parse_article, errback=self.failed, meta={"via": "recheck"})

    def _listing_request(self, url, callback, outlet, kind, depth=0):
        """A feed or sitemap request: conditional when validators are known; none at all
        while a failing listing is backing off (doubling waits, capped)."""
        if url in self.listings_requested:  # a sitemap index that lists itself or an ancestor
            self.crawler.stats.inc_value("newsmon/skipped/listing-loop")
            self.logger.warning("skipped %s %s: already read in this crawl (a loop of sitemap indexes)", kind, url)
            return None
        self.listings_requested.add(url)
        state = self.listings.get(url) or {}
        failures = state.get("failures") or 0
        if failures and state.get("last_fetch"):
            wait = min(self.backoff_base * 2 ** (failures - 1), self.backoff_max)
            last = datetime.fromisoformat(state["last_fetch"])
            if (datetime.now(timezone.utc) - last).total_seconds() < wait:
                self.crawler.stats.inc_value("newsmon/skipped/listing-backoff")
                return None
        headers = {}
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
        return scrapy.Request(url, callback, errback=self.failed, headers=headers, priority=10, dont_filter=True,
                              meta={"outlet": outlet, "kind": kind, "depth": depth,
                                    "handle_httpstatus_list": [304]})

    def _unchanged(self, response, kind, body) -> bool:
        """304, or the same bytes as last time (some servers' validators lie)."""
        digest = content_hash(body)
        known = (self.listings.get(response.url) or {}).get("content_hash")
        if response.status == 304 or digest == known:
            self.crawler.stats.inc_value(f"newsmon/{kind}s-unchanged")
            self._log_fetch(response, kind, content=None)
            return True
        self._log_fetch(response, kind, content=digest)
        return False

    # --- discovery ------------------------------------------------------------------

    def parse_feed(self, response):
        outlet = response.meta["outlet"]
        if self._unchanged(response, "feed", response.body):
            return
        problems, unusable = [], []
        try:
            entries = parse_feed(response.body, response.url, problems, unusable)
        except FeedError as exc:
            self._bad_listing(response, "feed", exc)
            return
        self._damaged_listing(response, "feed", problems, len(entries))
        self._unusable_addresses(response, "feed", unusable)
        for entry in entries:
            yield from self._article_request(entry["url"], outlet, "feed",
                                             {"title": entry["title"], "published": entry["published"]})

    def parse_sitemap(self, response):
        outlet = response.meta["outlet"]
        body = response.body
        if gzip_magic_number(response):
            body = gunzip(body, max_size=self.max_size)
        if self._unchanged(response, "sitemap", body):
            return
        problems, unusable = [], []
        try:
            kind, entries = parse_sitemap(body, problems, response.url, unusable)
        except SitemapError as exc:
            self._bad_listing(response, "sitemap", exc)
            return
        self._damaged_listing(response, "sitemap", problems, len(entries))
        self._unusable_addresses(response, "sitemap", unusable)
        depth = response.meta.get("depth", 0) + 1
        if kind == "index" and depth > self.max_sitemap_depth:
            self.crawler.stats.inc_value("newsmon/skipped/sitemap-depth")
            self.logger.warning("skipped sitemap index %s: nested more than %d deep", response.url,
                                self.max_sitemap_depth)
            return
        for entry in entries:
            if kind == "index":
                request = self._listing_request(entry["loc"], self.parse_sitemap,
                                                outlet, "sitemap", depth)
                if request:
                    yield request
            else:
                hints = {k: v for k, v in entry.items() if k != "loc"}
                if "news_title" in hints:
                    hints["title"] = hints["news_title"]
                yield from self._article_request(entry["loc"], outlet, "sitemap", hints)

    def parse_source(self, response):
        """A source article's page: it is itself a story, and its links are followed."""
        yield from self.parse_article(response)
        depth_left = response.meta.get("depth_left", 0)
        if depth_left <= 0 or not isinstance(response, TextResponse):
            return
        for url, _anchor in source_links(response.text, response.url):
            owner = self.watch.outlet_for(url)
            yield from self._article_request(
                url, owner.id if owner else None, "source-link", {},
                callback=self.parse_source if depth_left > 1 else self.parse_article,
                meta={"depth_left": depth_left - 1})

    def _article_request(self, url, outlet_id, via, hints, callback=None, meta=None):
        if web_url(url) is None:  # (every listing and page reader checks; this is the last guard)
            self.crawler.stats.inc_value("newsmon/skipped/bad-url")
            self.logger.warning("skipped %s link %r: not a web address", via, str(url)[:200])
            return
        owner = self.watch.outlet_for(url)
        if via in ("feed", "sitemap") and (owner is None or owner.id != outlet_id):
            # Feeds and sitemaps speak for their own outlet only.
            self.crawler.stats.inc_value("newsmon/skipped/offsite")
            return
        key = normalise_url(url)
        if key in self.remembered:
            self.crawler.stats.inc_value("newsmon/skipped/known-unrelated")
            return
        if key in self.not_due:
            self.crawler.stats.inc_value("newsmon/skipped/archived-not-due")
            return
        if url in self.hints:
            known = self.hints[url]
            known.update({k: v for k, v in hints.items() if v and k not in known})
            return
        key = owner.id if owner else outlet_of(url)
        if self.budget[key] >= self.max_per_outlet:
            self.crawler.stats.inc_value("newsmon/skipped/outlet-budget")
            return
        self.budget[key] += 1
        self.hints[url] = {k: v for k, v in hints.items() if v}
        yield scrapy.Request(url, callback or self.parse_article, errback=self.failed,
                             meta={"via": via, "follow_left": self.follow_depth, **(meta or {})})

    # --- pages ---------------------------------------------------------------------------

    def parse_article(self, response, url=None, fetched_at=None):
        """``url`` and ``fetched_at``: an archived capture's original URL and capture time."""
        self.crawler.stats.inc_value("newsmon/pages")
        content_type = response.headers.get("Content-Type") or b"text/html"
        if not isinstance(response, TextResponse) or b"html" not in content_type.lower():
            self.crawler.stats.inc_value("newsmon/dropped/not-html")
            self.logger.info("skipped %s: not an HTML page (%s)", response.url,
                             content_type.decode("latin-1").split(";")[0] or "no type")
            return
        asked = url or response.request.meta.get("redirect_urls", [response.url])[0]
        url = url or response.url
        owner = self.watch.outlet_for(url)
        host = outlet_of(url)
        yield PageItem(
            url=url,
            requested_url=asked,
            html=decode_html(response.body, content_type.decode("latin-1")),
            status=response.status,
            fetched_at=fetched_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            outlet=owner.id if owner else host,
            outlet_name=owner.name if owner else host,
            discovered_via=response.meta.get("via", "source-link"),
            hints=self.hints.get(asked, {}),
            follow_left=response.meta.get("follow_left", 0),
        )

    # --- outcomes ---------------------------------------------------------------------------

    def _bad_listing(self, response, kind, exc):
        self.crawler.stats.inc_value(f"newsmon/errors/bad-{kind}")
        self.logger.warning("failed %s %s: %s", kind, response.url, exc)
        self.fetch_log[-1]["error"] = str(exc)  # the entry _unchanged just made
        self.fetch_log[-1]["content_hash"] = None

    def _damaged_listing(self, response, kind, problems, entries):
        """A feed or sitemap read only in part: its entries are used, the damage counted,
        and its content hash forgotten so that it is read in full next time."""
        if problems:
            self.crawler.stats.inc_value(f"newsmon/errors/damaged-{kind}")
            self.logger.warning("failed %s %s: %s; used the %d entries before it", kind, response.url,
                                problems[0], entries)
            self.fetch_log[-1]["content_hash"] = None

    def _unusable_addresses(self, response, kind, unusable):
        """Entries of a feed or sitemap whose link is no web address: left out, counted,
        and said in one line (the first of them quoted); the rest of the listing is used."""
        if unusable:
            self.crawler.stats.inc_value("newsmon/skipped/bad-url", len(unusable))
            self.logger.warning("skipped %d %s of %s %s: not a web address (%r)", len(unusable),
                                "entry" if len(unusable) == 1 else "entries", kind, response.url, unusable[0][:200])

    def _log_fetch(self, response, kind, content=None):
        headers = response.headers
        self.fetch_log.append({"url": response.url, "kind": kind,
                               "outlet": response.meta.get("outlet"), "status": response.status,
                               "error": None, "content_hash": content,
                               "etag": (headers.get("ETag") or b"").decode("latin-1") or None,
                               "last_modified": (headers.get("Last-Modified") or b"").decode("latin-1") or None})

    def failed(self, failure):
        request = failure.request
        scheduler = scheduler_of(self.crawler)
        if hasattr(scheduler, "done"):  # distributed: this request is over
            scheduler.done(request)
        if failure.check(UnsafeRequest, PrivateAddressRefused):
            # Counted and logged where it was refused (safety guard, resolver, redirect guard).
            if failure.check(PrivateAddressRefused):
                self.crawler.stats.inc_value("newsmon/skipped/unsafe")
                self.logger.warning("refused %s: %s", request.url, failure.getErrorMessage())
            return
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            return  # Scrapy counts robots.txt refusals itself (robotstxt/forbidden)
        group, kind, reason = classify(failure, self.max_size, self.timeout)
        self.crawler.stats.inc_value(f"newsmon/{group}/{kind}")
        if kind == "gone":
            self.gone.append(request.url)
        listing = request.meta.get("kind")
        if group == "errors" and listing is None:  # an article, not a feed, sitemap or search
            self.crawler.stats.inc_value("newsmon/article-errors")
        asked = request.meta.get("redirect_urls", [request.url])[0]  # the URL the crawl asked for
        self.logger.warning("%s %s: %s", "failed" if group == "errors" else "skipped", asked, reason)
        if listing in ("feed", "sitemap"):
            response = getattr(failure.value, "response", None)
            self.fetch_log.append({"url": request.url, "kind": listing,
                                   "outlet": request.meta.get("outlet"),
                                   "status": response.status if response is not None else None,
                                   "error": f"{kind}: {reason}"[:300]})
