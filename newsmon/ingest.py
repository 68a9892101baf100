"""The pipeline on saved pages: HTML files, JSONL records or WARC files, through the same
functions as a crawl (clean, relevance, dedup keys, compare, archive writes in batches).

WARC files (``.warc``, ``.warc.gz``; Common Crawl's CC-NEWS, or any crawler's) are read as
a stream, one record at a time: their HTML responses are treated exactly as crawled pages
(the crawl's article-length floor, outlets from the watch, the capture time as the fetch
time), so a WARC of some pages archives as a crawl of them would. One difference: an ingest
knows its inputs, and weighs words by the archive and every input it has read (``Ingestor``).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from crawler import settings
from pipelines.archive import Archive
from pipelines.clean import NotAnArticle, clean_page_staged
from pipelines.decode import decode_html
from pipelines.page import Context, process_article
from pipelines.records import store_record
from pipelines.relevance import Thresholds, TopicMatcher, TopicModel
from pipelines.samestory import FTS_TOKENIZER, INGEST_ADDRESS, combined_rarity, index_reading
from pipelines.text import words

HTML_SUFFIXES = (".html", ".htm")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


class IngestError(ValueError):
    """An input that cannot be read at all; str() is one line for the user."""


@dataclass
class Record:
    id: str
    url: str | None = None
    html: str | None = None
    text: str | None = None
    title: str = ""
    published: str | None = None
    outlet: str | None = None
    problem: str | None = None  # why this input could not be read
    fetched_at: str | None = None
    crawled: bool = False  # a page as a crawler fetched it (WARC): judged as a crawl judges


# Inputs read (cleaned) before any of them is judged: the words' rarity the same-story decision
# weighs them by is that of the archive and of every input read so far, so a collection ingested
# into a new archive is judged as one watch's archive of it (docs/how-it-works.md, "The words'
# rarity in an ingest"). Read pages wait here, so it bounds the memory an ingest takes.
INPUTS_WINDOW = 500


@dataclass
class Ingestor:
    archive: Archive
    topic: TopicMatcher | TopicModel | None
    thresholds: Thresholds
    lexicon: dict
    keep_unrelated: bool = False
    batch_size: int = 100
    sources: list[dict] = field(default_factory=list)
    outlet_for: object = None  # url -> the watch's Outlet or None (crawled records' outlets)
    min_words: int = 40  # the crawl's floor (NEWSMON_MIN_ARTICLE_WORDS), for crawled records
    window: int = INPUTS_WINDOW

    def __post_init__(self):
        self.sources = self.archive.source_profiles()
        # The archive's stories as they stood before this ingest (those it stores are read as
        # inputs), and an index of every input read: one collection for the words' rarity.
        self._archived = self.archive.rarity_reading()
        self._inputs = sqlite3.connect(":memory:")
        self._inputs.execute(f"create virtual table inputs using fts5(title, text, tokenize='{FTS_TOKENIZER}')")
        self._indexed = 0
        self.context = Context(sources=self.sources, thresholds=self.thresholds, lexicon=self.lexicon,
                               keep_unrelated=self.keep_unrelated, rarity=combined_rarity([self._archived]))
        self.context.topic = self.topic

    def run(self, records: Iterator[Record]) -> Iterator[dict]:
        """One decision per record, in input order: id, label, scores, the story it went to.
        Records are read ``window`` at a time, then judged and stored in batches."""
        window: list[tuple[dict, dict | None]] = []
        for record in records:
            window.append(self.read(record))
            if len(window) >= self.window:
                yield from self._judged(window)
                window = []
        yield from self._judged(window)

    def _judged(self, window: list[tuple[dict, dict | None]]) -> Iterator[dict]:
        self._reread_rarity()
        pending: list[tuple[dict, dict | None]] = []
        for decision, read in window:
            pending.append(self.judge(decision, read) if read else (decision, None))
            if sum(1 for _d, page in pending if page) >= self.batch_size:
                yield from self._flush(pending)
                pending = []
        yield from self._flush(pending)

    def _reread_rarity(self):
        """The words' rarity again over the archive and the inputs read so far, once more
        have been read."""
        read = self._inputs.execute("select count(*) from inputs").fetchone()[0]
        if read > self._indexed:
            self._indexed = read
            # (the inputs first: the latest stories make the neighbourhood)
            self.context.rarity = combined_rarity([index_reading(self._inputs, "inputs"), self._archived])

    def read(self, record: Record) -> tuple[dict, dict | None]:
        """The record cleaned: its decision so far, and what judging it needs (None when it
        is skipped: unreadable, or not an article). Its text joins the inputs' index."""
        decision = {"id": record.id, "url": record.url}
        if record.problem:
            return {**decision, "label": None, "action": "skipped", "reason": record.problem}, None
        now = record.fetched_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        url = record.url or f"{INGEST_ADDRESS}{record.outlet or 'unknown'}/{record.id}"
        owner = self.outlet_for(url) if self.outlet_for and record.url else None
        outlet_name = owner.name if owner else record.outlet
        try:
            if record.html is not None:
                # (its byline read now, not once it is kept as a crawl's worker does: the page's
                # tree would wait with it, a window of trees)
                article = clean_page_staged(record.html, url, {"published": record.published}, now,
                                            outlet_name, min_words=self.min_words if record.crawled else 1)[1]()
            else:
                article = _article_from_text(record, url)
        except NotAnArticle as exc:
            return {**decision, "label": None, "action": "skipped", "reason": f"not an article ({exc})"}, None
        title = record.title or article["title"]
        self._inputs.execute("insert into inputs(title, text) values (?, ?)", (title or "", article["text"] or ""))
        return decision, {"article": article, "title": title, "url": url, "owner": owner, "outlet_name": outlet_name,
                          "now": now, "outlet": record.outlet, "crawled": record.crawled}

    def judge(self, decision: dict, read: dict) -> tuple[dict, dict | None]:
        """A read record labelled, and the page the archive takes (None when it is not kept)."""
        article, title, url, owner, outlet_name = (read[k] for k in ("article", "title", "url", "owner", "outlet_name"))
        canonical = article.get("canonical_url") or ""
        if not url.startswith(("http://", "https://")) and canonical.startswith(("http://", "https://")):
            # A saved page names where it was published: that is the story's URL, and its outlet.
            url = canonical
            owner = owner or (self.outlet_for(url) if self.outlet_for else None)
            outlet_name = outlet_name or (owner.name if owner else article.get("sitename"))
        result = process_article({**article, "title": title}, url, url, self.context)
        rel = result["fields"]["relevance"] if "fields" in result else result["relevance"]
        decision.update({"label": rel["label"], "topic_score": rel["topic_score"],
                         "same_story_score": rel["same_story_score"], "source_id": rel["source_id"]})
        if "fields" not in result:
            return {**decision, "action": "not stored", "story_id": None, "copy_group": None}, None
        fields = result["fields"]
        fields["article"] = {**article, "title": title}  # (what process_article was given, its byline read)
        outlet = (owner.id if owner else None) or read["outlet"] or _site(url) or "unknown"
        # The same record a crawl's worker builds (pipelines.records), as the archive takes it.
        page = store_record(fields, outlet, outlet_name, url, url, read["now"],
                            "warc" if read["crawled"] else "ingest").as_page()
        return decision, page

    def _flush(self, pending):
        results = iter(self.archive.add_pages_detailed([page for _d, page in pending if page]))
        for decision, page in pending:
            if page is None:
                yield decision
            else:
                outcome, story_id = next(results)
                group = self.archive.db.execute("select copy_group from stories where id = ?",
                                                [story_id]).fetchone()[0]
                yield {**decision, "action": outcome, "story_id": story_id, "copy_group": group}


def _site(url: str) -> str | None:
    """The host of a web URL, without "www." (a file:// or ingest:// URL has none)."""
    if not url.startswith(("http://", "https://")):
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def _article_from_text(record: Record, url: str) -> dict:
    from pipelines.clean import _detect_language

    text = (record.text or "").strip()
    if not text:
        raise NotAnArticle("no-article-text")
    return {"title": record.title, "text": text, "authors": [], "published": record.published,
            "date_source": "input" if record.published else None, "modified": None,
            "language": _detect_language(f"{record.title}\n{text}"), "sitename": record.outlet, "canonical_url": None, "section": None,
            "description": None, "image": None, "word_count": len(words(text)),
            "sources": {"title": "input", "published": "input"}}


# A page is at most this big, as in a crawl.
MAX_PAGE_BYTES = settings.DOWNLOAD_MAXSIZE
# Characters an outlet given in the input may not hold: it becomes a key in the archive and
# a name in reports, never a path or markup.
_UNSAFE_OUTLET = re.compile(r"[/\\<>\"'`\x00-\x1f\x7f]|\.\.|^\.")


def read_inputs(paths: list[str], max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Record]:
    """Records from HTML files, folders of them, JSONL and WARC files, in the order given;
    a page over ``max_bytes`` (the crawl's cap) is skipped, as a crawl skips it."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in HTML_SUFFIXES + (".jsonl",)
                           or p.name.lower().endswith(WARC_SUFFIXES))
            for file in files:
                yield from _read_file(file, max_bytes)
        elif path.is_file():
            yield from _read_file(path, max_bytes)
        else:
            raise IngestError(f"{path}: no such file or folder")


def _too_big(where, size: int, max_bytes: int) -> str:
    return (f"{where}: {size / 2 ** 20:.1f} MB, over the {max_bytes / 2 ** 20:g} MB a page may be "
            "(DOWNLOAD_MAXSIZE, as in a crawl)")


def _read_file(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Record]:
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl(path, max_bytes)
    elif path.name.lower().endswith(WARC_SUFFIXES):
        yield from read_warc(path, max_bytes)
    else:
        try:
            if path.stat().st_size > max_bytes:
                yield Record(id=str(path), problem=_too_big(path, path.stat().st_size, max_bytes))
                return
            html = decode_html(path.read_bytes())
        except OSError as exc:
            yield Record(id=str(path), problem=f"{path}: cannot read ({exc.strerror})")
            return
        yield Record(id=str(path), html=html, url=path.resolve().as_uri())


def _read_jsonl(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Record]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            where = f"{path}:{number}"
            if not line.strip():
                continue
            if len(line) > max_bytes:
                yield Record(id=where, problem=_too_big(where, len(line), max_bytes))
                continue
            try:
                data = json.loads(line.decode("utf-8-sig"))
            except (UnicodeDecodeError, ValueError) as exc:
                yield Record(id=where, problem=f"{where}: not a JSON line ({str(exc).splitlines()[0]})")
                continue
            if not isinstance(data, dict) or not (data.get("text") or data.get("html")):
                yield Record(id=str(data.get("id", where)) if isinstance(data, dict) else where,
                             problem=f"{where}: a record needs \"text\" or \"html\"")
                continue
            problem = _field_problem(data)
            if problem:
                yield Record(id=str(data.get("id", where)), problem=f"{where}: {problem}")
                continue
            yield Record(id=str(data.get("id", where)), url=data.get("url"), html=data.get("html"),
                         text=data.get("text"), title=data.get("title") or "",
                         published=data.get("published"), outlet=data.get("outlet"))


def _field_problem(data: dict) -> str | None:
    """Why a JSONL record's fields cannot be taken as they are, or None. The rules of the
    watch file: a story's URL is http(s) with a host, as only those are fetched; an outlet
    is a name (\"BBC News\" is one), never a path or markup."""
    for key in ("text", "html", "title", "url", "outlet", "published"):
        if data.get(key) is not None and not isinstance(data[key], str):
            return f"\"{key}\" must be a string"
    url = data.get("url")
    if url is not None and not is_http_url(url):
        return f"url {_short(url)} is not an http(s) URL (only those are fetched, so only those are archived)"
    outlet = data.get("outlet")
    if outlet is not None and (not outlet.strip() or len(outlet) > 200 or _UNSAFE_OUTLET.search(outlet)):
        return f"outlet {_short(outlet)} is not an outlet's name or id (no paths, quotes or markup)"
    return None


def is_http_url(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _short(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def read_warc(path: Path, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Record]:
    """The HTML pages of a WARC file that a server answered 200, one at a time (streamed:
    a CC-NEWS file of a gigabyte is never in memory). Requests, metadata, revisits,
    redirects, errors and non-HTML responses are passed over, as a crawl would. A record
    cut short (a file truncated in a copy or a download) is reported as cut, not judged:
    half a page is not the page."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Record(id=str(path), problem=f"{path}: cannot read ({exc.strerror})")
        return
    with handle:
        size = os.fstat(handle.fileno()).st_size
        records = ArchiveIterator(handle, arc2warc=True)
        seen, read_to = 0, 0
        while True:
            try:
                if seen:  # where the record before ended (reading it to its end first)
                    read_to = records.get_record_offset() + records.get_record_length()
                record = next(records)
                seen += 1
            except StopIteration:
                handle.seek(read_to)
                if handle.read(4) == b"\r\n\r\n":  # (a record's closing blank lines, not in its length)
                    read_to += 4
                if not seen:
                    yield Record(id=str(path), problem=f"{path}: no WARC records in it (not a WARC file?)")
                elif read_to < size:
                    yield Record(id=f"{path}@{read_to}", problem=f"{path}@{read_to}: cut short: the last "
                                 f"{size - read_to} bytes are not a whole record (a truncated file?)")
                return
            except (ArchiveLoadFailed, ValueError, OSError, EOFError, AttributeError) as exc:
                # A damaged file: what came before is kept; the rest cannot be found.
                detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
                what = "not a readable WARC file from here on" if seen else "not a WARC file"
                yield Record(id=str(path), problem=f"{path}: {what} ({detail})")
                return
            if record.rec_type != "response" or record.http_headers is None:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            status = record.http_headers.get_statuscode()
            content_type = record.http_headers.get_header("Content-Type") or ""
            if status != "200" or "html" not in content_type.lower() or not url:
                continue
            try:
                body = record.content_stream().read(max_bytes + 1)
            except (OSError, EOFError, ValueError) as exc:
                where = str(path)
                yield Record(id=where, url=url, problem=f"{where}: cannot read its body ({exc})")
                continue
            missing = getattr(record.raw_stream, "limit", 0) if len(body) <= max_bytes else 0
            # (the offset is asked for after the body: asking first empties the stream)
            where = f"{path}@{records.get_record_offset()}"
            if len(body) > max_bytes:
                yield Record(id=where, url=url, problem=_too_big(where, record.length or len(body), max_bytes))
            elif missing:
                yield Record(id=where, url=url, problem=f"{where}: cut short: {missing} bytes of its record "
                             "never came (a truncated file?); not judged")
            elif not is_http_url(url):
                yield Record(id=where, url=url, problem=f"{where}: {_short(url)} is not an http(s) URL")
            else:
                yield Record(id=where, url=url, html=decode_html(body, content_type), crawled=True,
                             fetched_at=_warc_date(record.rec_headers.get_header("WARC-Date")))


def _warc_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(timezone.utc).replace(microsecond=0).isoformat()
