"""Every stage that needs only the page, run as one function: clean, assess, key, compare.

``process_page`` is what a worker process runs for each fetched page (``crawler.workers``);
what needs the archive (which story a page belongs to, writing it) stays with the store.
Its input and output are plain data, cheap to pass between processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.compare import compare
import numpy as np

from pipelines.dedup import NearDupSettings, lede_bands, minhash, page_keys
from pipelines.records import store_record
from pipelines.relevance import Thresholds, TopicMatcher, TopicModel, assess
from pipelines.samestory import Rarity


@dataclass
class Context:
    """What processing a page needs beyond the page: built once per crawl, sent once to
    each worker."""

    topic_terms: dict | None = None
    topic_model: dict | None = None  # a topic model's parameters (``TopicModel.params``)
    sources: list[dict] = field(default_factory=list)  # id, profile, text
    thresholds: Thresholds = field(default_factory=Thresholds)
    lexicon: dict = field(default_factory=dict)
    neardup: NearDupSettings = field(default_factory=NearDupSettings)
    min_words: int = 40  # (NEWSMON_MIN_ARTICLE_WORDS; callers pass the resolved setting)
    favor_precision: bool = True
    keep_unrelated: bool = False
    # the archive's word rarity at the crawl's start (``samestory.Rarity``; none: no archive)
    rarity: Rarity | None = None

    def __post_init__(self):
        matcher = TopicMatcher(self.topic_terms) if self.topic_terms else None
        self.topic = TopicModel(self.topic_model, matcher) if self.topic_model else matcher

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("topic", None)  # rebuilt on arrival: cheaper than pickling its patterns
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__post_init__()


def process_page(page: dict, ctx: Context) -> dict:
    """One fetched page (url, requested_url, html, hints, fetched_at, outlet, outlet_name,
    discovered_via) through every page-only stage.

    Returns ``{"drop": reason}`` for a page that is not an article, ``{"drop": "unrelated",
    "relevance": ...}`` for one off the watch's subject, else ``{"record": StoreRecord}``
    (``pipelines.records``): all the store needs, built here once; and ``links`` to follow
    from a same-story page.
    """
    from pipelines.clean import NotAnArticle, clean_page_staged  # trafilatura: in workers only

    try:
        # (the byline is read only for a page that is kept: most are dropped as off the subject)
        article, add_authors = clean_page_staged(page["html"], page["url"], page.get("hints"), page.get("fetched_at"),
                                                 page.get("outlet_name"), ctx.min_words, ctx.favor_precision)
    except NotAnArticle as exc:
        return {"drop": str(exc).split(" ")[0], "detail": str(exc)}
    result = process_article(article, page["requested_url"], page["url"], ctx)
    if "fields" in result:
        fields = result.pop("fields")
        fields["article"] = add_authors()
        result["record"] = store_record(fields, page.get("outlet"), page.get("outlet_name"), page["requested_url"],
                                        page["url"], page.get("fetched_at"), page.get("discovered_via"))
    if page.get("follow") and result.get("record") and result["record"].relevance["label"] == "same_story":
        # The same story: its cited links are candidates to follow (ranked in the crawl).
        from pipelines.links import source_links

        result["links"] = source_links(page["html"], page["url"])
    return result


def process_article(article: dict, requested_url: str, url: str, ctx: Context) -> dict:
    """The stages after cleaning, for an article however it was had (crawled or ingested)."""
    text = article["text"]
    relevance = assess(text, article["title"], article["published"], ctx.topic, ctx.sources, ctx.thresholds,
                       rarity=ctx.rarity, url=url, section=article.get("section"),
                       opinion=article.get("opinion"))
    if relevance["label"] == "unrelated" and not ctx.keep_unrelated:
        return {"drop": "unrelated", "relevance": {k: relevance[k] for k in
                                                   ("label", "topic_score", "same_story_score", "source_id",
                                                    "why")}}
    # The profile's MinHash is dedup's when both shingle alike (the default): made once.
    default = NearDupSettings()
    if relevance["profile"] and (ctx.neardup.permutations, ctx.neardup.shingle) == \
            (default.permutations, default.shingle):
        signature = np.array(relevance["profile"]["signature"], dtype=np.uint64)
        shingles = relevance["profile"]["shingles"]
    else:
        signature, shingles = minhash(text, ctx.neardup)
    comparisons = []
    if relevance["label"] in ("same_story", "related"):
        # the same-story score of each source is relevance's, made with the archive's rarity
        comparisons = [compare(relevance["profile"], text, s["id"], s["profile"], s["text"], ctx.lexicon,
                               relevance["per_source"][s["id"]]) for s in ctx.sources]
    urls, keys, text_hash = page_keys(requested_url, url, article.get("canonical_url"), text)
    # What the store needs of the relevance result: the profile stays here (it is large).
    relevance = {k: relevance[k] for k in ("label", "topic_score", "same_story_score", "source_id", "why")}
    return {"fields": {
        "article": article, "relevance": relevance, "comparisons": comparisons,
        "urls": urls, "keys": keys, "text_hash": text_hash, "signature": signature, "shingles": shingles,
        # The opening's band keys too: worker CPU, so the archive's single writer has less to do.
        "lede_bands": lede_bands(text, ctx.neardup),
    }}
