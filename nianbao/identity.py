"""One office under its several names: the user's own merges, from ``agencies.yaml`` in the content folder.

The parser gives every report an ``agency_id`` (its region's code and its core name), which already joins
``郭巨街道`` and ``北仑区人民政府郭巨街道办事处`` when both are placed in 北仑区. What it cannot know (a name
with no region, a renamed office) a person says in one small file::

    # content/agencies.yaml: each list is one office; its first name is the one the site shows
    - [北仑区郭巨街道, 郭巨街道办事处, 郭巨街道]
    - [宁波市北仑区交通运输局, 北仑区交通局]

A name in a list matches a report's agency as printed or its ``agency_id``. Nothing else is merged: two
reports whose names only look alike stay apart until a person lists them.
"""

from __future__ import annotations

from pathlib import Path

from nianbao.meta import AGENCIES, read_yaml
from nianbao.model import Problem, Report


def read_merges(content: Path) -> tuple[list[list[str]], list[Problem]]:
    """The lists of ``content/agencies.yaml`` (none when there is no such file), and what is wrong in it."""
    path = content / AGENCIES
    if not path.is_file() or path.is_symlink():
        return [], []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(AGENCIES, "load", f"机关合并文件读不了（{exc}），已忽略")]
    data, why = read_yaml(text)
    if why:
        return [], [Problem(AGENCIES, "load", f"机关合并文件不是有效的 YAML（{why}），已忽略")]
    if data is None:
        return [], []
    groups, problems = [], []
    if not isinstance(data, list):
        why = "机关合并文件应是一个列表，每项是同一机关的几个名称，如 - [郭巨街道, 北仑区郭巨街道办事处]"
        return [], [Problem(AGENCIES, "load", why)]
    for i, item in enumerate(data, start=1):
        names = [str(n).strip() for n in item if isinstance(n, str) and str(n).strip()] if isinstance(item, list) else []
        if len(names) < 2 or len(names) != len(item):
            problems.append(Problem(AGENCIES, "load", f"第 {i} 项应列出同一机关的至少两个名称（文字），已忽略"))
        else:
            groups.append(names)
    return groups, problems


def merged(reports: list[Report], groups: list[list[str]]) -> tuple[list[Report], list[Problem]]:
    """The reports with the ``agency_id`` of the lists they fall in; a name listed in two lists is a problem."""
    key_of: dict[str, str] = {}
    problems = []
    for names in groups:
        for name in names:
            if key_of.setdefault(name, names[0]) != names[0]:
                problems.append(Problem(AGENCIES, "load", f"“{name}”列在两个机关里，只按第一个合并"))
    out = []
    for report in reports:
        key = key_of.get(report.agency or "") or key_of.get(report.agency_id or "")
        out.append(report.changed(agency_id=key) if key and key != report.agency_id else report)
    return out, problems
