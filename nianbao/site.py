"""Reports -> the files of the site (data downloads and pages)."""

from __future__ import annotations

from nianbao.export import report_json, reports_csv, reports_json
from nianbao.model import Problem, Report
from nianbao.write import Writer


def render_site(reports: list[Report], problems: list[Problem], writer: Writer) -> None:
    writer.write("data/reports.json", reports_json(reports))
    writer.write("data/reports.csv", reports_csv(reports))
    for report in reports:
        writer.write(f"data/reports/{report.id}.json", report_json(report))
    writer.write(".nojekyll", "")
