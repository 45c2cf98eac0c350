"""How a report's requests were answered, in the template's six categories: the table's rows where
it has them, and the outcomes a prose report states in its own words (``requests.outcomes``,
{label as printed: count}) put in the category they belong to (信息不存在, 非本机关 → 无法提供).
What names no outcome at all (an applicant, a channel, a review) is left out and said so; an
outcome that fits no category is 其他处理. The parts are checked against the total the report states."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nianbao.model import Report
from nianbao.render.labels import OUTCOMES, ROWS

Number = int | float

# printed label -> category, the first pattern that matches (partial before granted: 部分公开 holds 公开)
_CATEGORY = (
    ("partially_granted", re.compile(r"部分公开|部分予以公开")),
    ("denied", re.compile(r"不予公开|不公开|不予提供")),
    ("unable", re.compile(r"不存在|非本机关|不属于本机关|不属本机关|不掌握|无法提供|另行制作|没有现成|不明确|告知.*机关")),
    ("not_processed", re.compile(r"不予处理|重复申请|信访|举报|投诉|出版物|大量反复|重新出具")),
    ("other", re.compile(r"其他|其它|逾期|撤回|补正")),
    ("granted", re.compile(r"予以公开|同意公开|全部公开|已公开|公开(?:了)?$|提供")),
)
# a label with none of the above that names these is a count of something else (who asked, how, reviews)
_NOT_AN_OUTCOME = re.compile(r"申请|自然人|法人|组织|当面|信函|网络|网上|邮件|传真|纸质|电话|复议|诉讼|办理|答复|受理|收到|收费")


def category(label: str) -> str | None:
    """The template category a printed outcome belongs to; None if the label names no outcome."""
    for key, pattern in _CATEGORY:
        if pattern.search(label):
            return key
    return None if _NOT_AN_OUTCOME.search(label) else "other"


@dataclass(frozen=True)
class Outcomes:
    """A report's outcomes by category (in template order, the stated ones), the printed labels each
    holds, the labels left out, and the total the parts are checked against."""

    parts: dict[str, Number]
    printed: dict[str, list[str]] = field(default_factory=dict)  # category -> "label 7" as printed
    left_out: list[str] = field(default_factory=list)
    total: Number | None = None
    total_name: str = ""

    @property
    def sum(self) -> Number:
        return sum(self.parts.values())

    def note(self) -> str:
        """What the parts add up to, against the stated total; why not, when they do not."""
        if not self.parts:
            return ""
        out = f"各项合计 {_n(self.sum)} 件"
        if self.total is None:
            out += "；报告没有写出申请总数，无从核对。"
        elif self.sum == self.total:
            out += f"，等于报告所述{self.total_name} {_n(self.total)} 件。"
        elif self.sum < self.total:
            rest = _n(self.total - self.sum)
            out += f"，少于报告所述{self.total_name} {_n(self.total)} 件："
            out += f"其余 {rest} 件的办理结果没有读出（报告没有写出，或本站未能读取）。"
        else:
            out += f"，多于报告所述{self.total_name} {_n(self.total)} 件：报告所列各项之和与总数不符（可能含上年结转的申请）。"
        if self.left_out:
            out += f"未计入（不是办理结果）：{'；'.join(self.left_out)}。"
        return out


def _n(value: Number) -> str:
    return f"{value:,}"


def by_category(report: Report) -> Outcomes:
    """A report's outcomes by category: the summary keys where stated, plus the printed outcomes of
    prose (a table report's prose only fills the categories its table leaves empty)."""
    parts: dict[str, Number] = {}
    printed: dict[str, list[str]] = {}
    for key in OUTCOMES:
        value = report.get(f"requests.{key}")
        if isinstance(value, int | float) and not isinstance(value, bool):
            parts[key] = value
    from_table = set(parts) if report.template != "narrative" else set()
    left_out: list[str] = []
    stated = report.get("requests.outcomes")
    for label, value in stated.items() if isinstance(stated, dict) else ():
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        found = category(label)
        if found is None:
            left_out.append(f"{label} {_n(value)} 件")
        elif found not in from_table and not (found in parts and ROWS[found] in label):  # not the summary key again
            parts[found] = parts.get(found, 0) + value
            printed.setdefault(found, []).append(f"{label} {_n(value)}")
    total, name = report.get("requests.processed_total"), "办理结果总计"
    if not isinstance(total, int | float):
        total, name = report.get("requests.received"), "本年新收申请"
    return Outcomes(
        {k: parts[k] for k in OUTCOMES if k in parts},
        printed,
        left_out,
        total if isinstance(total, int | float) else None,
        name,
    )


def names(result: Outcomes) -> dict[str, str]:
    """The label each category's bar carries: the template's row name, and the printed labels it holds."""
    out = {}
    for key in result.parts:
        held = result.printed.get(key)
        out[key] = ROWS[key] + (f"（原文：{'、'.join(held)}）" if held else "")
    return out
