"""Imported once, by the server worker processes are forked from (see
``crawler.workers.start_forkserver``): loads and warms everything a worker uses, so that
every worker, at the start of a crawl or replacing a recycled one, starts warm and shares
it all with the others, copy-on-write, instead of loading word lists and models itself.
"""

import gc

from pipelines.page import Context, process_page
from pipelines.profile import profile

# A short article in our own words: enough for every stage to run once.
_TEXT = ("Charities working with migrants asked members of parliament on Monday to stop passing the "
         "details of constituents to immigration enforcement. Figures released by the Home Office show "
         "that offices of MPs made 68 calls to the enforcement hotline last year. \"Nobody should be afraid "
         "to ask their MP for help,\" said Dana Whitfield, who runs an advice centre in Leeds. ") * 4
_PAGE = ("<!DOCTYPE html><html lang=\"en\"><head><title>MPs asked to stop hotline calls</title>"
         "<meta property=\"og:type\" content=\"article\"><meta name=\"author\" content=\"Sam Okoro\">"
         "<meta property=\"article:published_time\" content=\"2018-10-19T08:00:00+01:00\"></head><body>"
         "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article><h1>MPs asked to stop hotline "
         "calls</h1>" + "".join(f"<p>{s}.</p>" for s in _TEXT.split(". ") if s) + "</article></body></html>")


def _warm():
    source = {"id": "warm", "profile": profile(_TEXT, "MPs asked to stop hotline calls", "2018-10-19"),
              "text": _TEXT}
    context = Context(topic_terms=(("immigration enforcement", 3.0), ("home office", 0.5)), sources=[source])
    url = "https://paper.example/news/mps-hotline"
    process_page({"url": url, "requested_url": url, "html": _PAGE, "hints": {},
                  "fetched_at": "2018-10-20T00:00:00+00:00", "outlet_name": "The Paper"}, context)


_warm()
# Nothing loaded here is ever freed: keep the collector off it, so that workers do not
# write to (and so copy) the pages these objects live on each time they collect.
gc.freeze()
