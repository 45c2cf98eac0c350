"""The review queue: what a person should look at, most important first, each entry with its reason in one
sentence, a link to the figure's evidence on the report page, and the sidecar YAML that would correct it.

Order (RANKS): corrections that could not be applied; figures in rows an error flag names (勾稽关系,
合计); reports without agency or year; figures a warning names (正文与表格, 前后年度, 发布日期, 未能读取的表格);
outliers; figures an info flag names; figures derived rather than read. A figure corrected by hand has been
looked at: it is not listed again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from nianbao.check import REVIEW_NAMES, ROW_NAMES, figure_name
from nianbao.corrections import KEYS, SIDECAR
from nianbao.model import Flag, Report, Value
from nianbao.outliers import FIGURES
from nianbao.parse.vocab import REQUEST_ROW_NAMES, REQUEST_ROWS

RANKS = {"correction": 0, "error": 1, "missing": 2, "warning": 3, "outlier": 4, "info": 5, "derived": 6}
KINDS = {
    "correction": "校正未生效",
    "error": "错误提示所涉",
    "missing": "缺少机关或年度",
    "warning": "警告提示所涉",
    "outlier": "异常值",
    "info": "提示所涉",
    "derived": "推算所得",
}
_DERIVED = (
    "报告没有直接印出这个数字，是网站由表格中其他数字推算的（如空白的总计栏由各列相加，"
    "或按合计关系拆开连在一起的数字），请对照原文核实。"
)
_METADATA = {"agency": "发布机关", "year": "统计年度", "published": "发布日期"}
_MISSING = {
    "agency": "报告没有写明发布机关，它单独成为一个机关，不能与同一机关的其他年度比较；请在旁注文件中写明。",
    "year": "报告没有写明统计年度，无法与其他年度比较；请在旁注文件中写明。",
}


@dataclass(frozen=True)
class Entry:
    """One thing to look at: plain data (it is kept in the render memo and compared)."""

    rank: int
    kind: str  # a key of KINDS
    report_id: str
    agency: str | None
    year: int | None
    source: str  # its file in content/
    key: str | None  # the figure's dotted key; None for the report as a whole
    shown: bool  # the key is a figure (or agency, year, published) the report may have: its value is shown
    value: Value
    reason: str  # one sentence
    anchor: str  # on the report page: the evidence's line, or the flags
    yaml: str  # the sidecar lines that would correct it


def entries(report: Report) -> tuple[Entry, ...]:
    """What a person should look at in one report (with its flags across reports), in order."""
    found: dict[str | None, Entry] = {}  # by figure: its most important reason
    corrected = {k for k, how in report.provenance.items() if how == "corrected"}

    def add(kind: str, key: str | None, reason: str, line: int | None = None) -> None:
        if key in corrected or (key in found and found[key].rank <= RANKS[kind]):
            return
        yaml = _fix_yaml(report, key, reason) if kind == "correction" else None
        found[key] = _entry(report, kind, key, reason, yaml, line)

    for flag in report.flags:
        if flag.code == "CORRECTION":
            add("correction", _correction_key(flag), flag.message)
        elif flag.code == "OUTLIER":
            key = next((k for k, (name, _) in FIGURES.items() if f"年{name}" in flag.message), None)
            add("outlier", key, flag.message)
        elif flag.code in ("MISSING_AGENCY", "MISSING_YEAR"):
            add("missing", flag.code.removeprefix("MISSING_").lower(), _MISSING[flag.code.removeprefix("MISSING_").lower()])
        elif flag.code == "UNPARSED_TABLE":
            add(flag.severity, *_unparsed(flag.message))
        else:
            for key in flag_keys(report, flag):
                add(flag.severity, key, flag.message)
    for key, how in report.provenance.items():
        if how == "derived" and key in report.figures:
            add("derived", key, _DERIVED)
    return tuple(sorted(found.values(), key=lambda e: (e.rank, e.key or "")))


def queue(reports: Iterable[tuple[Entry, ...]]) -> list[Entry]:
    """All reports' entries, most important first (then by report, as given)."""
    return sorted((e for group in reports for e in group), key=lambda e: e.rank)


_REVIEW_KEYS = {name: f"{group}.total" for group, name in REVIEW_NAMES.items()}


def flag_keys(report: Report, flag: Flag) -> list[str]:
    """The figures a flag is about (those the report has), for the queue and the report page."""
    message, keys = flag.message, []
    if flag.code == "BALANCE":
        keys = [f"requests.{k}" for k in ("received", "carried_over", "processed_total", "carried_forward")]
    elif flag.code == "SUBTOTAL":
        keys = [f"requests.{row}" for row, name in ROW_NAMES.items() if f"“{name}”行" in message]
        keys += ["requests.processed_total"] if "办理结果各项之和" in message else []
        keys += [key for name, key in _REVIEW_KEYS.items() if f"{name}：" in message]
        keys += ["proactive.total"] if "主动公开" in message else []
    elif flag.code == "TEXT_TABLE":
        keys = [k for k in report.stated if f"{figure_name(k)}：正文" in message]  # the figures the message names
    elif flag.code == "CROSS_YEAR":
        keys = ["requests.carried_over"] if "上年结转" in message else []
        kinds = (("rules", "规章"), ("normative", "规范性文件"))
        keys += [f"proactive.{k}.in_force" for k, name in kinds if f"{name}现行有效" in message]
    elif flag.code == "DATE_ORDER":
        keys = ["published"]
    return [k for k in keys if k in report.figures or k == "published"]


_UNPARSED_LINE = re.compile(r"第(\d+)行")
_UNPARSED_ROW = re.compile(r"申请情况表“([^”]+)”行")
_ROW_KEYS = {key: key for key, _ in REQUEST_ROWS} | {name: key for key, name in REQUEST_ROW_NAMES.items()}


def _unparsed(message: str) -> tuple[str | None, str, int | None]:
    """An UNPARSED_TABLE flag's figure (the total of the request table's row it names, if it names one), its
    message, and the line it names."""
    line = _UNPARSED_LINE.search(message)
    row = _UNPARSED_ROW.search(message)
    key = _ROW_KEYS.get(row.group(1)) if row else None
    return (f"requests.matrix.{key}.total" if key else None), message, int(line.group(1)) if line else None


def _correction_key(flag: Flag) -> str | None:
    head = flag.message.split("：", 1)[0]
    return head.rsplit("校正项 ", 1)[1] if "校正项 " in head else None


def _entry(report: Report, kind: str, key: str | None, reason: str, yaml: str | None, line: int | None) -> Entry:
    evidence = report.evidence.get(key) if key else None
    line = evidence.line if evidence else line
    value = report.figures.get(key) if key in KEYS else getattr(report, key, None) if key in _METADATA else None
    return Entry(
        RANKS[kind], kind, report.id, report.agency, report.year, report.source, key, key in KEYS or key in _METADATA,
        value, reason, f"L{line}" if line else "flags", yaml or sidecar_yaml(report, key, value),
    )  # fmt: skip


def _fix_yaml(report: Report, key: str | None, reason: str) -> str:
    """For a correction that did not take: what to do in the sidecar."""
    head = f"# {report.source}{SIDECAR}\n"
    if key is None:
        return f"{head}# corrections 应为“点分键: {{value: 数值, reason: 原因}}”的键值对\n"
    if "可以删除" in reason:
        return f"{head}# 删除 corrections 下 {key} 这一项：报告已能读出同样的值\n"
    if key not in KEYS:
        return f"{head}# 删除或改正 corrections 下 {key} 这一项：键应为数据说明中的数字键\n"
    return sidecar_yaml(report, key, report.figures.get(key)).replace(
        "# 把 value", f"# 替换 {SIDECAR} 中 {key} 原来那一行；把 value"
    )


def sidecar_yaml(report: Report, key: str | None, value: Value) -> str:
    """The lines of ``<report>.yaml`` that would correct ``key``: its value as read, for the person to change."""
    head = f"# {report.source}{SIDECAR}（与报告放在同一目录）\n"
    if key in ("agency", "year", "published"):
        shown = json.dumps(value if value is not None else "", ensure_ascii=False)
        return f"{head}{key}: {shown}  # 改为报告的{_METADATA[key]}\n"
    if key is None or key not in KEYS:
        return f"{head}corrections:\n  # 按原文填写未能读取的数字，如：\n  # requests.received: {{value: 0, reason: 原表该栏}}\n"
    written = json.dumps(value, ensure_ascii=False)
    return f"{head}corrections:\n  {key}: {{value: {written}, reason: 核对原文}}  # 把 value 改为原文的正确数字\n"
