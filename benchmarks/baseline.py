"""Today's code beside this checkout's: a git ref's application code unpacked once into a
temporary folder, so a benchmark can run both in one sitting (the same machine, the same
load) and print them side by side.

    from benchmarks.baseline import tree, default_ref
    old = tree(default_ref())   # run `python -m newsmon.cli ...` with cwd=old, or put old first on sys.path
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PARTS = ("pipelines", "newsmon", "crawler", "data", "scheduler.py", "benchmarks")


def default_ref() -> str:
    """Where this branch left main (today's code), else HEAD."""
    found = subprocess.run(["git", "-C", str(REPO), "merge-base", "HEAD", "main"], capture_output=True, text=True)
    return found.stdout.strip() or "HEAD"


def tree(ref: str) -> Path:
    """The application code at ``ref``, unpacked once (kept for later runs)."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", f"{ref}^{{commit}}"],
                            capture_output=True, text=True)
    if commit.returncode:
        raise SystemExit(f"baseline: {ref!r} is not a commit of this repository")
    commit = commit.stdout.strip()
    where = Path(tempfile.gettempdir()) / f"newsmon-baseline-{commit[:12]}"
    if not (where / ".done").exists():
        listed = subprocess.run(["git", "-C", str(REPO), "ls-tree", "--name-only", commit], check=True,
                                capture_output=True, text=True).stdout.split()
        data = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit,
                               *[p for p in PARTS if p in listed]], check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(where, filter="data")
        (where / ".done").touch()
    return where
