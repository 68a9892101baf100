"""The bundled demo news web: fictional outlets served from 127.0.0.1.

Each outlet of ``data/demo/outlets.toml`` gets its own HTTP server on a free port
(so its own robots.txt), renders the articles under ``data/demo/articles/<outlet>/``
through its own templates, and publishes a feed, a sitemap and robots.txt. The web
has two editions: in the second, articles with a ``<slug>.v2.md`` file are updated,
so a second crawl finds a revision.
"""

from __future__ import annotations

import html
from html.entities import codepoint2name
import json
import re
import string
import tomllib
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import newsmon_data
from crawler.watch import Outlet, Source, Topic, Watch
from newsmon.web import listings
from newsmon.web.server import TEXT, FakeWeb, Request, Response

DEMO_DIR = newsmon_data.path("demo")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BST = timezone(timedelta(hours=1), "BST")
_GMT = timezone(timedelta(0), "GMT")


class DemoDataError(ValueError):
    """A demo article or outlet file that cannot be used; str() names the file."""


@dataclass
class Article:
    outlet: str
    slug: str
    meta: dict
    body: str
    path: str = ""  # set once the outlet's URL pattern is applied
    edition2: tuple[dict, str] | None = None

    @property
    def published(self) -> datetime:
        return datetime.fromisoformat(self.meta["published"])

    def version(self, edition: int) -> tuple[dict, str]:
        if edition >= 2 and self.edition2:
            return self.edition2
        return self.meta, self.body


@dataclass
class DemoOutlet:
    config: dict
    templates: dict[str, string.Template]
    articles: list[Article] = field(default_factory=list)
    base_url: str = ""

    @property
    def id(self) -> str:
        return self.config["id"]


def read_article_file(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    parts = text.split("+++", 2)
    if len(parts) != 3 or parts[0].strip():
        raise DemoDataError(f"{path}: expected a +++ TOML front matter +++ then the body")
    try:
        meta = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError as exc:
        raise DemoDataError(f"{path}: front matter is not valid TOML: {exc}") from None
    for key in ("title", "published", "label"):
        if key not in meta:
            raise DemoDataError(f"{path}: front matter lacks {key!r}")
    return meta, parts[2].strip()


def load_articles(demo_dir: Path = DEMO_DIR) -> list[Article]:
    """Every demo article with its ground-truth label (also used by evaluations)."""
    articles = []
    for path in sorted((demo_dir / "articles").glob("*/*.md")):
        if path.name.endswith(".v2.md"):
            continue
        meta, body = read_article_file(path)
        article = Article(outlet=path.parent.name, slug=path.stem, meta=meta, body=body)
        v2 = path.with_name(path.stem + ".v2.md")
        if v2.exists():
            article.edition2 = read_article_file(v2)
        articles.append(article)
    return articles


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class DemoWeb(FakeWeb):
    """The demo web, rendered on request; ``start()`` serves it, ``stop()`` ends it.
    ``requests`` holds the (outlet id, path) of every request served."""

    server_version = "DemoNews/1.0"

    def __init__(self, demo_dir: Path = DEMO_DIR, host: str = "127.0.0.1", first_port: int = 48301):
        self.demo_dir = Path(demo_dir)
        self.first_port = first_port
        self.edition = 1
        config = tomllib.loads((self.demo_dir / "outlets.toml").read_text(encoding="utf-8"))
        comments = tomllib.loads((self.demo_dir / "comments.toml").read_text(encoding="utf-8"))
        self.comments = comments.get("comment", [])
        self.outlets: dict[str, DemoOutlet] = {}
        for cfg in config["outlet"]:
            folder = self.demo_dir / "outlets" / cfg["id"]
            templates = {p.stem: string.Template(p.read_text(encoding="utf-8"))
                         for p in folder.glob("*.html")}
            self.outlets[cfg["id"]] = DemoOutlet(cfg, templates)
        for article in load_articles(self.demo_dir):
            outlet = self.outlets.get(article.outlet)
            if outlet is None:
                raise DemoDataError(f"article {article.outlet}/{article.slug}: unknown outlet")
            article.path = self._article_path(outlet, article)
            outlet.articles.append(article)
        for outlet in self.outlets.values():
            outlet.articles.sort(key=lambda a: a.published, reverse=True)
        super().__init__(sites=self.outlets, host=host)

    # --- serving -------------------------------------------------------------------

    def start(self) -> "DemoWeb":
        # The same ports every run keep the demo's URLs, so a rerun finds every story
        # already archived; a busy port falls back to a free one.
        self.bind({oid: self.first_port + i for i, oid in enumerate(self.outlets)})
        for outlet in self.outlets.values():
            outlet.base_url = self.origin(outlet.id) + "/"
        return super().start()

    def url(self, ref: str) -> str:
        """Absolute URL of "outlet/slug" (an article) or "outlet" (its homepage)."""
        outlet_id, _, slug = ref.partition("/")
        outlet = self.outlets[outlet_id]
        if not slug:
            return outlet.base_url
        article = next((a for a in outlet.articles if a.slug == slug), None)
        if article is None:
            raise DemoDataError(f"no demo article {ref!r}")
        return outlet.base_url.rstrip("/") + article.path

    def watch(self, source_path: Path | None = None, source_ref: str | None = None,
              topic: Topic | None = None) -> Watch:
        """A watch of every demo outlet (private addresses allowed, politeness for loopback)."""
        outlets = []
        for o in self.outlets.values():
            feed = self._feed_path(o)
            sitemap = {"plain": "/sitemap.xml", "news": "/news-sitemap.xml",
                       "index": "/sitemap_index.xml"}[o.config["sitemap"]]
            outlets.append(Outlet(id=o.id, name=o.config["name"], homepage=o.base_url,
                                  feeds=(o.base_url + feed.lstrip("/"),),
                                  sitemaps=(o.base_url + sitemap.lstrip("/"),),
                                  domains=(self.host,)))
        sources = ()
        if source_path or source_ref:
            sources = (Source(id="mps-not-border-guards", path=source_path,
                              url=self.url(source_ref) if source_ref else None,
                              title="Charities Tell Parliamentarians to Stop Reporting "
                                    "Immigration Crime to Home Office",
                              published="2018-10-12"),)
        return Watch(name="demo", path=None, sources=sources, outlets=tuple(outlets),
                     interval=3600, topic=topic, crawl={
                         "NEWSMON_ALLOW_PRIVATE_ADDRESSES": True,
                         "DOWNLOAD_DELAY": 0.0,
                         "AUTOTHROTTLE_ENABLED": False,
                         "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
                         "DOWNLOAD_TIMEOUT": 15,
                         # The demo edits an article between two crawls minutes apart.
                         "NEWSMON_RECHECK_LADDER": [],
                     })

    def record(self, request: Request):
        return request.site, request.path

    def answer(self, request: Request) -> Response:
        outlet = self.outlets[request.site]
        if outlet.config.get("busy") and request.path == self._feed_path(outlet):
            with self._lock:
                first_ask = self.requests.count((outlet.id, request.path)) == 1
            if first_ask:  # a busy server: come back in a second (newsmon waits, then retries)
                return Response(503, "Busy: try again shortly.\n", TEXT, {"Retry-After": "1"})
        return self.page(outlet, request.path)

    def page(self, outlet: DemoOutlet, path: str) -> Response:
        """What the outlet serves at ``path``, in the bytes its server sends."""
        status, ctype, body = self.respond(outlet, path)
        charset = outlet.config.get("charset", "utf-8")
        if charset != "utf-8" and ctype.startswith("text/html"):
            # An older CMS: its own bytes, no charset in the header (its <meta> says utf-8).
            return Response(status, body.encode(charset, "xmlcharrefreplace"), "text/html")
        return Response(status, body, ctype)

    # --- routing ---------------------------------------------------------------------------

    def respond(self, outlet: DemoOutlet, path: str) -> tuple[int, str, str]:
        cfg = outlet.config
        if path == "/robots.txt":
            return 200, "text/plain; charset=utf-8", self.robots(outlet)
        if path == self._feed_path(outlet):
            ctype = "application/rss+xml" if cfg["feed"] == "rss" else "application/atom+xml"
            return 200, ctype + "; charset=utf-8", self.feed(outlet)
        if path in self._sitemaps(outlet):
            return 200, "application/xml; charset=utf-8", self._sitemaps(outlet)[path]()
        if path == "/":
            return 200, "text/html; charset=utf-8", self.index(outlet, cfg["name"], outlet.articles[:20])
        amp = path.startswith("/amp/") and "amp" in outlet.templates
        lookup = path[4:] if amp else path
        for article in outlet.articles:
            if lookup in (article.path, article.path.rstrip("/"), article.path.rstrip("/") + "/"):
                return 200, "text/html; charset=utf-8", self.article(outlet, article, amp=amp)
        section = next((s for s in cfg["sections"] if path.strip("/") == slugify(s)), None)
        if section:
            items = [a for a in outlet.articles if a.meta.get("section") == section]
            return 200, "text/html; charset=utf-8", self.index(outlet, section, items)
        if path.startswith("/tag/"):
            tag = path[5:].strip("/")
            items = [a for a in outlet.articles if tag in map(slugify, a.meta.get("tags", []))]
            if items:
                return 200, "text/html; charset=utf-8", self.index(outlet, tag.replace("-", " ").title(), items)
        return 404, "text/html; charset=utf-8", "<!doctype html><title>Not found</title><h1>Page not found</h1>"

    def _feed_path(self, outlet: DemoOutlet) -> str:
        return "/rss.xml" if outlet.config["feed"] == "rss" else "/atom.xml"

    def _sitemaps(self, outlet: DemoOutlet) -> dict:
        kind = outlet.config["sitemap"]
        if kind == "plain":
            return {"/sitemap.xml": lambda: self.sitemap(outlet, outlet.articles, sections=True)}
        if kind == "news":
            return {"/news-sitemap.xml": lambda: self.news_sitemap(outlet, outlet.articles)}
        recent = [a for a in outlet.articles if a.published >= datetime(2018, 10, 8, tzinfo=timezone.utc)]
        older = [a for a in outlet.articles if a not in recent]
        return {
            "/sitemap_index.xml": lambda: self.sitemap_index(
                outlet, ["/sitemaps/news.xml", "/sitemaps/archive.xml"]),
            "/sitemaps/news.xml": lambda: self.news_sitemap(outlet, recent),
            "/sitemaps/archive.xml": lambda: self.sitemap(outlet, older, sections=True),
        }

    def _article_path(self, outlet: DemoOutlet, article: Article) -> str:
        if article.meta.get("private"):
            disallowed = outlet.config.get("disallow") or ["/private/"]
            return disallowed[0].rstrip("/") + "/" + article.slug
        when = article.published
        return outlet.config["url_pattern"].format(
            section=slugify(article.meta.get("section", "news")), yyyy=f"{when.year:04d}",
            mm=f"{when.month:02d}", mon=when.strftime("%b").lower(), dd=f"{when.day:02d}",
            slug=article.slug, id=zlib.crc32(article.slug.encode()) % 9_000_000 + 1_000_000)

    def _abs(self, outlet: DemoOutlet, path: str) -> str:
        return outlet.base_url.rstrip("/") + path

    # --- documents ----------------------------------------------------------------------------

    def robots(self, outlet: DemoOutlet) -> str:
        return listings.robots_txt(outlet.config.get("disallow", []),
                                   [self._abs(outlet, p) for p in self._sitemaps(outlet)
                                    if p not in ("/sitemaps/news.xml", "/sitemaps/archive.xml")])

    def _feed_link(self, outlet: DemoOutlet, article: Article) -> str:
        url = self._abs(outlet, article.path)
        # Some outlets tag every feed link for their analytics: a second URL for one story.
        if outlet.config.get("feed_tracking"):
            url += "?utm_source=rss&utm_medium=feed&utm_campaign=" + outlet.id
        return url

    def feed(self, outlet: DemoOutlet) -> str:
        cfg = outlet.config
        items = outlet.articles[:30]
        entries = [listings.Entry(url=self._feed_link(outlet, a), title=m["title"], published=a.published,
                                  updated=m.get("modified", m["published"]), summary=m.get("standfirst", ""),
                                  id=f"{outlet.id}-{a.slug}" if cfg["feed"] == "rss" else f"tag:{outlet.id},2018:{a.slug}")
                   for a in items for m in [a.version(self.edition)[0]]]
        if cfg["feed"] == "rss":
            rss = listings.rss(cfg["name"], outlet.base_url, entries)
            return _by_hand(rss) if cfg.get("hand_made_feed") else rss
        return listings.atom(cfg["name"], outlet.base_url, entries, self_url=self._abs(outlet, "/atom.xml"),
                             updated=items[0].published if items else "2018-01-01T00:00:00Z")

    def sitemap(self, outlet: DemoOutlet, articles: list[Article], sections: bool) -> str:
        rows = [(self._abs(outlet, a.path), a.version(self.edition)[0].get("modified")
                 or a.meta["published"]) for a in articles]
        if sections:  # listing pages sit in real sitemaps too; the clean stage must drop them
            rows += [(self._abs(outlet, "/" + slugify(s) + "/"), None) for s in outlet.config["sections"][:2]]
        return listings.sitemap(rows)

    def news_sitemap(self, outlet: DemoOutlet, articles: list[Article]) -> str:
        return listings.news_sitemap(
            [listings.Entry(url=self._abs(outlet, a.path), title=a.version(self.edition)[0]["title"],
                            published=a.meta["published"]) for a in articles],
            publication=outlet.config["name"], language=outlet.config["lang"][:2])

    def sitemap_index(self, outlet: DemoOutlet, paths: list[str]) -> str:
        return listings.sitemap_index(self._abs(outlet, p) for p in paths)

    def index(self, outlet: DemoOutlet, title: str, articles: list[Article]) -> str:
        items = "\n".join(
            f'<li><a href="{html.escape(self._abs(outlet, a.path))}">{html.escape(m["title"])}</a>'
            f'<p>{html.escape(m.get("standfirst", ""))}</p></li>'
            for a in articles for m in [a.version(self.edition)[0]])
        return outlet.templates["index"].substitute(
            outlet_name=html.escape(outlet.config["name"]), home_url=outlet.base_url,
            lang=outlet.config["lang"], page_title=html.escape(title), items_html=items,
            feed_url=self._abs(outlet, self._feed_path(outlet)), year="2018")

    def article(self, outlet: DemoOutlet, article: Article, amp: bool = False) -> str:
        cfg = outlet.config
        meta, body = article.version(self.edition)
        tz = _BST if article.published.utcoffset() == timedelta(hours=1) else _GMT
        published = article.published.astimezone(tz)
        modified = datetime.fromisoformat(meta.get("modified", meta["published"])).astimezone(tz)
        authors = meta.get("authors", [])
        url = self._abs(outlet, article.path)
        section = meta.get("section", cfg["sections"][0])
        scripted = meta.get("rendered") == "script"
        values = {
            "outlet_name": html.escape(cfg["name"]), "outlet_name_json": _json(cfg["name"]),
            "home_url": outlet.base_url, "lang": cfg["lang"],
            "title": html.escape(meta["title"]), "title_json": _json(meta["title"]),
            "standfirst": html.escape(meta.get("standfirst", "")),
            "standfirst_json": _json(meta.get("standfirst", "")),
            "section": html.escape(section), "section_url": self._abs(outlet, "/" + slugify(section) + "/"),
            "canonical_url": url, "canonical_url_json": _json(url),
            "published_iso": published.isoformat(), "published_iso_json": _json(published.isoformat()),
            "modified_iso": modified.isoformat(), "modified_iso_json": _json(modified.isoformat()),
            "published_display": html.escape(published.strftime(cfg["date_format"])),
            "modified_display": html.escape(modified.strftime(cfg["date_format"])),
            "authors_text": html.escape(_and_list(authors)),
            "authors_json": json.dumps([{"@type": "Person", "name": a} for a in authors]).replace("</", "<\\/"),
            "author_meta_tags": "\n".join(f'<meta name="author" content="{html.escape(a)}">' for a in authors),
            "byline_html": " and ".join(
                f'<a rel="author" href="{outlet.base_url}author/{slugify(a)}/">{html.escape(a)}</a>'
                for a in authors),
            # A story its page writes in with scripts: the markup holds a container, the
            # article object declares the text (as app-shell news sites serve it).
            "body_html": _SCRIPTED_BODY if scripted else self._body_html(body),
            "article_body_member": f',"articleBody":{_json(_plain_body(body))}' if scripted else "",
            "related_html": "\n".join(
                f'<li><a href="{html.escape(self._abs(outlet, a.path))}">{html.escape(a.meta["title"])}</a></li>'
                for a in self._related(outlet, article)),
            "tags_html": " ".join(
                f'<a href="{outlet.base_url}tag/{slugify(t)}/" rel="tag">{html.escape(t)}</a>'
                for t in meta.get("tags", [])),
            "comments_html": "\n".join(
                f'<li><b>{html.escape(c["name"])}</b><p>{html.escape(c["text"])}</p></li>'
                for c in self._comments(article)),
            "amphtml_link": (f'<link rel="amphtml" href="{self._abs(outlet, "/amp" + article.path)}">'
                             if "amp" in outlet.templates and not amp else ""),
            "feed_url": self._abs(outlet, self._feed_path(outlet)),
            "image_url": self._abs(outlet, f"/images/{article.slug}.jpg"), "year": "2018",
        }
        return outlet.templates["amp" if amp else "article"].substitute(values)

    def _body_html(self, body: str) -> str:
        out = []
        for block in re.split(r"\n\s*\n", body.strip()):
            block = " ".join(block.split())
            if block.startswith("## "):
                out.append(f"<h2>{html.escape(block[3:])}</h2>")
                continue
            parts, last = [], 0
            for m in _LINK.finditer(block):
                parts.append(html.escape(block[last:m.start()]))
                parts.append(f'<a href="{html.escape(self._link_target(m.group(2)))}">{html.escape(m.group(1))}</a>')
                last = m.end()
            parts.append(html.escape(block[last:]))
            out.append("<p>" + "".join(parts) + "</p>")
        return "\n".join(out)

    def _link_target(self, target: str) -> str:
        """[text](outlet/slug), with optional "amp:" prefix, "/" suffix or ?query."""
        if target.startswith(("http://", "https://")):
            return target
        amp = target.startswith("amp:")
        ref = target[4:] if amp else target
        ref, q, query = ref.partition("?")
        slash = ref.endswith("/")
        url = self.url(ref.rstrip("/"))
        if amp:
            parts = urlsplit(url)
            url = f"{parts.scheme}://{parts.netloc}/amp{parts.path}"
        if slash and not url.endswith("/"):
            url += "/"
        return url + (f"?{query}" if q else "")

    def _related(self, outlet: DemoOutlet, article: Article) -> list[Article]:
        others = [a for a in outlet.articles if a is not article and not a.meta.get("private")]
        start = zlib.crc32(article.slug.encode()) % max(len(others), 1)
        return (others[start:] + others[:start])[:4]

    def _comments(self, article: Article) -> list[dict]:
        if not self.comments:
            return []
        seed = zlib.crc32(article.slug.encode())
        count = 2 + seed % 3
        return [self.comments[(seed // 7 + i * 11) % len(self.comments)] for i in range(count)]


_SCRIPTED_BODY = ('<div class="article-body" id="story-body" data-hydrate="story"></div>\n'
                  '<script src="/static/story.js" defer></script>\n'
                  '<noscript><p>Please turn on JavaScript to read this story.</p></noscript>')


def _plain_body(body: str) -> str:
    """A demo body as a CMS declares it in ``articleBody``: plain paragraphs, links as their text."""
    blocks = (" ".join(b.split()).removeprefix("## ") for b in re.split(r"\n\s*\n", body.strip()))
    return "\n\n".join(_LINK.sub(r"\1", b) for b in blocks)


def _json(value: str) -> str:
    # Safe inside <script>: no "</script>" can close the block early.
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def _and_list(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _by_hand(rss: str) -> str:
    """An old CMS's RSS, written by a template rather than an XML library: apostrophes
    made curly and, like each accented letter, written as HTML's named entity (&rsquo;,
    which XML does not know), and first a promotion whose link's address was never filled
    in and whose title's ampersand is bare. newsmon reads the titles whole and skips the
    promotion in one line."""
    rss = re.sub(r">[^<]*<", lambda text: text.group(0).replace("'", "\u2019"), rss)  # (text, not attributes)
    body = "".join(f"&{codepoint2name[ord(c)]};" if ord(c) > 127 and ord(c) in codepoint2name else c for c in rss)
    return body.replace("<item>", "<item><title>Subscribe & save</title><link>http://[site_url]/subscribe</link>"
                                  "</item><item>", 1)
