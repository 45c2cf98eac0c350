"""The build's settings, passed explicitly as one frozen value."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PROJECT = PACKAGE.parent
# compiled code (Python's bytecode: see build.py; Jinja's): in the user's own cache folder, never under .cache/, whose
# files may come from anywhere; Python and Jinja run what they find there unchecked (Jinja even unpickles it)
COMPILED = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nianbao"
ECHARTS = Path("dist", "echarts.site.min.js")  # under site_src/: the parts of ECharts the site uses, made by npm ci


@dataclass(frozen=True)
class Config:
    content: Path
    output: Path
    cache: Path | None = Path(".cache")
    jobs: int = 0  # 0: one per core
    strict: bool = False
    verbose: int = 1  # 0 quiet, 1 normal, 2 verbose
    base_url: str | None = None  # where the site is published, for sitemap.xml and the 404 page
    templates: Path = PROJECT / "templates"
    site_src: Path = PROJECT / "site_src"
    overwrite: bool = False  # write into a non-empty folder this tool did not make

    @property
    def rendering(self) -> Config:
        """These settings as the renderer takes them: its ``cache`` (where compiled templates are kept) is COMPILED."""
        return replace(self, cache=COMPILED if self.cache is not None else None)

    @property
    def workers(self) -> int:
        """Processes to parse and render with: ``jobs``, or one per core."""
        return self.jobs or os.cpu_count() or 1
