"""A page saved from a government site -> the report's lines.

Menus, breadcrumbs, "字号/分享/打印" toolbars, scripts and footers are dropped;
block elements become lines; ``<table>`` rows become tab-separated cells with
colspan and rowspan expanded, so the table reader sees the grid as printed.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "footer",
    "aside",
    "form",
    "iframe",
    "select",
    "button",
    "template",
    "svg",
    "head",
    "object",
    "embed",
)
_CHROME = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumb|crumbs?|footer|foot|share|toolbar|sidebar|position|location|"
    r"fontsize|font-size|print|copyright|topbar|header-nav|pagination|related|xgxx|wzdh|dqwz)([\s_-]|$)",
    re.I,
)
_CHROME_TEXT = re.compile(
    r"^\s*(?:【?\s*字号|分享到|打印本页|关闭窗口|\[?\s*打印\s*\]?|\[?\s*关闭\s*\]?|当前位置|您现在的位置|首页\s*[>›»])"
)
_BLOCK = {
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "pre",
    "blockquote",
    "dd",
    "dt",
    "dl",
    "hr",
    "center",
    "address",
    "figure",
    "figcaption",
    "caption",
    "main",
}


def _cell_text(cell: etree._Element) -> str:
    return re.sub(r"\s+", "", "".join(cell.itertext())) if cell.tag != "pre" else "".join(cell.itertext())


def _table_lines(table: etree._Element) -> list[str]:
    grid: list[list[str]] = []
    carry: dict[tuple[int, int], str] = {}  # (row, col) -> "" filled by a rowspan above
    for r, tr in enumerate(table.iter("tr")):
        row: list[str] = []
        col = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, col) in carry:
                row.append(carry.pop((r, col)))
                col += 1
            span = _int(cell.get("colspan"))
            down = _int(cell.get("rowspan"))
            row.append(_cell_text(cell))
            row.extend([""] * (span - 1))
            for extra_r in range(1, down):
                for c in range(col, col + span):
                    carry[(r + extra_r, c)] = ""
            col += span
        while (r, col) in carry:
            row.append(carry.pop((r, col)))
            col += 1
        grid.append(row)
    return ["\t".join(row) for row in grid if any(cell for cell in row)]


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 50))
    except ValueError:
        return 1


def _walk(node: etree._Element, out: list[str]) -> None:
    for child in node:
        if not isinstance(child.tag, str):
            if child.tail:
                out[-1] += child.tail
            continue
        tag = child.tag.lower()
        if tag == "table":
            out.extend(_table_lines(child))
            out.append("")
        elif tag in _BLOCK:
            out.append("")
            if child.text:
                out[-1] += child.text
            _walk(child, out)
            out.append("")
        else:
            if child.text:
                out[-1] += child.text
            _walk(child, out)
        if child.tail:
            out[-1] += child.tail


def html_text(page: str) -> str:
    """HTML source -> plain lines of the report, chrome removed."""
    page = re.sub(r"^\s*<\?xml[^>]*\?>", "", page)
    if not page.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return ""
    for el in list(root.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag in ("header",) or (_CHROME.search(marks) and len("".join(el.itertext())) < 600):
            el.drop_tree()
    body = root.find("body")
    out = [""]
    _walk(body if body is not None else root, out)
    lines = [re.sub(r"[ \t\r\n\u3000\xa0]+$", "", line.replace("\n", " ")) for line in out]
    kept = [line for line in lines if not _CHROME_TEXT.match(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip() + "\n"
