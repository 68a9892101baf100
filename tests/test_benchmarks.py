"""The benchmark scripts run by path (`python benchmarks/x.py`) and as modules alike."""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"


def test_benchmarks_import_each_other_through_the_package():
    # Run by path, a script's folder is not on sys.path (the `__package__` guard puts the
    # checkout there): a bare `import topic_train` works only by accident.
    siblings = {p.stem for p in BENCHMARKS.glob("*.py")} | {p.name for p in BENCHMARKS.iterdir() if p.is_dir()}
    bare = []
    for path in sorted(BENCHMARKS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            bare += [f"{path.relative_to(REPO)}:{node.lineno} {name}" for name in names
                     if name.split(".")[0] in siblings - {"benchmarks"}]
    assert not bare, bare


def test_no_benchmark_puts_its_own_folder_on_the_path():
    inserts = [str(p.relative_to(REPO)) for p in BENCHMARKS.rglob("*.py")
               if "sys.path.insert(0, str(Path(__file__).resolve().parent))" in p.read_text(encoding="utf-8")]
    assert not inserts, inserts


def test_the_same_story_pairs_we_read_again_are_labels_and_notes_only():
    # Committed: ids, our label and our note; no article text (that stays in the cache).
    import re

    from benchmarks.realdata.samestory_review import labels

    read = labels()
    assert len(read) >= 600
    for (a, b), (label, note) in read.items():
        assert re.fullmatch(r"allsides:\d+:\w+", a) and re.fullmatch(r"allsides:\d+:\w+", b) and a < b
        assert label in ("same", "not", "unsure")
        assert 0 < len(note.split()) <= 25
