"""The README documents every command, table, view and newsmon setting, and CI runs its test command."""

import re
from pathlib import Path

from crawler import settings
from newsmon.cli import cli
from pipelines.archive import Archive

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented():
    for name in cli.commands:
        assert f"`newsmon {name}" in README, name


def test_every_table_and_view_is_documented(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        tables = [t for t in archive.db.table_names()
                  if not t.startswith("_") and not re.match(r"stories_fts_", t)]
        views = archive.db.view_names()
    for name in tables + views:
        assert f"`{name}`" in README, name


def test_every_newsmon_setting_is_documented():
    for name in dir(settings):
        if name.startswith("NEWSMON_"):
            assert f"`{name}`" in README, name


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.strip().splitlines()[-1]
    assert "pytest" in command
    assert f"\n{command}\n" in README


def test_watch_overridable_keys_are_documented():
    for key in settings.WATCH_OVERRIDABLE:
        assert key in README, key
