"""Figures corrected by hand: the ``corrections`` of a report's sidecar file (SCHEMA.md), applied after
parsing and before the checks, so the flags are computed on the corrected figures.

A correction names a figure by its dotted key, with the value to use and the reason. The parsed value
is kept (``Report.corrections``) and the figure's provenance becomes ``corrected``. A correction that
cannot be applied (a key the schema does not know, a value of the wrong type, no reason, or a value the
parser now reads by itself) is a CORRECTION flag that names the sidecar file and the key; the rest of
the report and the build go on.
"""

from __future__ import annotations

from dataclasses import replace

from nianbao.meta import SIDECAR as SIDECAR  # the sidecar file, as review.py names it too
from nianbao.model import Correction, Flag, Report, Value
from nianbao.parse import vocab

_REVIEW = ("upheld", "corrected", "other", "pending", "total")
_RULE_COLUMNS = ("issued", "repealed", "in_force", "made", "published", "total_published")
_MATRIX_ROWS = (
    "received", "carried_over", "granted", "partially_granted",
    *(f"{group}.{sub}" for group, subs in vocab.REQUEST_GROUPS.items() for sub in subs),
    "denied", "unable", "not_processed", "other", *(f"other.{sub}" for sub in vocab.OTHER_2021),
    "processed_total", "carried_forward",
)  # fmt: skip
SUMMARY = ("received", "carried_over", "granted", "partially_granted", "denied", "unable", "not_processed", "other",
           "processed_total", "carried_forward")  # fmt: skip
MONEY = frozenset(("fees.collected_yuan", "proactive.admin_fees_10k_yuan"))
LABELLED = frozenset(("proactive.channels", "proactive.categories", "requests.outcomes"))  # {label as printed: count}
COUNTS = frozenset(
    (
        "proactive.total", "proactive.licensing", "proactive.penalty", "proactive.coercion",
        *(f"proactive.{kind}.{c}" for kind in ("rules", "normative") for c in _RULE_COLUMNS),
        *(f"requests.{row}" for row in SUMMARY),
        *(f"requests.matrix.{row}.{column}" for row in _MATRIX_ROWS for column in vocab.COLUMNS),
        *(f"reconsideration.{k}" for k in _REVIEW),
        *(f"litigation.{kind}.{k}" for kind in ("direct", "after_reconsideration") for k in _REVIEW),
        "litigation.total",
    )
)  # fmt: skip
KEYS = COUNTS | MONEY | LABELLED  # every figure a sidecar may correct
METADATA = ("agency", "year", "published", "region")


def apply_corrections(report: Report, corrections: object) -> tuple[Report, list[Flag]]:
    """``report`` with the ``corrections`` of its sidecar (its ``doc.meta["corrections"]``, as read) applied,
    and a CORRECTION flag for each that could not be; a pure function."""
    if corrections is None:
        return report, []
    sidecar = report.source + SIDECAR
    if not isinstance(corrections, dict):
        return report, [_problem(sidecar, None, "corrections 应为“点分键: {value: 数值, reason: 原因}”的键值对，整段已忽略")]
    figures, provenance = dict(report.figures), dict(report.provenance)
    done: list[Correction] = []
    flags: list[Flag] = []
    for key, entry in corrections.items():
        key = str(key)
        why = _invalid(key, entry)
        if why is not None:
            flags.append(_problem(sidecar, key, why))
            continue
        value, reason = entry["value"], str(entry["reason"]).strip()
        parsed = report.figures.get(key)
        if parsed == value:
            shown = "未载明（null）" if value is None else repr(value)
            flags.append(_problem(sidecar, key, f"报告现在读出的值已是 {shown}，与校正值相同，这条校正可以删除"))
            continue
        for target in (key, *_twins(key, report)):
            done.append(Correction(target, report.figures.get(target), value, reason))
            figures[target] = value
            provenance[target] = "corrected"
    if not done:
        return report, flags
    return replace(report, figures=figures, provenance=provenance, corrections=tuple(done)), flags


def _twins(key: str, report: Report) -> tuple[str, ...]:
    """The figure a request summary key and its row's 总计 cell share, when the report has both."""
    parts = key.split(".")
    if len(parts) == 2 and parts[0] == "requests" and parts[1] in SUMMARY:
        twin = f"requests.matrix.{parts[1]}.total"
    elif len(parts) == 4 and parts[:2] == ["requests", "matrix"] and parts[2] in SUMMARY and parts[3] == "total":
        twin = f"requests.{parts[2]}"
    else:
        return ()
    return (twin,) if twin in report.figures else ()


def _invalid(key: str, entry: object) -> str | None:
    """Why a correction cannot be applied, in Chinese; None if it can."""
    if key not in KEYS:
        if key in METADATA:
            return f"{key} 是元数据，不是数字：请写在旁注文件顶层（{key}: …），不放在 corrections 下；已忽略"
        return "不是数据格式（SCHEMA.md）中的数字键，已忽略；键的写法如 requests.received、proactive.total"
    if not isinstance(entry, dict) or "value" not in entry:
        return "应写成 {value: 数值, reason: 原因}，已忽略"
    unknown = [str(k) for k in entry if k not in ("value", "reason")]
    if unknown:
        return f"含有未知的项 {unknown[0]}（只可用 value、reason），已忽略"
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        return "缺少校正原因（reason），已忽略；请写明为什么改"
    return _wrong_type(key, entry["value"])


def _wrong_type(key: str, value: Value | object) -> str | None:
    if value is None:
        return None  # the report does not state it after all
    if key in LABELLED:
        if isinstance(value, dict) and value and all(isinstance(k, str) and _count(v) for k, v in value.items()):
            return None
        return f"值 {_shown(value)} 类型不对：应为“名称: 条数”的键值对，已忽略"
    if key in MONEY:
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return None
        return f"值 {_shown(value)} 类型不对：应为不小于 0 的金额（数字），已忽略"
    if _count(value):
        return None
    return f"值 {_shown(value)} 类型不对：应为不小于 0 的整数（件数、条数），已忽略"


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _problem(sidecar: str, key: str | None, why: str) -> Flag:
    where = f" 中的校正项 {key}：" if key else "："
    return Flag("CORRECTION", "warning", f"旁注文件 {sidecar}{where}{why}")
