"""Data-quality flags: MISSING_*, BALANCE, SUBTOTAL, TEXT_TABLE, DATE_ORDER, CROSS_YEAR.

A report whose printed totals disagree with their parts keeps the printed
figures; the flag's message says which numbers disagree, in Chinese, for readers.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable
from itertools import pairwise

from nianbao.model import Flag, Report
from nianbao.parse import vocab

COLUMN_NAMES = dict(
    zip(vocab.COLUMNS, ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他组织", "总计"), strict=True)
)
ROW_NAMES = {
    "received": "本年新收",
    "carried_over": "上年结转",
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "denied": "不予公开",
    "unable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
    "processed_total": "办理结果总计",
    "carried_forward": "结转下年度",
}
REVIEW_NAMES = {
    "reconsideration": "行政复议",
    "litigation.direct": "未经复议直接起诉",
    "litigation.after_reconsideration": "复议后起诉",
}


def _num(value: object) -> int | float | None:
    if type(value) is int or type(value) is float:  # the common case, asked first: hundreds of cells a report
        return value
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@functools.lru_cache(maxsize=1024)
def _row_keys(row: str) -> tuple[str, ...]:
    return tuple(f"requests.matrix.{row}.{column}" for column in vocab.COLUMNS)


def _matrix(report: Report) -> Callable[[str], list[int | float | None]]:
    """A row of the request table -> its cells, column by column (None where not a number)."""
    figures, rows = report.figures, dict[str, list[int | float | None]]()

    def row(name: str) -> list[int | float | None]:
        cells = rows.get(name)
        if cells is None:
            cells = rows[name] = [_num(figures.get(key)) for key in _row_keys(name)]
        return cells

    return row


def _group_row(row: Callable[[str], list[int | float | None]], group: str) -> list[int | float | None]:
    """A group's cells: the printed row's where printed, else the sum of its sub-rows'."""
    subs = [row(f"{group}.{s}") for s in vocab.REQUEST_GROUPS.get(group, vocab.OTHER_2021 if group == "other" else ())]
    out = []
    for i, printed in enumerate(row(group)):
        cells = [sub[i] for sub in subs]
        summed = sum(cells) if cells and all(c is not None for c in cells) else None  # type: ignore[arg-type]
        out.append(printed if printed is not None else summed)
    return out


def _balance(report: Report) -> list[Flag]:
    broken = []
    row = _matrix(report)
    rows = [row(r) for r in ("received", "carried_over", "processed_total", "carried_forward")]
    for i, column in enumerate(vocab.COLUMNS):
        cells = [r[i] for r in rows]
        if all(c is not None for c in cells) and cells[0] + cells[1] != cells[2] + cells[3]:  # type: ignore[operator]
            a, b, c, d = cells
            broken.append(f"{COLUMN_NAMES[column]}列：本年新收{a} + 上年结转{b} ≠ 办理结果总计{c} + 结转下年度{d}")
    if not broken:
        return []
    return [Flag("BALANCE", "error", "勾稽关系不成立（第一项加第二项应等于第三项加第四项）：" + "；".join(broken))]


def _subtotals(report: Report) -> list[Flag]:
    found = []
    row = _matrix(report)
    keys = [k.split(".") for k in report.figures if k.startswith("requests.matrix.")]
    rows = sorted({p[2] if len(p) == 4 else ".".join(p[2:4]) for p in keys})
    for name in rows:
        cells = row(name)
        if all(c is not None for c in cells) and sum(cells[:-1]) != cells[-1]:  # type: ignore[arg-type]
            found.append(f"“{ROW_NAMES.get(name, name)}”行各列之和{sum(cells[:-1])} ≠ 总计{cells[-1]}")  # type: ignore[arg-type]
    outcomes = [_group_row(row, g) if g in vocab.REQUEST_GROUPS or g == "other" else row(g) for g in vocab.OUTCOME_ROWS]
    totals = row("processed_total")
    for i, column in enumerate(vocab.COLUMNS):
        parts = [cells[i] for cells in outcomes]
        total = totals[i]
        if total is not None and all(p is not None for p in parts) and sum(parts) != total:  # type: ignore[arg-type]
            found.append(f"{COLUMN_NAMES[column]}列：办理结果各项之和{sum(parts)} ≠ 总计{total}")  # type: ignore[arg-type]
    for group, name in REVIEW_NAMES.items():
        parts = [_num(report.get(f"{group}.{k}")) for k in ("upheld", "corrected", "other", "pending")]
        total = _num(report.get(f"{group}.total"))
        if total is not None and all(p is not None for p in parts) and sum(parts) != total:  # type: ignore[arg-type]
            found.append(f"{name}：维持、纠正、其他、尚未审结之和{sum(parts)} ≠ 总计{total}")  # type: ignore[arg-type]
    flags = [Flag("SUBTOTAL", "error", "合计与分项不符：" + "；".join(found))] if found else []
    total = _num(report.get("proactive.total"))
    categories = report.get("proactive.categories")
    if total is not None and isinstance(categories, dict) and len(categories) > 1 and sum(categories.values()) != total:
        flags.append(Flag("SUBTOTAL", "warning", f"主动公开分类数之和{sum(categories.values())}与所述总数{total}不符"))
    channels = report.get("proactive.channels")
    if total is not None and isinstance(channels, dict) and len(channels) > 1 and sum(channels.values()) != total:
        flags.append(
            Flag(
                "SUBTOTAL",
                "info",
                f"各公开渠道条数之和{sum(channels.values())}与主动公开总数{total}不符（同一信息可能经多个渠道发布）",
            )
        )
    return flags


# the words a sentence must use to state a table's figure: "办理依申请公开20件" states no 予以公开
STATING = {
    "requests.received": r"新收|收到|受理",
    "requests.carried_over": r"上年结转",
    "requests.granted": r"予以公开|同意公开|全部公开",
    "requests.partially_granted": r"部分公开",
    "requests.denied": r"不予公开",
    "requests.unable": r"无法提供|不存在|非本机关|不掌握",
    "requests.not_processed": r"不予处理",
    "requests.other": r"其他处理",
    "requests.processed_total": r"办结|办理完毕|办理结果",
    "requests.carried_forward": r"结转下年",
    "reconsideration.total": r"复议",
    "litigation.total": r"诉讼",
}
_CLAUSE = re.compile(r"[^，。；;,！!？?]+")


def _text_table(report: Report) -> list[Flag]:
    """A figure the prose states otherwise than the table, where the prose states that same figure
    (its words, STATING, in the clause): the message quotes the sentence and the table's row."""
    found = []
    for key, fact in report.stated.items():
        table, stated = report.get(key), fact.value
        if _num(table) is None or _num(stated) is None or table == stated:
            continue
        clause = _clause(fact.evidence.text, re.compile(STATING.get(key, ".")))
        if clause is None:
            continue  # the prose figure is not this row's (办理依申请公开20件 is no 予以公开)
        row = report.evidence.get(key)
        where = f"表格第{row.line}行“{_short(row.text)}”" if row is not None else "表格"
        found.append(f"{figure_name(key)}：正文第{fact.evidence.line}行“{clause}”写{stated}，{where}为{table}")
    return [Flag("TEXT_TABLE", "warning", "正文与表格数字不一致：" + "；".join(found))] if found else []


def _clause(text: str, words: re.Pattern[str]) -> str | None:
    """The clause of ``text`` that uses ``words``; None if none does."""
    return next((c.strip() for c in _CLAUSE.findall(text) if words.search(c)), None)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def figure_name(key: str) -> str:
    """How the flags' messages name a figure of the request table or the review totals."""
    short = key.split(".", 1)[1] if key.startswith("requests.") else key
    return ROW_NAMES.get(short, {"reconsideration.total": "行政复议总计", "litigation.total": "行政诉讼总计"}.get(key, key))


def _date_order(report: Report) -> list[Flag]:
    if report.year is None or not report.published:
        return []
    end = f"{report.year}-12-31" if len(report.published) == 10 else f"{report.year}-12"
    if report.published < end:
        return [Flag("DATE_ORDER", "warning", f"发布日期{report.published}早于统计期结束（{report.year}年12月31日）")]
    return []


def _missing(report: Report) -> list[Flag]:
    flags = []
    sidecar = f"可在报告旁的 {report.source.rsplit('/', 1)[-1]}.yaml（旁注文件，任何格式都可用）中写"  # SCHEMA.md "Sidecar file"
    if not report.agency:
        flags.append(Flag("MISSING_AGENCY", "warning", f"报告未写明发布机关；{sidecar} agency: 机关名称"))
    if report.year is None:
        flags.append(Flag("MISSING_YEAR", "warning", f"报告未写明统计年度；{sidecar} year: 年度"))
    return flags


def _cross_year(before: Report, after: Report) -> list[Flag]:
    found = []
    a, b = _num(before.get("requests.carried_forward")), _num(after.get("requests.carried_over"))
    if a is not None and b is not None and a != b:
        found.append(f"{after.year}年“上年结转”{b}件 ≠ {before.year}年“结转下年度继续办理”{a}件")
    for key, name in (("rules", "规章"), ("normative", "规范性文件")):
        last = _num(before.get(f"proactive.{key}.in_force"))
        now, issued, repealed = (_num(after.get(f"proactive.{key}.{k}")) for k in ("in_force", "issued", "repealed"))
        if None not in (last, now, issued, repealed) and last + issued - repealed != now:  # type: ignore[operator]
            found.append(f"{name}现行有效{now}件 ≠ 上年{last} + 本年制发{issued} − 本年废止{repealed}")
    return [Flag("CROSS_YEAR", "warning", "与上一年度报告衔接不上：" + "；".join(found))] if found else []


def check_report(report: Report) -> list[Flag]:
    """Flags that one report raises on its own."""
    return _missing(report) + _balance(report) + _subtotals(report) + _text_table(report) + _date_order(report)


def by_agency(reports: list[Report]) -> dict[str, list[int]]:
    """The indexes of the reports that name their agency and year, by agency."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(reports):
        if r.agency and r.year is not None:
            groups[r.agency_id or r.agency].append(i)  # one office under its name forms
    return groups


def cross_year(reports: list[Report]) -> tuple[tuple[Flag, ...], ...]:
    """For one agency's ``reports``, the flags each raises against the report of the year before."""
    order = sorted(range(len(reports)), key=lambda i: reports[i].year or 0)
    flags: list[tuple[Flag, ...]] = [()] * len(reports)
    for i, j in pairwise(order):
        if reports[j].year == (reports[i].year or 0) + 1:
            flags[j] = tuple(_cross_year(reports[i], reports[j]))
    return tuple(flags)
