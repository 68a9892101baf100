"""The README is a front door that stays true; docs/ documents every command, table, view
and setting (docs/settings.md is made from crawler/settings.py); CI runs the README's test
command."""

import re
import shlex
from pathlib import Path

import click

from crawler import settings
from crawler.config import names, reference
from newsmon.cli import cli
from pipelines.archive import Archive

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "docs").glob("*.md")}


def test_the_readme_is_a_front_door():
    assert len(README.encode("utf-8")) < 12 * 1024
    for target in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (REPO / target).is_file(), target


def test_every_command_the_readme_lists_runs():
    """Each `newsmon ...` line or table cell of the README names a command and options it has."""
    code = "\n".join(re.findall(r"(?s)```\n(.*?)```", README))
    lines = re.findall(r"(?m)^(newsmon [^#\n]*?)\s*(?:#.*)?$", code)
    lines += [c for cell in re.findall(r"\| `(newsmon [^`]+)`", README) for c in [cell]]
    assert len(lines) > 15
    for line in lines:
        words = [w for w in shlex.split(line.replace("\\|", "|")) if w not in ("/",)]
        words = [w for w in words if not re.fullmatch(r"[A-Z][A-Z.]*|\[.*|.*\]|\.\.\.|[A-Z]+\.\.\.", w)]
        with click.Context(cli) as ctx:
            command = cli
            args = words[1:]
            while isinstance(command, click.Group) and args and args[0] in command.commands:
                command, args = command.commands[args[0]], args[1:]
            assert command is not cli, line
            options = {o for p in command.params for o in getattr(p, "opts", [])}
            for arg in args:
                if arg.startswith("-"):
                    assert arg.split("=")[0] in options, (line, arg)
            del ctx


def test_every_command_is_documented():
    def walk(group, prefix="newsmon"):
        for name, command in group.commands.items():
            yield f"{prefix} {name}"
            if isinstance(command, click.Group):
                yield from walk(command, f"{prefix} {name}")
    doc = DOCS["commands.md"]
    for name in walk(cli):
        group, _, sub = name.rpartition(" ")
        # "`newsmon alerts send\|test\|list`" documents all three
        assert f"`{name}" in doc or any(f"`{group} " in line and sub in line for line in doc.splitlines()), name


def test_every_table_and_view_is_documented(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        tables = [t for t in archive.db.table_names()
                  if not t.startswith("_") and not re.match(r"stories_fts_", t)]
        views = archive.db.view_names()
    for name in tables + views:
        assert f"`{name}`" in DOCS["archive.md"], name


def test_the_settings_reference_is_made_from_the_settings_themselves():
    assert DOCS["settings.md"] == reference(), "run: python -m crawler.config > docs/settings.md"
    for name in names():
        assert f"`{name}`" in DOCS["settings.md"], name
    for key in settings.WATCH_OVERRIDABLE:
        assert f"`{key}`" in DOCS["settings.md"], key


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = ci.strip().splitlines()[-1]
    assert "pytest" in command
    assert f"\n{command}\n" in README
