import pytest

from pipelines.fetch import FetchError, decode_html, fetch_page, read_page


@pytest.mark.parametrize("body, content_type, expected", [
    ("Caf\u00e9".encode("utf-8"), "text/html; charset=utf-8", "Caf\u00e9"),
    ("Caf\u00e9".encode("cp1252"), "text/html; charset=windows-1252", "Caf\u00e9"),
    (b'<meta charset="iso-8859-1">Caf\xe9', None, "Caf\u00e9"),
    (b"\xef\xbb\xbfCaf\xc3\xa9", "text/html; charset=latin-1", "Caf\u00e9"),  # a BOM beats the header
])
def test_decoding_follows_bom_header_then_meta(body, content_type, expected):
    assert expected in decode_html(body, content_type)


@pytest.mark.parametrize("text, encoding, content_type", [
    ("\u201cna\u00efve\u201d \u2013 \u00a35", "cp1252", "text/html"),  # no charset anywhere
    ("Jos\u00e9 N\u00fa\u00f1ez", "latin-1", "text/html; charset=utf-8"),  # the header lies
    ("Jos\u00e9 N\u00fa\u00f1ez", "utf-8", "text/html; charset=iso-8859-1"),  # a default label lies
    ("\u6771\u4eac\u90fd\u306e\u56f3\u66f8\u9928", "shift_jis", "text/html"),  # meta only, below
])
def test_what_the_bytes_prove_beats_a_lying_or_missing_label(text, encoding, content_type):
    body = text.encode(encoding)
    if encoding == "shift_jis":
        body = b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">' + body
    decoded = decode_html(body, content_type)
    assert text in decoded and "\ufffd" not in decoded


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
