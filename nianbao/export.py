"""Reports -> the public data of SCHEMA.md: reports.json, reports.csv, one JSON each.

Every schema key is present; a figure the report does not state is null.
"""

from __future__ import annotations

import csv
import functools
import io
from typing import Any

from nianbao import compact
from nianbao.model import Report
from nianbao.parse import vocab

SCHEMA = "ogi-report/1"
_REVIEW = ("upheld", "corrected", "other", "pending", "total")


def _matrix_rows(template: str) -> list[str]:
    rows = ["received", "carried_over", "granted", "partially_granted"]
    for group, subs in vocab.REQUEST_GROUPS.items():
        rows += [f"{group}.{s}" for s in subs]
    rows += ["other"] if template == "gb2019" else [f"other.{s}" for s in vocab.OTHER_2021]
    return rows + ["processed_total", "carried_forward"]


def _proactive(report: Report) -> dict[str, Any]:
    """The report's 主动公开 part."""
    get = report.figures.get
    rule_keys = vocab.RULE_COLUMNS["gb2019" if report.template == "gb2019" else "gb2021"]
    return {
        "total": get("proactive.total"),
        "channels": get("proactive.channels"),
        "categories": get("proactive.categories"),
        "rules": {k: get(f"proactive.rules.{k}") for k in rule_keys},
        "normative": {k: get(f"proactive.normative.{k}") for k in rule_keys},
        "licensing": get("proactive.licensing"),
        "penalty": get("proactive.penalty"),
        "coercion": get("proactive.coercion"),
        "admin_fees_10k_yuan": get("proactive.admin_fees_10k_yuan"),
    }


_REQUESTS = ("received", "carried_over", "granted", "partially_granted", "denied", "unable", "not_processed", "other",
             "processed_total", "carried_forward")  # fmt: skip


def _requests(report: Report) -> dict[str, Any]:
    """The report's 依申请公开 part: the totals, the table's cells row by row (None for a narrative report)."""
    get = report.figures.get
    requests: dict[str, Any] = {k: get(f"requests.{k}") for k in _REQUESTS}
    if report.template == "narrative":
        requests["matrix"] = None
    else:
        matrix: dict[str, Any] = {
            row: {c: get(f"requests.matrix.{row}.{c}") for c in vocab.COLUMNS} for row in _matrix_rows(report.template)
        }
        # the same sub-rows nested too, so a dotted path (requests.matrix.denied.state_secret.total) resolves
        for row in list(matrix):
            if "." in row:
                group, sub = row.split(".")
                matrix.setdefault(group, {})[sub] = matrix[row]
        requests["matrix"] = matrix
    requests["outcomes"] = get("requests.outcomes")
    return requests


def report_dict(report: Report) -> dict[str, Any]:
    """One report, nested exactly as SCHEMA.md says."""
    get = report.figures.get
    direct = {k: get(f"litigation.direct.{k}") for k in _REVIEW}
    after = {k: get(f"litigation.after_reconsideration.{k}") for k in _REVIEW}
    return {
        "id": report.id,
        "source": report.source,
        "agency": report.agency,
        "agency_id": report.agency_id,
        "region": {
            "province": report.region.province,
            "city": report.region.city,
            "county": report.region.county,
            "code": report.region.code,
        },
        "year": report.year,
        "published": report.published,
        "template": report.template,
        "proactive": _proactive(report),
        "requests": _requests(report),
        "reconsideration": {k: get(f"reconsideration.{k}") for k in _REVIEW},
        "litigation": {"direct": direct, "after_reconsideration": after, "total": get("litigation.total")},
        "fees": {"collected_yuan": get("fees.collected_yuan")},
        "flags": [{"code": f.code, "severity": f.severity, "message": f.message} for f in report.flags],
        "evidence": {k: {"line": e.line, "text": e.text} for k, e in sorted(report.evidence.items())},
        "provenance": dict(sorted(report.provenance.items())),
        "corrections": [{"key": c.key, "parsed": c.parsed, "value": c.value, "reason": c.reason} for c in report.corrections],
        "format": report.kind,
        "sha256": report.sha256,
    }


Row = tuple[tuple[str, ...], tuple[Any, ...]]  # a report's row of reports.csv: its columns (dotted keys) and its cells


def report_data(report: Report) -> tuple[bytes, Row]:
    """One report as compact UTF-8 JSON (the piece both reports.json and its own file are made of),
    and as its row of reports.csv: flattened to dotted columns, evidence left out. Reports of one
    template share their columns: a row is two tuples, not a dict of hundreds of keys."""
    data = report_dict(report)
    fragment = compact.dumps(data)
    del data["evidence"]
    flat: dict[str, Any] = {}
    _flatten("", data, flat)
    return fragment, (tuple(flat), tuple(flat.values()))


REPORTS_HEAD = b'{"schema":"%s","reports":[' % SCHEMA.encode()


def report_json(fragment: bytes) -> bytes:
    return b'{"schema":"%s","report":%s}\n' % (SCHEMA.encode(), fragment)


_JOINED = frozenset(("proactive.channels", "proactive.categories", "requests.outcomes"))  # one cell each


def _flatten(prefix: str, value: dict[str, Any], out: dict[str, Any]) -> None:
    """The leaves of ``value`` (found under ``prefix``) into ``out`` under dotted keys, in order."""
    matrix = prefix == "requests.matrix"
    for k, v in value.items():
        if matrix and (k in vocab.REQUEST_GROUPS or (k == "other" and isinstance(v, dict) and "no_fee" in v)):
            continue  # the nested copy of the sub-rows; the dotted rows are the columns
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            if key in _JOINED:
                out[key] = "；".join(f"{name}:{n}" for name, n in v.items())
            else:
                _flatten(key, v, out)
        elif key == "corrections":  # one cell: key parsed→value（reason）
            out[key] = "；".join(f"{c['key']} {_cell(c['parsed'])}→{_cell(c['value'])}（{c['reason']}）" for c in v)
        elif isinstance(v, list):
            out[key] = ";".join(f["code"] for f in v)
        else:
            out[key] = "" if v is None else v


def _cell(value: object) -> str:
    if isinstance(value, dict):
        return "{" + "，".join(f"{name}:{n}" for name, n in value.items()) + "}"
    return "null" if value is None else str(value)


def csv_columns(shapes: list[tuple[str, ...]]) -> tuple[str, ...]:
    """Every dotted key of any row's ``shape`` (its keys, in order), in first-seen order."""
    distinct = dict.fromkeys(shapes)  # reports of one template share a shape
    return tuple(dict.fromkeys(k for shape in distinct for k in shape))


def csv_line(row: Row, columns: tuple[str, ...]) -> bytes:
    """A row's line of reports.csv with these ``columns`` (empty where the row has no such column)."""
    cells = (*row[1], "")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([inert(cells[i]) for i in _places(row[0], columns)])
    return buffer.getvalue().encode("utf-8")


_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what makes Excel or LibreOffice read a cell as a formula (OWASP)


def inert(cell: object) -> object:
    """A spreadsheet cell that cannot start a formula: text starting with one of _FORMULA gets a leading
    apostrophe (which the spreadsheet shows as text, not as part of it); numbers are left as they are."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(_FORMULA) else cell


@functools.lru_cache(maxsize=64)  # a few shapes of row, and one set of columns a build
def _places(keys: tuple[str, ...], columns: tuple[str, ...]) -> tuple[int, ...]:
    """Where each column is among a row's ``keys``; one past them where it is not."""
    at = {key: i for i, key in enumerate(keys)}
    return tuple(at.get(column, len(keys)) for column in columns)


def csv_head(columns: tuple[str, ...]) -> bytes:
    """reports.csv before its lines (one a report, ``csv_line``): UTF-8's BOM, so Excel reads it, and the dotted keys."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([inert(column) for column in columns])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
