"""The archive in Datasette: descriptions of every table and column, canned queries for
the common questions, full-text search on stories. Datasette is an optional extra."""

from __future__ import annotations

from pathlib import Path

TABLES = {
    "stories": ("One row per story: the latest text and metadata of an article at one outlet.", {
        "outlet": "Outlet id (outlets.id)", "title": "Headline", "url": "URL as first served",
        "published": "Publication date, ISO 8601", "date_source": "Where the date came from",
        "authors": "JSON list of people",
        "label": "same_story, related or unrelated: the reader's judgement when there is one, else newsmon's",
        "auto_label": "newsmon's own label", "label_why": "JSON: what newsmon's label rests on (scores, terms, "
        "the topic model's strongest features)",
        "topic_score": "The watch's topic judge: term density, or the topic model's probability", "same_story_score": "0-1, against the closest source",
        "source_id": "The closest source", "copy_group": "Group of copies of one article across outlets",
        "revision": "Number of the latest revision", "text": "Body text (latest revision)"}),
    "story_urls": ("Every URL a story was seen under.", {"normalised": "The dedup key of the URL",
                                                         "discovered_via": "feed, sitemap, source-link, recheck, ingest"}),
    "story_revisions": ("Every version of a story, with a unified diff against the previous one.", {}),
    "comparisons": ("Each story against each source: figures, quotes, names, framing, timing.", {
        "facts_conflict": "JSON: figures the story states differently, with both sentences",
        "published_relation": "before, same day or after the source"}),
    "sources": ("Source articles that coverage is compared with, with their profiles.", {}),
    "outlets": ("Outlets: watched ones and those met through links.", {}),
    "crawl_runs": ("One row per crawl: times, status, counts, errors.", {}),
    "fetch_state": ("Feeds and sitemaps: validators, content hash, failures in a row.", {}),
    "remembered_urls": ("Pages judged unrelated (or gone): not stories, not fetched again while the topic "
                        "model that judged them is the watch's.", {"model": "Version of the topic model that "
                                                                           "judged the page unrelated"}),
    "judgements": ("The reader's labels (newsmon review, newsmon label): they stand over newsmon's and teach "
                   "the watch's topic model.", {"auto_label": "newsmon's label when the reader judged"}),
    "story_signatures": ("MinHash signature of each story (near-duplicate detection).", {}),
    "lsh_bands": ("LSH band keys of the signatures (indexed candidate lookup).", {}),
    "archive_settings": ("Settings the archive's contents depend on (the LSH band layout).", {}),
    "alert_items": ("Things worth telling, per watch, each under a stable key (told once per channel).", {
        "kind": "same_story, related, new_outlet, revision, conflict or copy",
        "detail": "JSON: the changed sentences of a revision, the conflicting figure"}),
    "alert_messages": ("Messages sent (or waiting) per alert channel: a summary first, then digests.", {
        "uid": "The message's stable id (email Message-ID, webhook delivery id, Atom entry ids)",
        "status": "pending, sending, failed or sent"}),
    "alert_deliveries": ("Which message told an item to a channel (once per item and channel).", {}),
}

QUERIES = {
    "same_story_coverage": ("Coverage of the source's event, oldest first",
                            "select id, published, outlet, title, same_story_score, url from stories "
                            "where label = 'same_story' order by published"),
    "judged_stories": ("Stories the reader judged, with newsmon's label beside",
                       "select j.story_id, s.outlet, s.title, j.label, j.auto_label as newsmon_label, j.judged_at, "
                       "j.note from judgements j join stories s on s.id = j.story_id order by j.judged_at desc"),
    "related_coverage": ("Same-story and related coverage with outlet and date",
                         "select * from related_coverage"),
    "coverage_per_outlet_per_day": ("Stories per outlet per publication day", "select * from coverage_by_outlet_day"),
    "conflicting_figures": ("Figures stated differently from the source, with both sentences",
                            "select * from conflicting_facts"),
    "syndicated_groups": ("Articles run by several outlets", "select * from copy_groups order by copies desc"),
    "who_published_first": ("Coverage published before the source",
                            "select s.id, s.published, s.outlet, s.title, c.days_from_source from comparisons c "
                            "join stories s on s.id = c.story_id where c.published_relation = 'before' "
                            "order by s.published"),
}


def metadata(db_path: str | Path) -> dict:
    name = Path(db_path).stem
    tables = {t: {"description": d, "columns": cols} for t, (d, cols) in TABLES.items()}
    tables["stories"].update({"fts_table": "stories_fts", "fts_pk": "id", "sort_desc": "published"})
    return {
        "title": "newsmon archive",
        "description": "News coverage followed by newsmon: stories, their URLs, revisions, copies and "
                       "their comparison with the source articles.",
        "databases": {name: {"tables": tables,
                             "queries": {k: {"title": t, "sql": sql} for k, (t, sql) in QUERIES.items()}}},
    }


# --- alert feeds ---------------------------------------------------------------------------
# `newsmon serve` hands Datasette a one-hook plugin (written to a temporary folder) that
# serves exactly the watch's Atom feed files, by name, and nothing else of their folders.

FEEDS_ENV = "NEWSMON_SERVE_FEEDS"
FEED_ROUTE = "/-/feeds/{name}.atom"

FEED_PLUGIN = '''"""newsmon's alert feeds in Datasette (written by `newsmon serve`)."""
import json
import os

from datasette import hookimpl

from newsmon.serve import FEEDS_ENV, feed_routes


@hookimpl
def register_routes(datasette):
    return feed_routes(json.loads(os.environ.get(FEEDS_ENV, "{}")))
'''


def feed_routes(feeds: dict[str, str]) -> list:
    """Datasette routes serving each feed (name -> file) at /-/feeds/<name>.atom."""
    from datasette.utils.asgi import Response

    async def feed(request):
        path = feeds.get(request.url_vars["name"])
        if not path or not Path(path).is_file():
            return Response.text("No such feed: it is written after the watch's next crawl.\n", status=404)
        return Response(Path(path).read_text(encoding="utf-8"), content_type="application/atom+xml; charset=utf-8")

    return [(r"^/-/feeds/(?P<name>[A-Za-z0-9_.-]+)\.atom$", feed)]
