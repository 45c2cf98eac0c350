"""Parse cache: parsed reports, keyed by (file hash, parser digest), as pickles of our own
(reading 10,000 of them back is several times faster than JSON).

Editing any parser module changes the digest, so stale entries are never read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from functools import cache
from pathlib import Path

from nianbao.model import Report
from nianbao.write import write_new

_PARSER_FILES = ("model.py", "load.py", "check.py", "htmltext.py", "pdftext.py", "docxtext.py", "parse")


@cache
def parser_digest() -> str:
    """A digest of the parser's own source code."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for name in _PARSER_FILES:
        path = root / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            h.update(file.name.encode())
            h.update(file.read_bytes())
    return h.hexdigest()[:16]


class ParseCache:
    def __init__(self, folder: Path | None):
        self.folder = folder / "parse" / parser_digest() if folder else None

    def _path(self, sha256: str, source: str) -> Path:
        key = hashlib.sha256(f"{sha256}\0{source}".encode()).hexdigest()
        return self.folder / key[:2] / f"{key}.pickle"  # type: ignore[operator]

    def get(self, sha256: str, source: str) -> Report | None:
        if self.folder is None:
            return None
        try:
            report = pickle.loads(self._path(sha256, source).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None
        return report if isinstance(report, Report) else None

    def put(self, report: Report) -> bytes:
        """Keep ``report``; returns it pickled (as kept), which is also how a worker sends it back."""
        data = pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)
        if self.folder is not None:
            path = self._path(report.sha256, report.source)
            with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
                os.replace(write_new(path, data, ".tmp-"), path)
        return data


@cache
def code_digest() -> str:
    """A digest of all of the package's code: what the render memo was made by."""
    h = hashlib.sha256()
    for file in sorted(Path(__file__).parent.rglob("*.py")):
        h.update(file.name.encode())
        h.update(file.read_bytes())
    return h.hexdigest()[:16]


class RenderMemo:
    """What the last build rendered, kept between runs of ``python build.py`` (a pickle of our own)."""

    def __init__(self, folder: Path | None, output: Path):
        out = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:12]
        self.path = folder / "render" / f"{code_digest()}-{out}.pickle" if folder else None

    def load(self) -> dict[object, tuple[object, object]]:
        if self.path is None:
            return {}
        try:
            with self.path.open("rb") as f:
                memo = pickle.load(f)
            return memo if isinstance(memo, dict) else {}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return {}

    def save(self, memo: dict[object, tuple[object, object]]) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for old in self.path.parent.glob(f"*-{self.path.name.split('-', 1)[1]}"):
                if old != self.path:
                    old.unlink(missing_ok=True)  # made by older code
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(memo, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time
