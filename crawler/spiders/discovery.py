"""Discovery beyond feeds and sitemaps, for the watch spider: search engines (GDELT,
Google News), links of same-story articles, and the Wayback Machine (backfill).

A mixin of ``WatchSpider``: these callbacks are the spider's methods (requests name them,
and a distributed crawl's shared queue stores them by name), kept here to keep each
module about one thing.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from pipelines.links import rank_links, web_url
from crawler.spiders.search import (SearchError, capture_time, cdx_url, gdelt_range, gdelt_url, google_news_url,
                                    parse_cdx, parse_gdelt, parse_google_news, publisher_link, replay_url,
                                    split_range)
from pipelines import queries
from pipelines.dedup import normalise_url

KEY_TERMS_FOR_LINKS = 20  # of each source's key terms, used to judge links and archived URLs


def outlet_of(url: str) -> str:
    """The outlet of a page outside the watch: its site (host, and port if one is given),
    without "www." (www.paper.example and paper.example are one outlet)."""
    netloc = urlsplit(url).netloc.lower().rsplit("@", 1)[-1]
    return (netloc[4:] if netloc.startswith("www.") else netloc) or "unknown"


def search_window(published: str | None, now: datetime, days_before: int, days_after: int):
    """[start, end) searched for a source: around its publication, or the last days."""
    if published:
        try:
            day = datetime.fromisoformat(published[:10]).replace(tzinfo=timezone.utc)
            return day - timedelta(days=days_before), min(day + timedelta(days=days_after + 1), now)
        except ValueError:
            pass
    return now - timedelta(days=days_after), now


def watch_sources(watch, profiles: dict) -> list[dict]:
    """Each watch source with its search queries (the watch's own, else built from it)."""
    out = []
    for source in watch.sources:
        row = profiles.get(source.id)
        if source.queries:
            qs = [queries.parse_query(q) for q in source.queries]
        elif row:
            qs = queries.source_queries(row["profile"], row.get("text") or "")
        else:
            qs = []
        published = source.published or (row["profile"].get("published") if row else None)
        out.append({"id": source.id, "published": published, "queries": [q for q in qs if q]})
    return out


class DiscoveryMixin:
    # --- search engines ---------------------------------------------------------------------

    def _search_requests(self):
        if not self.search:
            return
        s = self.crawler.settings
        now = datetime.now(timezone.utc)
        for source in self.search_sources:
            start, end = search_window(source["published"], now, s.getint("NEWSMON_SEARCH_DAYS_BEFORE"),
                                       s.getint("NEWSMON_SEARCH_DAYS_AFTER"))
            for parts in source["queries"]:
                if "gdelt" in self.search:
                    window = gdelt_range(start, end, now, s.getint("NEWSMON_GDELT_WINDOW_DAYS"))
                    if window is None:
                        self.crawler.stats.inc_value("newsmon/skipped/search-out-of-reach")
                        self.logger.warning("skipped GDELT search %s for source %s: GDELT reaches back %d days "
                                            "only (newsmon backfill reaches further)", queries.show(parts),
                                            source["id"], s.getint("NEWSMON_GDELT_WINDOW_DAYS"))
                    else:
                        yield self._gdelt_request(queries.gdelt(parts), *window)
                if "google-news" in self.search:
                    q = queries.google_news(parts, start.date().isoformat(), end.date().isoformat())
                    yield self._service_request(
                        google_news_url(s["NEWSMON_GOOGLE_NEWS_URL"], q, s["NEWSMON_GOOGLE_NEWS_LOCALE"]),
                        self.parse_google_news, "google-news", {"query": q})

    def _service_request(self, url, callback, slot, meta=None):
        self.crawler.stats.inc_value(f"newsmon/search/{slot}-requests")
        return scrapy.Request(url, callback, errback=self.failed, priority=5, dont_filter=True,
                              meta={"kind": "search", "download_slot": slot, **(meta or {})})

    def _gdelt_request(self, query, start, end):
        s = self.crawler.settings
        return self._service_request(gdelt_url(s["NEWSMON_GDELT_URL"], query, start, end,
                                               s.getint("NEWSMON_GDELT_MAX_RECORDS")),
                                     self.parse_gdelt, "gdelt", {"query": query, "range": (start, end)})

    def _answer(self, response, parse):
        """A search answer parsed, or None when the service refused (counted, one line)."""
        try:
            return parse(response.body)
        except SearchError as exc:
            self.crawler.stats.inc_value("newsmon/errors/search-refused")
            self.logger.warning("failed search %s: %s", response.url, exc)
            return None

    def parse_gdelt(self, response):
        articles = self._answer(response, parse_gdelt)
        if articles is None:
            return
        s = self.crawler.settings
        if len(articles) >= s.getint("NEWSMON_GDELT_MAX_RECORDS"):
            # A full answer hides the rest: ask for each half of the range instead.
            halves = split_range(*response.meta["range"], s.getfloat("NEWSMON_GDELT_MIN_SPLIT_HOURS"))
            if halves:
                self.crawler.stats.inc_value("newsmon/search/gdelt-splits")
                for start, end in halves:
                    yield self._gdelt_request(response.meta["query"], start, end)
                return
            self.crawler.stats.inc_value("newsmon/search/gdelt-capped")
        self.crawler.stats.inc_value("newsmon/search/gdelt-results", len(articles))
        for article in articles:
            yield from self._article_request(article["url"], None, "search:gdelt",
                                             {"title": article["title"], "published": article["published"]})

    def parse_google_news(self, response):
        items = self._answer(response, parse_google_news)
        if items is None:
            return
        self.crawler.stats.inc_value("newsmon/search/google-news-results", len(items))
        for item in items:
            # The item's link is Google's: it leads on to the publisher (handled, not followed blindly).
            yield self._service_request(item["link"], self.parse_google_link, "google-news", {
                "hints": {"title": item["title"], "published": item["published"]},
                "dont_redirect": True, "handle_httpstatus_list": [301, 302, 303, 307, 308]})

    def parse_google_link(self, response):
        if 300 <= response.status < 400:
            location = (response.headers.get("Location") or b"").decode("latin-1")
            target = web_url(location, response.url) if location else None
        else:
            target = publisher_link(response.text, response.url) if isinstance(response, TextResponse) else None
        if not target:
            self.crawler.stats.inc_value("newsmon/errors/search-no-publisher")
            self.logger.warning("failed search result %s: no link to the publisher on it", response.url)
            return
        yield from self._article_request(target, None, "search:google-news", response.meta.get("hints") or {})

    # --- links from same-story articles -------------------------------------------------------

    def follow_links(self, item, links):
        """Called by the work pipeline when a page proves to be the same story: its links,
        ranked by the source's key terms, are fetched in turn."""
        for url, score in rank_links(links, self.judge, self.follow_min_terms, self.follow_per_page):
            for request in self._article_request(url, None, "link", {}, meta={"follow_left": item.follow_left - 1}):
                self.crawler.stats.inc_value("newsmon/followed-links")
                self.crawler.engine.crawl(request)

    # --- the Wayback Machine (newsmon backfill) -------------------------------------------------

    def _backfill_requests(self):
        hosts = []
        for outlet in self.watch.outlets:
            hosts.append(urlsplit(outlet.homepage).netloc)
        hosts += [h for h in self.archived_hosts] + [urlsplit(x.url).netloc for x in self.watch.sources if x.url]
        for host in dict.fromkeys(h for h in hosts if h):
            yield self._cdx_request(host, None)
        if not hosts:
            self.logger.warning("nothing to backfill: no outlets in the watch and no stories archived yet")

    def _cdx_request(self, host, resume):
        s = self.crawler.settings
        url = cdx_url(s["NEWSMON_WAYBACK_CDX_URL"], host, self.backfill["since"], self.backfill["until"],
                      s.getint("NEWSMON_BACKFILL_MAX_CAPTURES"), resume)
        request = self._service_request(url, self.parse_cdx, "wayback", {"host": host})
        request.meta["kind"] = "archive-index"
        return request

    def parse_cdx(self, response):
        try:
            rows, resume = parse_cdx(response.body)
        except SearchError as exc:
            self.crawler.stats.inc_value("newsmon/errors/bad-archive-index")
            self.logger.warning("failed archive index %s: %s", response.url, exc)
            return
        s = self.crawler.settings
        self.crawler.stats.inc_value("newsmon/backfill/captures", len(rows))
        wanted = []
        for row in rows:
            original, timestamp = row.get("original"), row.get("timestamp")
            if not original or not timestamp or normalise_url(original) in self.archived_keys:
                continue
            if web_url(original) is None:  # (an archive keeps whatever address it was asked for)
                self.crawler.stats.inc_value("newsmon/skipped/bad-url")
                continue
            hits = self.judge.score(original)
            if hits >= s.getint("NEWSMON_BACKFILL_MIN_URL_TERMS"):
                wanted.append((hits, original, timestamp))
        self.crawler.stats.inc_value("newsmon/backfill/matching", len(wanted))
        for _hits, original, timestamp in sorted(wanted, key=lambda w: -w[0]):
            owner = self.watch.outlet_for(original)
            key = owner.id if owner else outlet_of(original)
            if self.budget[key] >= self.max_per_outlet:
                self.crawler.stats.inc_value("newsmon/skipped/outlet-budget")
                continue
            self.budget[key] += 1
            yield scrapy.Request(replay_url(s["NEWSMON_WAYBACK_URL"], timestamp, original), self.parse_capture,
                                 errback=self.failed, meta={"via": "wayback", "download_slot": "wayback",
                                                            "original": original, "captured": timestamp})
        if resume and len(rows) < s.getint("NEWSMON_BACKFILL_MAX_CAPTURES"):
            yield self._cdx_request(response.meta["host"], resume)

    def parse_capture(self, response):
        """An archived page: archived under its original URL, fetched at its capture time."""
        yield from self.parse_article(response, url=response.meta["original"],
                                      fetched_at=capture_time(response.meta["captured"]))
