import pytest

from crawler.watch import Source
from pipelines.sources import SourceError, read_source, source_row


def test_plain_text_source(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes("\ufeffCharities Tell MPs\n\nBody text.\n".encode("utf-8"))
    assert read_source(Source(id="s", path=path))["text"] == "Charities Tell MPs\n\nBody text."


def test_html_source_is_extracted_with_its_title_and_date(tmp_path):
    path = tmp_path / "s.html"
    paragraphs = "".join(f"<p>Paragraph {i} about MPs reporting constituents to the Home Office.</p>"
                         for i in range(10))
    path.write_text(f"<html><head><title>MPs asked to stop reporting constituents</title>"
                    f'<meta property="article:published_time" content="2018-10-12T09:00:00+01:00"></head>'
                    f"<body><nav>Home | News</nav><article><h1>MPs asked to stop reporting constituents</h1>"
                    f"{paragraphs}</article></body></html>")
    read = read_source(Source(id="s", path=path))
    assert "Paragraph 9 about MPs" in read["text"] and "Home | News" not in read["text"]
    row = source_row(Source(id="s", path=path))
    assert row["title"] == "MPs asked to stop reporting constituents"
    assert row["published"].startswith("2018-10-12")
    # What the watch says wins over what the page declares.
    assert source_row(Source(id="s", path=path, published="2018-10-13"))["published"] == "2018-10-13"


def test_a_source_with_an_address_knows_its_site(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("Charities Tell MPs\n\nBody text about the hotline.\n", encoding="utf-8")
    assert source_row(Source(id="s", path=path))["profile"]["site"] is None
    row = source_row(Source(id="s", path=path, url="https://www.example-news.test/2018/10/12/charities"))
    assert row["profile"]["site"] == "example-news.test"
    # No address: the outlet named is its site; an address wins over it.
    assert source_row(Source(id="s", path=path, outlet="Example News"))["profile"]["site"] == "example news"
    row = source_row(Source(id="s", path=path, url="https://example-news.test/a", outlet="Example News"))
    assert row["profile"]["site"] == "example-news.test"


def test_a_saved_page_gives_its_site_by_the_address_it_declares(tmp_path):
    path = tmp_path / "s.html"
    paragraphs = "".join(f"<p>Paragraph {i} about MPs reporting constituents to the Home Office.</p>"
                         for i in range(10))
    path.write_text('<html><head><title>MPs asked to stop</title>'
                    '<link rel="canonical" href="https://www.example-news.test/2018/10/12/mps"></head>'
                    f"<body><article><h1>MPs asked to stop</h1>{paragraphs}</article></body></html>")
    assert source_row(Source(id="s", path=path))["profile"]["site"] == "example-news.test"


def test_legacy_encodings_are_decoded(tmp_path):
    text = tmp_path / "s.txt"
    text.write_bytes("Café owners said \u201cno\u201d to the £30m plan.\n".encode("cp1252"))
    assert read_source(Source(id="s", path=text))["text"] == "Café owners said \u201cno\u201d to the £30m plan."
    page = tmp_path / "s.html"
    body = "".join(f"<p>The café owners said the £30m plan \u2013 the {i}th this year \u2013 was dead.</p>"
                   for i in range(8))
    page.write_bytes(f"<html><body><article>{body}</article></body></html>".encode("cp1252"))
    got = read_source(Source(id="s", path=page))["text"]
    assert "café owners said the £30m plan – the 3th" in got and "\ufffd" not in got


def test_unreadable_sources(tmp_path):
    with pytest.raises(SourceError, match="cannot read source"):
        read_source(Source(id="s", path=tmp_path / "missing.txt"))
    empty = tmp_path / "e.html"
    empty.write_text("<html><body></body></html>")
    with pytest.raises(SourceError, match="no article text"):
        read_source(Source(id="s", path=empty))
    nothing = tmp_path / "n.txt"
    nothing.write_bytes(b"  \n")
    with pytest.raises(SourceError, match="empty file"):
        read_source(Source(id="s", path=nothing))
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 20)
    with pytest.raises(SourceError, match="not a text or HTML file"):
        read_source(Source(id="s", path=binary))
    with pytest.raises(SourceError, match="is a folder"):
        read_source(Source(id="s", path=tmp_path))


def test_a_saved_opinion_page_is_a_source_that_says_so(tmp_path):
    paragraphs = "".join(f"<p>Paragraph {i}: why MPs should keep reporting constituents to the Home Office.</p>"
                         for i in range(10))
    for section, opinion in (("Opinion", True), ("Politics", False)):
        path = tmp_path / f"{section}.html"
        path.write_text(f'<html><head><title>MPs must not walk away</title><meta property="article:section" '
                        f'content="{section}"></head><body><article><h1>MPs must not walk away</h1>{paragraphs}'
                        f"</article></body></html>")
        assert source_row(Source(id="s", path=path))["profile"]["opinion"] is opinion
    text = tmp_path / "s.txt"
    text.write_text("MPs must not walk away\n\nBody text.\n", encoding="utf-8")
    assert source_row(Source(id="s", path=text, url="https://example-news.test/comment/2018/10/14/mps"))[
        "profile"]["opinion"] is True
