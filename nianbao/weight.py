"""What a built site's pages weigh as a browser fetches them (issue 20, items 13-14): a page's transfer
is its HTML and the stylesheets and scripts it loads, each gzipped as a web server sends it; the largest
page is the largest HTML file. Used by tests/test_weight.py and meant for ``python build.py bench``."""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path
from urllib.parse import urljoin

REPORT_BUDGET = 150 * 1024  # bytes a report page may cost gzipped, HTML + CSS + JS
PAGE_BUDGET = 500 * 1024  # bytes any HTML page may weigh
_LOADS = re.compile(rb'<(?:script[^>]*\ssrc|link[^>]*\srel="stylesheet"[^>]*\shref)="([^"]+)"')


@functools.lru_cache(maxsize=64)
def _gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def transfer(output: Path, page: str) -> tuple[int, dict[str, int]]:
    """Bytes a browser fetches for ``page`` (a path under ``output``), gzipped: in all, and by file."""
    html = (output / page).read_bytes()
    parts = {page: len(gzip.compress(html, 6))}
    for ref in _LOADS.findall(html):
        url = urljoin(page, ref.decode())
        if "://" in url or url.startswith("/"):
            continue  # not the site's own file (it loads none other)
        parts[url] = _gzipped((output / url).resolve())
    return sum(parts.values()), parts


def summary(output: Path) -> str:
    """One line: the heaviest report page's transfer and the largest page, against their budgets."""
    reports = sorted((output / "report").glob("*.html"))
    heavy, page = max(((transfer(output, p.relative_to(output).as_posix())[0], p) for p in reports), default=(0, None))
    sizes = max(((p.stat().st_size, p) for p in output.rglob("*.html")), default=(0, None))
    return (
        f"weight: report page transfer (HTML + CSS + JS, gzipped) at most {heavy / 1024:.0f} KB"
        f" ({page.name if page else '-'}; target ≤ {REPORT_BUDGET // 1024} KB); largest page {sizes[0] / 1024:.0f} KB"
        f" ({sizes[1].relative_to(output) if sizes[1] else '-'}; target ≤ {PAGE_BUDGET // 1024} KB)"
    )
