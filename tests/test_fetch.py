import pytest

from crawler.fetch import FetchError, fetch_page, read_page


def test_read_and_fetch(tmp_path, page_server):
    (tmp_path / "p.html").write_bytes("<p>\u00a3100</p>".encode("utf-8"))
    assert "\u00a3100" in read_page(tmp_path / "p.html")
    page_server.routes["/p"] = (200, {"Content-Type": "text/html; charset=utf-8"}, b"<p>hello</p>")
    html, url = fetch_page(page_server.url + "/p")
    assert "hello" in html and url == page_server.url + "/p"
    page_server.routes["/big"] = (200, {"Content-Type": "text/html"}, b"x" * 2000)
    with pytest.raises(FetchError, match="larger than"):
        fetch_page(page_server.url + "/big", max_bytes=1000)
    with pytest.raises(FetchError, match="cannot fetch"):
        fetch_page("http://127.0.0.1:9/", timeout=2)
