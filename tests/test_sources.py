import pytest

from crawler.watch import Source
from pipelines.sources import SourceError, read_source


def test_plain_text_source(tmp_path):
    path = tmp_path / "s.txt"
    path.write_bytes("\ufeffCharities Tell MPs\n\nBody text.\n".encode("utf-8"))
    assert read_source(Source(id="s", path=path)) == "Charities Tell MPs\n\nBody text."


def test_html_source_is_extracted(tmp_path):
    path = tmp_path / "s.html"
    paragraphs = "".join(f"<p>Paragraph {i} about MPs reporting constituents to the Home Office.</p>"
                         for i in range(10))
    path.write_text(f"<html><body><nav>Home | News</nav><article>{paragraphs}</article></body></html>")
    text = read_source(Source(id="s", path=path))
    assert "Paragraph 9 about MPs" in text and "Home | News" not in text


def test_unreadable_sources(tmp_path):
    with pytest.raises(SourceError, match="cannot read source"):
        read_source(Source(id="s", path=tmp_path / "missing.txt"))
    empty = tmp_path / "e.html"
    empty.write_text("<html><body></body></html>")
    with pytest.raises(SourceError, match="no article text"):
        read_source(Source(id="s", path=empty))
