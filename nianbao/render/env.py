"""The Jinja environment the pages are rendered in: its filters and globals, and a digest of the templates."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import jinja2
from markupsafe import Markup

from nianbao.model import Report
from nianbao.render import labels, pages, views
from nianbao.render.figures import number, sort_key, source_link
from nianbao.render.provenance import provenance_html


def original_path(report: Report) -> str:
    """Where the site keeps a copy of the file a report was read from. A saved web page is kept
    as text (.html.txt): served from the site, its own scripts would run on the site's origin."""
    suffix = os.path.splitext(report.source)[1].lower()  # a source always has one (the kind of file)
    return f"files/{report.id}{suffix}{'.txt' if suffix in ('.html', '.htm') else ''}"


@functools.cache  # one per templates folder: Jinja recompiles a template only when its file changes
def environment(templates: Path, cache: Path | None = None) -> jinja2.Environment:
    """The templates' environment; compiled templates are kept under ``cache`` for the next run."""
    if cache is not None:
        (cache / "jinja").mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(cache / "jinja")) if cache is not None else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = number
    env.filters["sortkey"] = sort_key
    env.globals.update(
        labels=labels,
        source_link=source_link,
        original_path=original_path,
        stated_sum=pages.stated_sum,
        region_name=views.region_name,
        year_name=views.year_name,
        report_label=views.label,
        agency_name=views.agency_name,
        metrics=views.metrics(),
        provenance=lambda report, key: Markup(provenance_html(report, key, {})),
    )
    return env


def digest(folder: Path) -> str:
    """A digest of every file under ``folder`` (the templates)."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()
