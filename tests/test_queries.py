from crawler.watch import load_watch
from pipelines.queries import gdelt, google_news, parse_query, show, source_queries
from pipelines.sources import source_row

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_queries_from_the_seed_source():
    row = source_row(load_watch(REPO / "data" / "watch.toml").sources[0])
    queries = source_queries(row["profile"], row["text"])
    assert queries[0] == ["MPs not border guards"]  # the campaign's name, quoted in the source
    assert len(queries) == 3 and all(2 <= len(q) <= 4 for q in queries[1:])
    assert "immigration" in queries[1] and "MPs" in queries[1]  # words as written, not lemmas
    assert all(len(part) > 2 for q in queries for part in q)


def test_queries_in_each_engines_syntax():
    parts = ["MPs not border guards", "hotline", "MP"]
    assert show(parts) == '"MPs not border guards" hotline MP'
    assert gdelt(parts) == '"MPs not border guards" hotline'  # GDELT refuses words under 3 letters
    assert google_news(parts, "2018-10-12", "2018-11-20") == \
        '"MPs not border guards" hotline MP after:2018-10-12 before:2018-11-20'


def test_a_watch_gives_its_own_queries(tmp_path):
    (tmp_path / "s.txt").write_text("A story.\n\nText of it.", encoding="utf-8")
    (tmp_path / "w.toml").write_text(
        '[crawl]\nsearch = ["gdelt"]\n[[source]]\nid = "s"\npath = "s.txt"\n'
        'queries = [\'"border guards" pledge\', "hotline  calls"]\n', encoding="utf-8")
    watch = load_watch(tmp_path / "w.toml")  # search and a source: enough to crawl
    assert watch.sources[0].queries == ('"border guards" pledge', "hotline calls")
    assert [parse_query(q) for q in watch.sources[0].queries] == [["border guards", "pledge"], ["hotline", "calls"]]
    assert parse_query('"unclosed phrase words') == ["unclosed", "phrase", "words"]
