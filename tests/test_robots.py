"""robots.txt, through real Scrapy crawls of pages served from 127.0.0.1."""

import sqlite3
import time

import pytest

from crawler.run import crawl_in_child
from crawler.watch import Outlet, Watch
from test_spider import LOCAL, article


@pytest.mark.crawl
def test_requests_that_wait_for_a_robots_txt_all_obey_it(page_server, tmp_path):
    """A feed lists pages of a host whose robots.txt is slow to come: all of them wait for it
    at once, and none it disallows is fetched (Scrapy let every waiter but the first through)."""
    port = page_server.server_address[1]
    other = f"http://localhost:{port}"  # another host name: its own robots.txt

    def robots(request):
        if request.headers.get("Host", "").startswith("localhost"):
            time.sleep(1.5)  # every page of this host is asked for while this comes
        return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"

    pages = [f"/private/{i}" for i in range(6)] + [f"/open/{i}" for i in range(6)]
    items = "".join(f"<item><link>{other}{p}</link></item>" for p in pages)
    page_server.routes.update({
        "/robots.txt": robots,
        "/feed": (200, {"Content-Type": "application/rss+xml"}, f"<rss><channel>{items}</channel></rss>".encode()),
        **{p: (200, {"Content-Type": "text/html"}, article(f"Story {p}")) for p in pages},
    })
    watch = Watch(name="t", path=None, sources=(), outlets=(Outlet(
        id="local", name="Local", homepage=page_server.url + "/", feeds=(page_server.url + "/feed",),
        domains=("127.0.0.1", "localhost")),), crawl={**LOCAL, "CONCURRENT_REQUESTS_PER_DOMAIN": 16})
    summary = crawl_in_child(watch, tmp_path / "a.db", timeout=120)
    fetched = {target for _site, target in page_server.requests}
    assert not [p for p in fetched if p.startswith("/private/")], sorted(fetched)
    assert {f"/open/{i}" for i in range(6)} <= fetched  # the allowed ones, all of them
    with sqlite3.connect(tmp_path / "a.db") as conn:
        assert conn.execute("select count(*) from stories").fetchone()[0] == 6
    assert summary["skipped"]["robots.txt"] == 6
