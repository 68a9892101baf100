import pytest

from pipelines.decode import decode_html


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
