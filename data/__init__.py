"""newsmon's packaged inputs: the default watch and its source article, the framing lexicon
and the demo news web. Code reads them through ``importlib.resources`` (``path``), so a
wheel works as a clone does; the folder stays ``data/`` at the top of the project."""

from importlib.resources import files
from pathlib import Path


def path(*parts: str) -> Path:
    """A packaged file or folder (a real path: wheels install unzipped)."""
    return Path(str(files(__name__).joinpath(*parts)))
