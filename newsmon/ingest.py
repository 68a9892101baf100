"""The pipeline on saved pages: HTML files, JSONL records or WARC files, through the same
functions as a crawl (clean, relevance, dedup keys, compare, archive writes in batches).

WARC files (``.warc``, ``.warc.gz``; Common Crawl's CC-NEWS, or any crawler's) are read as
a stream, one record at a time: their HTML responses are treated exactly as crawled pages
(the crawl's article-length floor, outlets from the watch, the capture time as the fetch
time), so a WARC of some pages archives as a crawl of them would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from pipelines.archive import Archive
from pipelines.clean import NotAnArticle, clean_page
from pipelines.dedup import is_authoritative
from pipelines.fetch import decode_html
from pipelines.page import Context, process_article
from pipelines.relevance import Thresholds, TopicMatcher
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


@dataclass
class Ingestor:
    archive: Archive
    topic: TopicMatcher | None
    thresholds: Thresholds
    lexicon: dict
    keep_unrelated: bool = False
    batch_size: int = 100
    sources: list[dict] = field(default_factory=list)
    outlet_for: object = None  # url -> the watch's Outlet or None (crawled records' outlets)
    min_words: int = 120  # the crawl's floor, for crawled records

    def __post_init__(self):
        self.sources = self.archive.source_profiles()
        self.context = Context(sources=self.sources, thresholds=self.thresholds, lexicon=self.lexicon,
                               keep_unrelated=self.keep_unrelated)
        self.context.topic = self.topic

    def run(self, records: Iterator[Record]) -> Iterator[dict]:
        """One decision per record, in input order: id, label, scores, the story it went to."""
        pending: list[tuple[dict, dict | None]] = []
        for record in records:
            pending.append(self.prepare(record))
            if sum(1 for _d, page in pending if page) >= self.batch_size:
                yield from self._flush(pending)
                pending = []
        yield from self._flush(pending)

    def prepare(self, record: Record) -> tuple[dict, dict | None]:
        decision = {"id": record.id, "url": record.url}
        if record.problem:
            return {**decision, "label": None, "action": "skipped", "reason": record.problem}, None
        now = record.fetched_at or datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        url = record.url or f"ingest://{record.outlet or 'unknown'}/{record.id}"
        owner = self.outlet_for(url) if self.outlet_for and record.url else None
        outlet_name = owner.name if owner else record.outlet
        try:
            if record.html is not None:
                article = clean_page(record.html, url, {"published": record.published}, now, outlet_name,
                                     min_words=self.min_words if record.crawled else 1)
            else:
                article = _article_from_text(record, url)
        except NotAnArticle as exc:
            return {**decision, "label": None, "action": "skipped", "reason": f"not an article ({exc})"}, None
        title = record.title or article["title"]
        result = process_article({**article, "title": title}, url, url, self.context)
        rel = result["fields"]["relevance"] if "fields" in result else result["relevance"]
        decision.update({"label": rel["label"], "topic_score": rel["topic_score"],
                         "same_story_score": rel["same_story_score"], "source_id": rel["source_id"]})
        if "fields" not in result:
            return {**decision, "action": "not stored", "story_id": None, "copy_group": None}, None
        fields = result["fields"]
        outlet = (owner.id if owner else None) or record.outlet or (
            urlsplit(url).hostname if "://" in url else "unknown")
        page = {"outlet": outlet, "outlet_name": outlet_name or outlet, "fetched_urls": [url],
                "fetched_at": now, "discovered_via": "warc" if record.crawled else "ingest",
                "authoritative": is_authoritative(url, url, article.get("canonical_url")),
                **{k: fields[k] for k in ("article", "urls", "keys", "text_hash", "relevance",
                                          "comparisons", "signature", "shingles", "lede_bands")}}
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


def _article_from_text(record: Record, url: str) -> dict:
    text = (record.text or "").strip()
    if not text:
        raise NotAnArticle("no-article-text")
    return {"title": record.title, "text": text, "authors": [], "published": record.published,
            "date_source": "input" if record.published else None, "modified": None,
            "language": None, "sitename": record.outlet, "canonical_url": None, "section": None,
            "description": None, "image": None, "word_count": len(words(text)),
            "sources": {"title": "input", "published": "input"}}


def read_inputs(paths: list[str]) -> Iterator[Record]:
    """Records from HTML files, folders of them, JSONL and WARC files, in the order given."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in HTML_SUFFIXES + (".jsonl",)
                           or p.name.lower().endswith(WARC_SUFFIXES))
            for file in files:
                yield from _read_file(file)
        elif path.is_file():
            yield from _read_file(path)
        else:
            raise IngestError(f"{path}: no such file or folder")


def _read_file(path: Path) -> Iterator[Record]:
    if path.suffix.lower() == ".jsonl":
        yield from _read_jsonl(path)
    elif path.name.lower().endswith(WARC_SUFFIXES):
        yield from read_warc(path)
    else:
        try:
            html = decode_html(path.read_bytes())
        except OSError as exc:
            yield Record(id=str(path), problem=f"{path}: cannot read ({exc.strerror})")
            return
        yield Record(id=str(path), html=html, url=path.resolve().as_uri())


def _read_jsonl(path: Path) -> Iterator[Record]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            where = f"{path}:{number}"
            if not line.strip():
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
            yield Record(id=str(data.get("id", where)), url=data.get("url"), html=data.get("html"),
                         text=data.get("text"), title=data.get("title") or "",
                         published=data.get("published"), outlet=data.get("outlet"))


def read_warc(path: Path) -> Iterator[Record]:
    """The HTML pages of a WARC file that a server answered 200, one at a time (streamed:
    a CC-NEWS file of a gigabyte is never in memory). Requests, metadata, revisits,
    redirects, errors and non-HTML responses are passed over, as a crawl would."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Record(id=str(path), problem=f"{path}: cannot read ({exc.strerror})")
        return
    with handle:
        records = ArchiveIterator(handle, arc2warc=True)
        seen = 0
        while True:
            try:
                record = next(records)
                seen += 1
            except StopIteration:
                if not seen:
                    yield Record(id=str(path), problem=f"{path}: no WARC records in it (not a WARC file?)")
                return
            except (ArchiveLoadFailed, ValueError, OSError, EOFError) as exc:
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
                body = record.content_stream().read()
            except (OSError, EOFError, ValueError) as exc:
                where = str(path)
                yield Record(id=where, url=url, problem=f"{where}: cannot read its body ({exc})")
                continue
            # (the offset is asked for after the body: asking first empties the stream)
            where = f"{path}@{records.get_record_offset()}"
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
