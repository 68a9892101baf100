import json

from newsmon.web.demo import DemoWeb
from pipelines.clean import clean_page
from pipelines.page import Context, process_page
from pipelines.relevance import Thresholds

FETCHED = "2026-01-01T00:00:00+00:00"
TOPIC = (("immigration enforcement", 3.0), ("home office", 1.0), ("deportation", 3.0))


def demo_pages():
    web = DemoWeb()
    for i, outlet in enumerate(web.outlets.values()):
        outlet.base_url = f"http://127.0.0.1:{9000 + i}/"
    for outlet in web.outlets.values():
        for article in outlet.articles:
            if not article.meta.get("private"):
                yield outlet, article, web.article(outlet, article), web.url(f"{outlet.id}/{article.slug}")


def test_a_kept_page_carries_its_byline_and_a_dropped_one_is_labelled_as_before():
    ctx = Context(topic_terms=TOPIC, thresholds=Thresholds(0.5, 1.0))
    kept = dropped = 0
    for outlet, article, html, url in demo_pages():
        page = {"url": url, "requested_url": url, "html": html, "hints": {}, "fetched_at": FETCHED,
                "outlet": outlet.id, "outlet_name": outlet.config["name"]}
        result = process_page(page, ctx)
        whole = clean_page(html, url, {}, FETCHED, outlet.config["name"])
        if "record" in result:
            kept += 1
            # the store gets the whole article, the byline read after the page was labelled
            assert json.dumps(result["record"].article) == json.dumps(whole)
        else:
            dropped += 1
            assert result["drop"] == "unrelated" and "record" not in result
    assert kept >= 10 and dropped >= 5
