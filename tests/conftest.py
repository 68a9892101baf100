"""Shared fixtures: the demo web served from 127.0.0.1, and one real crawl of it.

The demo crawl is the costly part (two real Scrapy crawls in child processes), so it
runs once per session and the tests that read its archive share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from crawler.run import crawl_in_child
from crawler.watch import load_watch
from newsmon.web.demo import DemoWeb
from newsmon.web.server import PageWeb

REPO = Path(__file__).resolve().parent.parent
SOURCE_TEXT = REPO / "data" / "sources" / "mps-not-border-guards.txt"
DEMO_SOURCE = "frontier-report/charities-tell-mps-stop-reporting-immigration-crime"


@pytest.fixture(scope="session")
def demo_web():
    web = DemoWeb()
    with web:
        yield web


@dataclass
class DemoCrawl:
    web: DemoWeb
    db_path: Path
    first: dict
    second: dict
    requests: list  # (outlet, path) of every request the two crawls made
    requests_second: list  # those of the second crawl alone


@pytest.fixture(scope="session")
def demo_crawl(demo_web, tmp_path_factory):
    """The demo web crawled twice into one archive; the second time in edition 2."""
    db_path = tmp_path_factory.mktemp("demo") / "archive.db"
    watch = demo_web.watch(source_path=SOURCE_TEXT, source_ref=DEMO_SOURCE,
                           topic=load_watch(REPO / "data" / "watch.toml").topic)
    demo_web.edition = 1
    demo_web.requests.clear()
    first = crawl_in_child(watch, db_path, job="test-1", timeout=240)
    before_second = len(demo_web.requests)
    demo_web.edition = 2
    try:
        second = crawl_in_child(watch, db_path, job="test-2", timeout=240)
    finally:
        demo_web.edition = 1
    return DemoCrawl(demo_web, db_path, first, second, list(demo_web.requests),
                     list(demo_web.requests[before_second:]))


@pytest.fixture
def page_server():
    """A real HTTP server on 127.0.0.1:<free port>; tests set .routes[path] = (status, headers, bytes)
    or a function of the request returning one."""
    with PageWeb() as web:
        yield web


# Tests that run a real crawl (Scrapy in a child process) are marked ``crawl``: those using
# the demo web or its crawl are marked here, the others where they are written. The fast
# layer is ``pytest -m "not crawl"``; the README's command runs everything.
CRAWLING_FIXTURES = {"demo_crawl", "demo_web", "fault_crawl"}


def pytest_collection_modifyitems(items):
    for item in items:
        if CRAWLING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.crawl)


@pytest.fixture
def small_disk(tmp_path):
    """A real, small filesystem (a tmpfs of a size the test sets with ``resize``), to fill
    up; skipped where filesystems cannot be mounted (not root, or no CAP_SYS_ADMIN)."""
    import os
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small filesystem here (needs root)")

    class Disk:
        path = mount

        @staticmethod
        def resize(size: str):
            subprocess.run(["mount", "-o", f"remount,size={size}", str(mount)], check=True)

        @staticmethod
        def fill(leave_kb: int):
            """Take all but ``leave_kb`` KB of the free space."""
            stat = os.statvfs(mount)
            free_kb = stat.f_bavail * stat.f_frsize // 1024
            with open(mount / "filler", "wb") as handle:
                handle.write(b"\0" * max(0, free_kb - leave_kb) * 1024)

    try:
        yield Disk
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)
