"""Real third-party data that measures newsmon's judging stages.

Nothing fetched here is committed. Every corpus comes from a public repository at a
pinned commit, into a git-ignored cache; the repository holds only the scripts, the ids
of what is used, our labels and notes.

- cache: ``$NEWSMON_REALDATA_CACHE``, else ``data/cache/realdata`` in this checkout;
- where: a local snapshot of the repository when there is one (``$NEWSMON_MIRRORS/
  owner+name/repo``, a bare git directory), else GitHub over HTTPS (a machine with
  network) at the same commit.

    from benchmarks.realdata import fetch_file, fetch_tree
    path = fetch_file("adbar/trafilatura", COMMIT, "tests/evaldata.json")
    root = fetch_tree("adbar/trafilatura", COMMIT, "tests/cache")  # a folder of files
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def cache_root() -> Path:
    return Path(os.environ.get("NEWSMON_REALDATA_CACHE") or REPO / "data" / "cache" / "realdata")


def _mirror(repo: str) -> Path | None:
    base = Path(os.environ.get("NEWSMON_MIRRORS", "/work/.mirror"))
    git_dir = base / repo.replace("/", "+") / "repo"
    return git_dir if git_dir.is_dir() else None


def _where(repo: str, commit: str) -> Path:
    return cache_root() / repo.replace("/", "+") / commit


def fetch_file(repo: str, commit: str, path: str) -> Path:
    """One file of ``repo`` at ``commit``, cached; its local path."""
    target = _where(repo, commit) / path
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    mirror = _mirror(repo)
    if mirror is not None:
        data = subprocess.run(["git", "--git-dir", str(mirror), "cat-file", "blob", f"{commit}:{path}"],
                              check=True, capture_output=True).stdout
    else:
        url = f"https://raw.githubusercontent.com/{repo}/{commit}/{path}"
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (a fixed https URL)
            data = response.read()
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    partial.replace(target)
    return target


def fetch_tree(repo: str, commit: str, under: str) -> Path:
    """Every file under the folder ``under`` of ``repo`` at ``commit``, cached; the folder's local path."""
    root = _where(repo, commit)
    done = root / ".done" / (under.strip("/").replace("/", "+") or "_all")
    if done.exists():
        return root / under
    root.mkdir(parents=True, exist_ok=True)
    mirror = _mirror(repo)
    if mirror is not None:
        data = subprocess.run(["git", "--git-dir", str(mirror), "archive", "--format=tar", commit, "--", under],
                              check=True, capture_output=True).stdout
        prefix = ""
    else:
        url = f"https://codeload.github.com/{repo}/tar.gz/{commit}"
        with urllib.request.urlopen(url, timeout=600) as response:  # noqa: S310
            data = response.read()
        prefix = None  # GitHub's tarballs put everything under one top folder
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            name = member.name
            if prefix is None:
                name = name.split("/", 1)[1] if "/" in name else ""
            if not member.isfile() or not (name == under or name.startswith(under.rstrip("/") + "/")):
                continue
            out = root / name
            out.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)
    done.parent.mkdir(parents=True, exist_ok=True)
    done.touch()
    return root / under
