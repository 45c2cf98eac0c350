"""A report's figures as HTML: numbers as printed (未载明 for one not stated), each linked to where
the report states it, and the rows of a report page's data table and request table.

The rows are made here, not in the template: a report has hundreds of figures, and a template
loop or call costs several times more for each.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from nianbao.model import Report
from nianbao.render import labels
from nianbao.render.provenance import WORDS, conflicts, provenance_html
from nianbao.render.reporttext import figure_id

_NOT_STATED = '<span class="na">未载明</span>'


def _number_html(value: object) -> str:
    if type(value) is int:
        return f"{value:,}"
    if value is None:
        return _NOT_STATED
    if isinstance(value, bool) or not isinstance(value, int | float):
        return escape(str(value))
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def number(value: object) -> Markup:
    """1234 -> 1,234; None -> 未载明 (marked so it never reads as 0)."""
    return Markup(_number_html(value))


def _link_html(key: str, value: object, line: int | None, marked: set[str]) -> str:
    shown = _number_html(value)
    if value is None or not line:
        return shown
    target = figure_id(key) if key in marked else f"L{line}"
    return f'<a class="src" href="#{target}" title="跳到原文第{line}行">{shown}</a>'


def sort_key(value: object) -> str:
    """What a table cell sorts by (data-value): a figure as text, nothing for one not stated."""
    return "" if value is None else str(value)


def source_link(key: str, value: object, line: int | None, marked: set[str]) -> Markup:
    """A figure as a link to where the report states it: its mark in the text, else its line."""
    return Markup(_link_html(key, value, line, marked))


_ORDER = {key: i for i, key in enumerate(labels.FIGURE_ORDER)}


def _template_order(item: tuple[str, object]) -> int:
    """Where a figure comes in the template: at its longest listed prefix, the rest after them all."""
    parts = item[0].split(".")
    for n in range(len(parts), 0, -1):
        place = _ORDER.get(".".join(parts[:n]))
        if place is not None:
            return place
    return len(_ORDER)


def figure_rows(report: Report, marked: set[str]) -> Markup:
    """The rows of the data table: every figure the report states, in the template's order, its value
    linked to where the report states it."""
    rows = []
    named = conflicts(report)
    for key, value in sorted(report.figures.items(), key=_template_order):
        if key.startswith("requests.matrix."):
            continue  # shown as the table itself
        evidence = report.evidence.get(key)
        line = evidence.line if evidence else None
        if isinstance(value, dict):
            cell = "<br>".join(f"{escape(str(k))} {_link_html(f'{key}.{k}', v, line, marked)}" for k, v in value.items())
        else:
            cell = _link_html(key, value, line, marked)
        where = (f'<a href="#L{line}">第{line}行</a> ' if line else "") + (provenance_html(report, key, named) or "—")
        label = escape(labels.figure_label(key))
        rows.append(f'<tr><th scope="row">{label}</th><td class="n">{cell}</td><td>{where}</td></tr>\n')
    return Markup("".join(rows))


_MATRIX_KEYS = tuple(
    (row, name, tuple(f"requests.matrix.{row}.{column}" for column in labels.COLUMNS)) for row, name in labels.ROWS.items()
)


def matrix_rows(report: Report, marked: set[str]) -> list[tuple[str, Markup]] | None:
    """The request table as printed: (row label, its cells, each linked to its source); None if the report has
    none, or none was read (a table of blanks would say 未载明 beside the figures the prose states)."""
    if report.template == "narrative" or not any(k.startswith("requests.matrix.") for k in report.figures):
        return None
    rows = []
    figures, evidence = report.figures, report.evidence
    unread = {k for k, how in report.provenance.items() if how in ("derived", "corrected")}  # marked: not a printed cell
    for row, name, keys in _MATRIX_KEYS:
        values = [figures.get(key) for key in keys]
        if row in ("received", "processed_total") or any(v is not None for v in values):
            lines = [e.line if (e := evidence.get(key)) else None for key in keys]
            cells = "".join(
                f'<td class="n">{_link_html(*cell, marked)}{_mark(report, cell[0]) if cell[0] in unread else ""}</td>'
                for cell in zip(keys, values, lines, strict=True)
            )
            rows.append((name, Markup(cells)))
    return rows


def _mark(report: Report, key: str) -> str:
    """A cell's provenance when it is not the table's own: 推算 or 人工校正 (its reason in the tooltip)."""
    how = report.provenance[key]
    fix = next((c for c in report.corrections if c.key == key), None)
    title = f"{WORDS.get(how, how)}：{fix.reason}" if fix else WORDS.get(how, how)
    return f'<sup class="prov prov-{escape(how)}" title="{escape(title)}">{escape(WORDS.get(how, how))}</sup>'
