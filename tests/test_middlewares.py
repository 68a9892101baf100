import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from crawler.middlewares import SafetyGuardMiddleware, UnsafeRequest, retry_after_seconds


def middleware(allow_private=False, private_hosts=()):
    settings = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    settings["NEWSMON_ALLOW_PRIVATE_ADDRESSES"] = allow_private
    settings["NEWSMON_PRIVATE_HOSTS"] = list(private_hosts)
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    return SafetyGuardMiddleware.from_crawler(crawler), crawler


def test_public_http_urls_pass():
    mw, _ = middleware()
    assert mw.screen(Request("http://93.184.216.34/page")) is None


def test_a_name_is_resolved_off_the_reactor_before_it_is_fetched():
    import inspect

    mw, _ = middleware()
    # A coroutine (Scrapy awaits it; a Deferred returned here is deprecated) that waits
    # on the lookup in a thread.
    assert inspect.iscoroutinefunction(mw.process_request)
    assert mw.screen(Request("https://www.bbc.co.uk/news")) == "www.bbc.co.uk"
    mw.resolved["www.bbc.co.uk"] = None  # known public: no second lookup
    assert mw.screen(Request("https://www.bbc.co.uk/sport")) is None
    assert middleware(allow_private=True)[0].screen(Request("https://www.bbc.co.uk/news")) is None


@pytest.mark.parametrize("url, why", [
    ("ftp://paper.example/file", "scheme"),
    ("file:///etc/passwd", "scheme"),
    ("http://127.0.0.1:8000/", "loopback"),
    ("http://10.1.2.3/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::1]/", "loopback"),
    ("http://localhost/admin", "local name"),
])
def test_unsafe_urls_are_refused_and_counted(url, why):
    mw, crawler = middleware()
    with pytest.raises(UnsafeRequest, match=why):
        mw.screen(Request(url))
    assert crawler.stats.get_value("newsmon/skipped/unsafe") == 1


def test_watch_may_allow_loopback_but_never_other_schemes():
    mw, _ = middleware(allow_private=True)
    assert mw.screen(Request("http://127.0.0.1:8000/")) is None
    with pytest.raises(UnsafeRequest):
        mw.screen(Request("file:///etc/passwd"))


def test_a_watch_may_allow_just_some_private_hosts():
    mw, crawler = middleware(private_hosts=["127.0.0.1:8000", "intranet.example"])
    assert mw.screen(Request("http://127.0.0.1:8000/page")) is None
    assert mw.screen(Request("http://intranet.example/page")) is None  # not even resolved
    for url in ("http://127.0.0.1:8001/", "http://169.254.169.254/latest/meta-data/", "http://localhost:8000/"):
        with pytest.raises(UnsafeRequest):
            mw.screen(Request(url))
    assert crawler.stats.get_value("newsmon/skipped/unsafe") == 3


def test_retry_after_reads_seconds_and_http_dates():
    from email.utils import format_datetime
    from datetime import datetime, timedelta, timezone

    assert retry_after_seconds(b"120") == 120
    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True).encode()
    assert 80 < retry_after_seconds(later) <= 90
    assert retry_after_seconds(b"Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past: now
    for junk in (None, b"", b"soon", b"-5", b"\xff\xfe"):
        assert retry_after_seconds(junk) is None


def test_a_redirect_to_no_web_address_is_refused_in_one_line_and_counted(caplog):
    from scrapy.http import HtmlResponse

    from crawler.middlewares import RedirectGuardMiddleware

    _guard, crawler = middleware()
    redirects = RedirectGuardMiddleware.from_crawler(crawler)
    request = Request("https://paper.example/moved")
    response = HtmlResponse(request.url, status=302, headers={"Location": "http://[x/"}, request=request)
    with caplog.at_level("WARNING"), pytest.raises(UnsafeRequest):
        redirects.process_response(request, response)
    assert crawler.stats.get_value("newsmon/skipped/bad-url") == 1
    (line,) = [r.getMessage() for r in caplog.records]
    assert "https://paper.example/moved" in line and "not a web address" in line
