"""One writer: everything a crawl writes goes through a sink, as records of four kinds.

- ``page``: a page as the archive takes it (``pipelines.records.StoreRecord``);
- ``remember``: URLs not to fetch again (unrelated pages, 404/410 answers), with why;
- ``fetch``: how the crawl's feeds and sitemaps answered (validators, failures);
- ``run``: how a crawl ended (status and figures).

``apply`` writes a batch of records to the archive in the caller's transaction; a local
crawl's ``ArchiveSink`` calls it, and so does the writer of a distributed crawl
(``crawler.distributed.Writer``) with the records a ``RedisSink`` pushed, as JSON. One
function, so a page archives the same way whichever way it came.
"""

from __future__ import annotations

import json
from collections import Counter

from pipelines.records import StoreRecord


def page(record: StoreRecord) -> dict:
    return {"kind": "page", "page": record.to_json()}


def remember(urls, reason: str, model: str | None = None) -> dict:
    return {"kind": "remember", "urls": list(urls), "reason": reason, "model": model}


def fetches(entries, keep_validators: bool = True) -> dict:
    return {"kind": "fetch", "entries": list(entries), "validators": keep_validators}


def run(watch: str, job: str, status: str, summary: dict, run_id: int | None = None) -> dict:
    """A crawl's end: ``run_id`` when the run was started in the archive (a local crawl);
    a distributed crawler's run is started and ended by the writer."""
    return {"kind": "run", "watch": watch, "job": job, "status": status, "summary": summary, "run_id": run_id}


def encode(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(raw: bytes) -> dict:
    return json.loads(raw)


def apply(archive, records: list[dict]) -> Counter:
    """Write ``records`` (in the order given: pages first, as a batch) to ``archive``, in
    the transaction the caller holds; the pages' outcome counts."""
    counts: Counter = Counter()
    pages = [StoreRecord.from_json(r["page"]).as_page() for r in records if r["kind"] == "page"]
    for outcome, _story in archive.add_pages_detailed(pages) if pages else ():
        counts[outcome] += 1
    for r in records:
        if r["kind"] == "remember" and r["urls"]:
            archive.remember_urls(r["urls"], r["reason"], r.get("model"))
        elif r["kind"] == "fetch":
            for e in r["entries"]:
                validators = (e.get("etag"), e.get("last_modified"), e.get("content_hash")) \
                    if r.get("validators", True) else ()
                archive.record_fetch(e["url"], e["kind"], e["outlet"], e["status"], e["error"], *validators)
        elif r["kind"] == "run":
            run_id = r.get("run_id") or archive.start_run(r["watch"], r["job"])
            archive.finish_run(run_id, r["status"], r["summary"])
    return counts


class ArchiveSink:
    """A local crawl's sink: each write is one transaction of the archive."""

    def __init__(self, archive):
        self.archive = archive

    def write(self, records: list[dict]) -> Counter:
        if not records:
            return Counter()
        with self.archive.transaction():
            return apply(self.archive, records)

    def close(self):
        self.archive.close()


class RedisSink:
    """A distributed crawler's sink: records pushed, as JSON, for the one writer."""

    def __init__(self, server, key: str):
        self.server, self.key = server, key

    def write(self, records: list[dict]) -> Counter:
        from crawler.distributed import push

        for record in records:
            push(self.server, self.key, record)
        return Counter()

    def close(self):
        pass


def sink_for(settings, neardup=None):
    """The sink of a crawl with these settings: the archive, or the shared results list."""
    if settings.get("NEWSMON_REDIS_URL"):
        from crawler.distributed import connect, keys, outage_wait

        return RedisSink(connect(settings["NEWSMON_REDIS_URL"], outage_wait(settings)),
                         keys(settings["NEWSMON_WATCH_NAME"]).results)
    from pipelines.archive import Archive

    return ArchiveSink(Archive(settings["NEWSMON_DB_PATH"], **({"neardup": neardup} if neardup else {})))
