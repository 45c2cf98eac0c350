"""How each figure was obtained, in words a reader understands, for the report page; and what the review
page and the flags page need of each report (kept in the render memo: a report is read whole only when
it changed)."""

from __future__ import annotations

import functools
from html import escape
from typing import TYPE_CHECKING

from nianbao.model import Correction, Report
from nianbao.render import labels
from nianbao.render.memo import Kind
from nianbao.review import KINDS, Entry, entries, flag_keys, queue

if TYPE_CHECKING:
    from nianbao.render import Site

WORDS = {"table": "表格", "prose": "正文", "derived": "推算", "corrected": "人工校正"}
MEANINGS = {
    "table": "读自报告的表格（某行某列的格子）",
    "prose": "读自报告正文的句子（或标题、落款）",
    "derived": "报告没有直接印出，由其他印出的数字推算（如空白的总计由各列相加，或按合计关系拆开连在一起的数字）",
    "corrected": "由人工在旁注文件中校正，网站读出的原值仍保留",
}

REVIEW_ROWS = 200  # entries a review page holds: one (reason, links, YAML) weighs about 1.1 KB


def conflicts(report: Report) -> dict[str, list[str]]:
    """Figure key -> the names of the flags that name it."""
    out: dict[str, list[str]] = {}
    for flag in report.flags:
        for key in flag_keys(report, flag):
            out.setdefault(key, []).append(labels.FLAGS.get(flag.code, (flag.code,))[0])
    return out


def provenance_html(report: Report, key: str, named: dict[str, list[str]]) -> str:
    """What says how ``key`` was obtained: 表格 / 正文 / 推算, or 人工校正 with its reason and the value read;
    and the flags that name it (``named``, from ``conflicts``)."""
    how = report.provenance.get(key)
    if how is None:
        return ""
    text = WORDS.get(how, how)
    if how == "corrected":
        fix = next((c for c in report.corrections if c.key == key), None)
        if fix is not None:
            text += f"：{fix.reason}（网站原读作 {_shown(fix.parsed)}）"
    out = f'<span class="prov prov-{escape(how)}" title="{escape(MEANINGS.get(how, how))}">{escape(text)}</span>'
    for name in named.get(key, ()):
        out += f' <a class="prov-flag" href="#flags">见提示：{escape(name)}</a>'
    return out


def _shown(value: object) -> str:
    if value is None:
        return "未载明"
    if isinstance(value, dict):
        return "，".join(f"{k} {v}" for k, v in value.items())
    return f"{value:,}" if isinstance(value, int) else str(value)


def review_data(report: Report) -> tuple[tuple[Entry, ...], tuple[Correction, ...]]:
    """What the review page (its entries) and the flags page (its corrections) show of one report."""
    return entries(report), report.corrections


def plan_review(site: Site, reports: list[Report]) -> list[tuple[Report, Correction]]:
    """Have the review pages made (``review.html``, then ``review-2.html`` and on); the corrections of ``reports``,
    for the flags page. What each report gives is kept in the memo: only a changed report is read whole."""
    reviewed = [site.memo.get((Kind.REVIEW, r.id), r.fingerprint, functools.partial(review_data, r)) for r in reports]
    rows = queue(found for found, _ in reviewed)
    site.paged(
        "review.html", "review.html", rows, tuple(rows), lambda: {"count": len(rows), "kinds": KINDS}, per_page=REVIEW_ROWS
    )
    return [(r, c) for r, (_, corrections) in zip(reports, reviewed, strict=True) for c in corrections]
