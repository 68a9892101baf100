import pytest
import io
import os
import pty
import subprocess
import sys

from newsmon import progress
from newsmon.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_draws_on_a_terminal_and_stays_quiet_otherwise(monkeypatch):
    term = Terminal()
    with Progress("Exporting", total=10, stream=term, interval=0) as bar:
        for _ in range(3):
            bar.update(1)
        bar.echo("skipped x: not a JSON line")
    out = term.getvalue()
    assert "\rExporting  [#######" in out and "3/10  30%" in out and out.endswith("\n")
    assert "\nskipped x: not a JSON line\n" in out.replace("\r", "\n")
    piped = io.StringIO()
    with Progress("Exporting", total=10, stream=piped, interval=0) as bar:
        bar.update(5)
        bar.echo("skipped y")
    assert piped.getvalue() == "skipped y\n"  # messages still reach a log; the bar does not
    monkeypatch.setattr(progress, "VERBOSITY", -1)
    quiet = Terminal()
    with Progress("Exporting", total=10, stream=quiet, interval=0) as bar:
        bar.update(5)
    assert quiet.getvalue() == ""


def run_on_terminal(args, cwd):
    """Run ``newsmon ARGS`` with standard error on a pseudo-terminal; return (stdout, stderr)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "newsmon.cli", *args], stdout=subprocess.PIPE,
                            stderr=slave, cwd=cwd)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed: the command is done
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read()
    proc.wait(60)
    os.close(master)
    return out.decode(), b"".join(chunks).decode(errors="replace")


def run_piped(args, cwd):
    proc = subprocess.run([sys.executable, "-m", "newsmon.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)
    return proc.stdout, proc.stderr


def test_export_shows_progress_on_a_terminal_only(demo_crawl, tmp_path):
    repo = os.getcwd()
    args = ["export", str(tmp_path / "out.ndjson"), "--db", str(demo_crawl.db_path)]
    _, err = run_on_terminal(args, repo)
    assert "\rExporting stories  [" in err and "100%" in err
    _, err = run_piped(args, repo)
    assert "Exporting" not in err and "\r" not in err and "stories written to" in err
    _, err = run_on_terminal(["-q", *args], repo)
    assert err == ""


def local_watch(page_server, tmp_path, pages=6):
    url = page_server.url
    for i in range(pages):
        words = " ".join(f"word{i}x{j} officers raid town" for j in range(60))
        page_server.routes[f"/a/{i}"] = (200, {"Content-Type": "text/html"}, (
            f"<html lang='en'><head><title>Raid {i}</title><meta property='og:type' content='article'>"
            f"</head><body><article><h1>Raid {i}</h1><p>{words}.</p><p>{words}.</p></article></body></html>"
        ).encode())
    items = "".join(f"<item><link>{url}/a/{i}</link></item>" for i in range(pages))
    page_server.routes.update({"/robots.txt": (200, {}, b""),
                               "/feed": (200, {"Content-Type": "application/rss+xml"},
                                         f"<rss><channel>{items}</channel></rss>".encode())})
    watch = tmp_path / "watch.toml"
    watch.write_text(f'[crawl]\nallow_private_addresses = true\ndownload_delay = 0.0\nautothrottle = false\n'
                     f'[[outlet]]\nid = "local"\nhomepage = "{url}/"\nfeeds = ["{url}/feed"]\n'
                     f'domains = ["127.0.0.1"]\n')
    return watch


@pytest.mark.crawl
def test_crawl_progress_and_log_levels(page_server, tmp_path):
    watch = local_watch(page_server, tmp_path)
    out, err = run_on_terminal(["crawl", "--watch", str(watch), "--db", str(tmp_path / "a.db")], os.getcwd())
    assert "new stories stored:        6" in out
    # The counts reached the terminal from the crawl's child process as it went.
    assert "\rpages fetched  " in err and "requests " in err
    assert err.rstrip().split("\r")[-1].startswith("pages fetched  6  requests 8  stories 6  errors 0")
    assert " INFO " not in err
    out, err = run_piped(["-v", "crawl", "--watch", str(watch), "--db", str(tmp_path / "b.db")], os.getcwd())
    assert "new stories stored:        6" in out
    assert "INFO: Spider opened" in err or "Spider opened" in err  # Scrapy's own info lines, at -v
    assert "\r" not in err
