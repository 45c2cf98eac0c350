"""Reports -> the files of the site: data downloads and pages rendered from templates/."""

from __future__ import annotations

from pathlib import Path

import jinja2

from nianbao.export import report_json, reports_csv, reports_json
from nianbao.model import Problem, Report
from nianbao.write import Writer

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined)


def render_site(reports: list[Report], problems: list[Problem], writer: Writer) -> None:
    writer.write("data/reports.json", reports_json(reports))
    writer.write("data/reports.csv", reports_csv(reports))
    for report in reports:
        writer.write(f"data/reports/{report.id}.json", report_json(report))
    env = _environment()
    ordered = sorted(reports, key=lambda r: (r.agency or "", -(r.year or 0), r.source))
    writer.write("index.html", env.get_template("index.html").render(reports=ordered, problems=problems))
    writer.write(".nojekyll", "")
