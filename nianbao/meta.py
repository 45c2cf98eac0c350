"""What a report says of itself outside its text: a Markdown file's front matter and the sidecar file
``<report file name>.yaml`` beside a report of any format (SCHEMA.md, "Sidecar file").

Both are read by one bounded YAML reader and checked by one validator against the schema: a value of
the wrong type, a date that is not one, a year out of range or a key the schema does not know is a
named problem, and the rest of the metadata (and the build) goes on. The reader never expands an
alias and never turns a date into an object (``published: 2019-02-30`` is a string found wrong here,
not a ValueError deep in PyYAML), so a file cannot make it take gigabytes or minutes.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, ClassVar

import yaml

SIDECAR = ".yaml"  # appended to the report's file name
AGENCIES = "agencies.yaml"  # at the top of the content folder: the user's merges of agency names (identity.py)
MAX_YAML = 64 * 1024  # bytes of front matter or sidecar, at most: metadata is a few lines
YEARS = range(2008, 2100)  # the regulations took effect in 2008; the first reports are of that year
METADATA = ("agency", "year", "published", "region")
KNOWN = (*METADATA, "corrections")  # corrections: applied by the parser (kept here as read)
_REGION_KEYS = ("province", "city", "county")
_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")
_YEAR = re.compile(r"(\d{4})(?:年度?)?")


class _Refused(Exception):
    """The YAML asks for something this reader does not do (an alias); the message says what, in Chinese."""


class _Loader(yaml.SafeLoader):  # type: ignore[misc]  # (yaml has no type stubs here)
    """SafeLoader without aliases and without timestamps: dates stay the strings they were written as."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {
        first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):  # a billion laughs is aliases of aliases: none is taken
            raise _Refused("不支持 YAML 别名（*名称），请直接写出取值")
        return super().compose_node(parent, index)


def read_yaml(text: str, first_line: int = 0) -> tuple[object, str | None]:
    """The value a metadata YAML text holds, or (None, why it cannot be read, in Chinese; its line numbers
    counted from ``first_line`` + 1)."""
    if len(text.encode("utf-8")) > MAX_YAML:
        return None, f"超过 {MAX_YAML // 1024} KB，不像元数据"
    try:
        return yaml.load(text, Loader=_Loader), None  # _Loader is a SafeLoader
    except _Refused as exc:
        return None, str(exc)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        return None, f"第{mark.line + 1 + first_line}行有误：{exc.problem}" if mark else f"有误：{exc.problem}"
    except RecursionError:
        return None, "嵌套过深"
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:  # an explicit !!tag given a bad value
        return None, f"有误：{exc}"


def validate(raw: object) -> tuple[dict[str, Any], list[str]]:
    """The metadata of a front matter or sidecar's value ``raw``, each as the parser takes it (agency str,
    year int, published 'YYYY-MM-DD' or 'YYYY-MM', region a dict of str or None, or a str to find one in;
    corrections as written), and what is wrong with the rest, in Chinese, one message for each key."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, [f"应为键值对（{'、'.join(METADATA)}），却是{_kind(raw)}，已忽略"]
    meta: dict[str, Any] = {}
    wrong: list[str] = []
    for key, value in raw.items():
        if key not in KNOWN:
            wrong.append(f"未知的键 {_shown(key)}，已忽略；可用的键：{'、'.join(KNOWN)}")
            continue
        if key == "corrections" or value is None:
            if value is not None:
                meta[key] = value
            continue
        checked, why = _CHECKS[key](value)
        if why is None:
            meta[key] = checked
        else:
            wrong.append(f"{key} 的值 {_shown(value)} {why}，已忽略该项")
    return meta, wrong


def _agency(value: object) -> tuple[object, str | None]:
    if not isinstance(value, str):
        return None, f"应为机关名称（文字），却是{_kind(value)}"
    return (value.strip(), None) if value.strip() else (None, "为空")


def _year(value: object) -> tuple[object, str | None]:
    year = None
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, str) and (m := _YEAR.fullmatch(value.strip())):
        year = int(m.group(1))
    if year is None:
        return None, f"应为四位数的年度（如 2019），却是{_kind(value)}"
    if year not in YEARS:
        return None, f"不在 {YEARS.start}–{YEARS.stop - 1} 年之间"
    return year, None


def _published(value: object) -> tuple[object, str | None]:
    if not isinstance(value, str) or not _DATE.fullmatch(value.strip()):
        return None, "应为日期 YYYY-MM-DD（或只有年月 YYYY-MM）"
    text = value.strip()
    try:
        datetime.date.fromisoformat(text if len(text) == 10 else f"{text}-01")
    except ValueError:
        return None, "不是有效的日期"
    return text, None


def _region(value: object) -> tuple[object, str | None]:
    if isinstance(value, str):
        return (value.strip(), None) if value.strip() else (None, "为空")
    if not isinstance(value, dict):
        return None, f"应为地区名称，或含 {'、'.join(_REGION_KEYS)} 的键值对，却是{_kind(value)}"
    unknown = [k for k in value if k not in _REGION_KEYS]
    if unknown:
        return None, f"含有未知的键 {_shown(unknown[0])}（可用 {'、'.join(_REGION_KEYS)}）"
    bad = next((k for k, v in value.items() if v is not None and not (isinstance(v, str) and v.strip())), None)
    if bad is not None:
        return None, f"中 {bad} 应为地名（文字），却是{_kind(value[bad])}"
    return {k: value[k].strip() if isinstance(value.get(k), str) else None for k in _REGION_KEYS}, None


_CHECKS = {"agency": _agency, "year": _year, "published": _published, "region": _region}


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "真假值"
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, str):
        return "文字" if value.strip() else "空文字"
    names: dict[type, str] = {list: "列表", dict: "键值对"}
    return names.get(type(value), type(value).__name__)


def _shown(value: object) -> str:
    """A value as a message quotes it: short, whatever it is."""
    text = (value or '""') if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:40] + "…"
