"""The build's settings, passed explicitly as one frozen value."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
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

    @property
    def workers(self) -> int:
        """Processes to parse and render with: ``jobs``, or one per core."""
        return self.jobs or os.cpu_count() or 1
