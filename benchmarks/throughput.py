"""Throughput of the whole pipeline against the extraction floor, side by side in one run.

Builds a synthetic news web (``synthweb``: N article pages of 30-120 KB in five template
families over 8 outlets, each outlet with an RSS feed and a sitemap index) and serves it
from memory by a minimal asyncio server in a process of its own, one loopback address per
outlet (127.0.0.1 ... 127.0.0.8), so each outlet is its own host as on the real web. Then
measures, on the same pages:

- the extraction floor: trafilatura alone, with the arguments newsmon's clean stage passes
  it, on the pages from memory, in 1 process and in one process per core;
- trafilatura's own command-line crawler on the same pages (the peer a user would pick;
  its per-host sleep is set to 0 and its SSRF guard off, for 127.0.0.x only; given the
  sitemaps' URLs as its input list, since its sitemap discovery refuses IP-address hosts);
- newsmon's full pipeline: `newsmon crawl` of a watch with the 8 outlets' feeds and
  sitemaps, the default topic and source (crawl, clean, relevance, dedup, compare, store),
  politeness lifted for these loopback hosts only.

For each: pages, wall seconds, pages per second, the ratio to the per-core floor, CPU
seconds and peak memory of all its processes together (sum of PSS, sampled from /proc
every 0.25 s: shared pages of forked workers counted once). Ends with one JSON line.

    python benchmarks/throughput.py --pages 2000
    python benchmarks/throughput.py --pages 2000,10000    # scaling, side by side
    python benchmarks/throughput.py --pages 2000 --repeat 3   # medians of 3 interleaved runs
    python benchmarks/throughput.py --pages 300 --measure floor_cores,newsmon   # a quick look
    python benchmarks/throughput.py --pages 2000 --measure newsmon --baseline auto --repeat 3
                                        # this checkout beside today's code (where it left main)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

import synthweb  # noqa: E402

CORES = os.cpu_count() or 1
TICK = os.sysconf("SC_CLK_TCK")


# --- measuring a process tree from /proc ---------------------------------------------------------

def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                out.extend(int(c) for c in handle.read().split())
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(_children(p))
    return seen


def _cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    except (OSError, IndexError, ValueError):
        return None


def _pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _role(pid: int, root: int) -> str:
    """What a process of a newsmon crawl is, for the CPU breakdown."""
    if pid == root:
        return "command"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
        with open(f"/proc/{pid}/stat") as handle:
            parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        with open(f"/proc/{parent}/cmdline", "rb") as handle:
            parent_cmdline = handle.read().decode(errors="replace")
    except (OSError, ValueError, IndexError):
        return "other"
    if "forkserver" in cmdline:
        return "workers (clean, label, compare)" if "forkserver" in parent_cmdline else "forkserver"
    if "resource_tracker" in cmdline:
        return "other"
    if "spawn_main" in cmdline:
        return "crawl (Scrapy, store)"
    return "other"


class TreeMonitor:
    """Peak memory (sum of PSS) and CPU seconds of a process and all its descendants.
    CPU is the last reading of each process: one that ends between samples loses at most
    0.25 s of its CPU."""

    def __init__(self, pid: int, interval: float = 0.25):
        self.pid, self.interval = pid, interval
        self.cpu: dict[int, float] = {}
        self.roles: dict[int, str] = {}
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self):
        total = 0.0
        for p in _tree(self.pid):
            if p not in self.roles:
                self.roles[p] = _role(p, self.pid)
            cpu = _cpu_seconds(p)
            if cpu is not None:
                self.cpu[p] = max(self.cpu.get(p, 0.0), cpu)
            total += _pss_mb(p)
        self.peak_mb = max(self.peak_mb, total)

    def by_role(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for p, cpu in self.cpu.items():
            out[self.roles.get(p, "other")] = out.get(self.roles.get(p, "other"), 0.0) + cpu
        return {k: round(v, 1) for k, v in sorted(out.items())}

    def stop(self) -> tuple[float, float]:
        self.sample()
        self._stop.set()
        self._thread.join()
        return sum(self.cpu.values()), self.peak_mb


def run_measured(cmd: list[str], cwd=None, env=None) -> dict:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    monitor = TreeMonitor(proc.pid)
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    cpu, peak = monitor.stop()
    roles = monitor.by_role()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed ({proc.returncode}): {err.strip()[-800:]}")
    return {"wall": wall, "cpu": cpu, "peak_mb": peak, "stdout": out, "stderr": err, "cpu_by_role": roles}


# --- a light server ---------------------------------------------------------------------------------

def _serve_fast(site, hosts: list[str], conn):
    """Serve ``site`` on each host (port chosen by the system) from this process: a minimal
    HTTP/1.1 keep-alive server on asyncio, answering GET and HEAD from pre-built bytes
    (gzip when asked), so that serving costs the crawlers under test next to nothing and
    competes with them for no lock. Sends back the base URLs, then serves until killed."""
    import asyncio
    from email.utils import formatdate

    not_found = b"<!DOCTYPE html><title>Not found</title>"

    class Http(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport, self.buffer = transport, b""

        def data_received(self, data):
            self.buffer += data
            while b"\r\n\r\n" in self.buffer:
                head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
                self.respond(head.decode("latin-1"))

        def respond(self, head: str):
            lines = head.split("\r\n")
            method, target = (lines[0].split(" ") + ["", ""])[:2]
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
            path = target.split("?", 1)[0]
            res = site.lookup(path, "http://" + headers.get("host", ""))
            status, ctype, body, extra = "404 Not Found", "text/html", not_found, ""
            if res is not None:
                status, ctype, body = "200 OK", res.content_type, res.body
                extra = f"ETag: {res.etag}\r\nLast-Modified: {res.modified}\r\n"
                if headers.get("if-none-match") == res.etag:
                    status, body = "304 Not Modified", b""
                elif "gzip" in headers.get("accept-encoding", ""):
                    body, extra = res.gz, extra + "Content-Encoding: gzip\r\n"
            out = (f"HTTP/1.1 {status}\r\nDate: {formatdate(usegmt=True)}\r\nContent-Type: {ctype}\r\n"
                   f"Content-Length: {len(body)}\r\n{extra}\r\n").encode("latin-1")
            self.transport.write(out if method == "HEAD" else out + body)
            if headers.get("connection", "").lower() == "close":
                self.transport.close()

    async def main():
        servers = [await asyncio.get_running_loop().create_server(Http, host, 0, backlog=512) for host in hosts]
        bases = [f"http://{host}:{srv.sockets[0].getsockname()[1]}" for host, srv in zip(hosts, servers)]
        for base in bases:
            site.lookup("/robots.txt", base)  # listings rendered for each origin before the first request
        conn.send(bases)
        await asyncio.Event().wait()

    asyncio.run(main())


def serve_fast(site, hosts: list[str]):
    """(process, base URLs): ``site`` served on each host by a forked process of its own."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_serve_fast, args=(site, hosts, child), daemon=True)
    process.start()
    return process, parent.recv()


# --- the extraction floor ------------------------------------------------------------------------

PAGES: list[tuple[str, str]] = []  # (url, html), inherited by forked floor workers


def _extract(i: int) -> int:
    import trafilatura

    url, html = PAGES[i]
    # The arguments pipelines.clean.clean_page passes trafilatura.
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True, deduplicate=False,
        date_extraction_params={"original_date": True, "extensive_search": True, "max_date": "2026-12-31"})
    return 1 if doc is not None and doc.text else 0


def floor(processes: int) -> dict:
    """trafilatura on every page from memory, in a forked child (so it is measured alone)."""
    def body(conn):
        _extract(0)  # trafilatura imported and warm before the clock starts
        started = time.perf_counter()
        if processes == 1:
            done = sum(_extract(i) for i in range(len(PAGES)))
        else:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                done = sum(pool.imap_unordered(_extract, range(len(PAGES)), chunksize=4))
        conn.send((done, time.perf_counter() - started))

    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=body, args=(child,))
    proc.start()
    monitor = TreeMonitor(proc.pid)
    done, wall = parent.recv()
    proc.join()
    cpu, peak = monitor.stop()
    return {"pages": done, "wall": wall, "cpu": cpu, "peak_mb": peak}


# --- trafilatura's crawler -----------------------------------------------------------------------

def trafilatura_crawler(site, bases: list[str], workdir: Path) -> dict:
    # Its --sitemap discovery refuses hosts that are IP addresses (courlan's URL check; on
    # 127.0.0.x it loops on the sitemap), so it gets the URLs the sitemaps list, as an input
    # list: its download-and-extract mode, which --sitemap feeds in the same way.
    inputs = workdir / "urls.txt"
    inputs.write_text("".join(f"{base}{a.path}\n" for o, base in zip(site.outlets, bases)
                              for a in site.by_outlet[o.id]))
    config = workdir / "trafilatura.cfg"
    default = Path(__import__("trafilatura").__file__).parent / "settings.cfg"
    text = default.read_text()
    for key, value in (("SLEEP_TIME", "0"), ("SSRF_PROTECTION", "off"), ("EXTRACTION_TIMEOUT", "0")):
        text = "\n".join(f"{key} = {value}" if line.startswith(f"{key} =") else line for line in text.splitlines())
    config.write_text(text + "\n")
    out = workdir / "trafilatura-out"
    cli = shutil.which("trafilatura", path=str(Path(sys.executable).parent)) or "trafilatura"
    result = run_measured([cli, "-i", str(inputs), "-o", str(out), "--config-file", str(config),
                           "--parallel", str(CORES * 2), "--precision", "--no-comments", "--no-tables",
                           "--with-metadata", "--json"])
    result["pages"] = len(list(out.rglob("*.json"))) if out.exists() else 0  # in numbered folders past 1,000
    return result


# --- newsmon --------------------------------------------------------------------------------------

def _toml_value(value) -> str:
    return json.dumps(value)  # strings, numbers and booleans are spelled alike in TOML and JSON


def newsmon_watch(site, bases: list[str], workdir: Path, keep_all: bool, workers: int = 0) -> Path:
    default = tomllib.loads((REPO / "data" / "watch.toml").read_text(encoding="utf-8"))
    lines = ['[watch]', 'name = "throughput"', '',
             # Politeness lifted for these loopback hosts only; real watches keep the defaults.
             '[crawl]', 'allow_private_addresses = true', 'download_delay = 0.0', 'autothrottle = false',
             'concurrent_requests_per_domain = 8', 'concurrent_requests = 32',
             f'max_articles_per_outlet = {len(site.articles) + 1}', f'keep_unrelated = {str(keep_all).lower()}',
             f'workers = {workers}', '',
             '[topic]', f'name = {_toml_value(default["topic"]["name"])}', '[topic.terms]']
    lines += [f"{_toml_value(term)} = {weight}" for term, weight in default["topic"]["terms"].items()]
    source = default["source"][0]
    lines += ['', '[[source]]', f'id = {_toml_value(source["id"])}',
              f'path = {_toml_value(str((REPO / "data" / source["path"]).resolve()))}',
              f'published = {_toml_value(source["published"])}']
    for outlet, base in zip(site.outlets, bases):
        host = base.split("//", 1)[1].split(":")[0]
        lines += ['', '[[outlet]]', f'id = "{outlet.id}"', f'name = {_toml_value(outlet.name)}',
                  f'homepage = "{base}/{outlet.id}/"', f'domains = ["{host}"]',
                  f'feeds = ["{base}/{outlet.id}/feed.xml"]', f'sitemaps = ["{base}/{outlet.id}/sitemap.xml"]']
    path = workdir / "watch.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def newsmon(site, bases: list[str], workdir: Path, keep_all: bool, workers: int = 0, code: Path = REPO) -> dict:
    watch = newsmon_watch(site, bases, workdir, keep_all, workers)
    db = workdir / "archive.db"
    # `python -m` puts the working folder first on the path: the code run is ``code``'s.
    result = run_measured([sys.executable, "-m", "newsmon.cli", "-q", "crawl", "--watch", str(watch),
                           "--db", str(db), "--timeout", "7200"], cwd=code)
    import sqlite3
    conn = sqlite3.connect(db)
    row = conn.execute("select stats from crawl_runs order by id desc limit 1").fetchone()
    stats = json.loads(row[0] or "{}")
    result["pages"] = stats.get("newsmon/pages", 0)
    result["stored"] = conn.execute("select count(*) from stories").fetchone()[0]
    result["requests"] = stats.get("downloader/request_count", 0)
    result["errors"] = {k: v for k, v in stats.items() if k.startswith("newsmon/errors/")}
    result["dropped"] = {k.split("/", 2)[2]: v for k, v in stats.items() if k.startswith("newsmon/dropped/")}
    conn.close()
    return result


# --- the run --------------------------------------------------------------------------------------

def measure(n: int, args) -> dict:
    global PAGES
    started = time.perf_counter()
    site = synthweb.build_site(n, seed=args.seed)
    print(f"\n{n} pages built in {time.perf_counter() - started:.1f}s "
          f"({sum(len(site.files[a.path].body) for a in site.articles) / n / 1024:.0f} KB mean)", flush=True)
    server, bases = serve_fast(site, [f"127.0.0.{i + 1}" for i in range(len(site.outlets))])
    PAGES = site.pages_in_memory()
    rows = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            runs = {"floor_1": lambda: floor(1), "floor_cores": lambda: floor(CORES),
                    "trafilatura_crawler": lambda: trafilatura_crawler(site, bases, workdir),
                    "newsmon": lambda: newsmon(site, bases, workdir, args.keep_all, args.workers)}
            if args.baseline_code:
                runs["newsmon_today"] = lambda: newsmon(site, bases, workdir, args.keep_all, args.workers,
                                                        args.baseline_code)
                args.measure += ",newsmon_today"
            wanted = [name for name in runs if name in args.measure]
            trials: dict[str, list] = {name: [] for name in wanted}
            # Repeats are interleaved (floor, peer, newsmon, floor, ...) so that a slow spell
            # of the machine touches every measurement alike; the median run of each is kept.
            for trial in range(args.repeat):
                for name in wanted:
                    for leftover in ("trafilatura-out", "archive.db", "archive.db-wal", "archive.db-shm"):
                        path = workdir / leftover
                        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
                    row = runs[name]()
                    trials[name].append(row)
                    print(f"  [{trial + 1}/{args.repeat}] {NAMES[name]}: {row['pages']} pages, "
                          f"{row['pages'] / row['wall']:.1f} pages/s", flush=True)
            for name, rows_ in trials.items():
                rows_.sort(key=lambda r: r["pages"] / r["wall"])
                rows[name] = rows_[len(rows_) // 2]
    finally:
        server.kill()
        server.join()
        PAGES = []
    floor_pps = rows["floor_cores"]["pages"] / rows["floor_cores"]["wall"] if "floor_cores" in rows else 0.0
    out = {}
    for name, row in rows.items():
        pps = row["pages"] / row["wall"] if row["wall"] else 0.0
        out[name] = {"pages": row["pages"], "wall_s": round(row["wall"], 2), "pages_per_s": round(pps, 2),
                     "ratio_to_floor_per_core": round(pps / floor_pps, 3) if floor_pps else None,
                     "cpu_s": round(row["cpu"], 1),
                     "cpu_ms_per_page": round(row["cpu"] / max(row["pages"], 1) * 1000, 1),
                     "peak_mb": round(row["peak_mb"], 1)}
        for extra in ("stored", "requests", "errors", "dropped", "cpu_by_role"):
            if extra in row:
                out[name][extra] = row[extra]
    return out


NAMES = {"floor_1": "extraction floor, 1 process", "floor_cores": f"extraction floor, {CORES} processes",
         "trafilatura_crawler": "trafilatura crawler (CLI)", "newsmon": "newsmon full pipeline",
         "newsmon_today": "newsmon, today's code"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", default="2000", help="N, or several: 2000,10000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--measure", default="floor_1,floor_cores,trafilatura_crawler,newsmon",
                        help="which of floor_1, floor_cores, trafilatura_crawler, newsmon to run")
    parser.add_argument("--workers", type=int, default=0, help="newsmon's worker processes (0: one per core)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (interleaved); the median is kept")
    parser.add_argument("--keep-all", action="store_true",
                        help="store unrelated pages too (every page through dedup and the archive)")
    parser.add_argument("--baseline", help="also run newsmon at this git ref ('auto': where this branch left "
                                               "main), interleaved with this checkout's")
    args = parser.parse_args()
    args.baseline_code = None
    if args.baseline:
        from baseline import default_ref, tree

        args.baseline_code = tree(default_ref() if args.baseline == "auto" else args.baseline)
    sizes = [int(n) for n in args.pages.split(",")]
    results = {n: measure(n, args) for n in sizes}
    print(f"\n{CORES} cores; ratio = pages per second / the {CORES}-process extraction floor's")
    header = f"{'':34} {'pages':>6} {'wall s':>7} {'pages/s':>8} {'ratio':>6} {'CPU s':>7} {'CPU ms/pg':>9} {'peak MB':>8}"
    for n, rows in results.items():
        print(f"\nN = {n}\n{header}")
        for name, row in rows.items():
            ratio = row["ratio_to_floor_per_core"]
            print(f"{NAMES[name]:34} {row['pages']:>6} {row['wall_s']:>7.1f} {row['pages_per_s']:>8.1f} "
                  f"{ratio if ratio is not None else float('nan'):>6.2f} {row['cpu_s']:>7.1f} {row['cpu_ms_per_page']:>9.1f} "
                  f"{row['peak_mb']:>8.0f}")
        if "newsmon_today" in rows and "newsmon" in rows:
            print(f"  CPU ms per page, this checkout / today's code: "
                  f"{rows['newsmon']['cpu_ms_per_page'] / rows['newsmon_today']['cpu_ms_per_page']:.3f}")
        if "newsmon" in rows:
            nm = rows["newsmon"]
            print(f"  newsmon: {nm.get('stored')} stories stored, {nm.get('requests')} requests, "
                  f"errors {nm.get('errors') or 0}, dropped {nm.get('dropped')}")
            print("  newsmon CPU ms per page by process: " + ", ".join(
                f"{role} {cpu / max(nm['pages'], 1) * 1000:.1f}" for role, cpu in nm["cpu_by_role"].items()))
    if len(sizes) > 1:
        a, b = results[sizes[0]]["newsmon"], results[sizes[-1]]["newsmon"]
        print(f"\nnewsmon at N = {sizes[-1]} against N = {sizes[0]}: pages/s x{b['pages_per_s'] / a['pages_per_s']:.3f}, "
              f"peak memory x{b['peak_mb'] / a['peak_mb']:.3f}")
    print(json.dumps({"cores": CORES, "results": {str(n): r for n, r in results.items()}}))


if __name__ == "__main__":
    main()
