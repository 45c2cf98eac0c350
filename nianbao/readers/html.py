"""A page saved from a government site -> the report's lines.

Menus, breadcrumbs, site headers and logos, "字号/分享/打印" toolbars, scripts and
footers are dropped; block elements become lines; ``<table>`` rows become
tab-separated cells with colspan and rowspan expanded (a merged cell's text at
its first position, empty cells at the others), so the table reader sees the
grid as printed. A layout table (older sites put the whole article, or the menu
beside it, in table cells) is read as blocks, not as one row of squashed cells.

libxml2 keeps at most 256 levels of nesting and drops what lies deeper; a page
nested deeper than that (10^5 ``<div>``, 2*10^4 ``<table>``) has its container
tags beyond level ``MAX_DEPTH`` removed before parsing, so its text still comes
out; a page that still yields nothing says which limit it hit.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from nianbao.readers.text import Unreadable

MAX_DEPTH = 200  # container tags nested deeper than this are removed (libxml2 drops content below 256 levels)

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
    r"fontsize|font-size|print|copyright|topbar|header-nav|pagination|related|xgxx|wzdh|dqwz|logo|banner)([\s_-]|$)",
    re.I,
)
_CHROME_TOKEN = re.compile(r"^(?:header|top|head|site-?header|site-?top)$", re.I)  # a whole class or id: the site's header
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


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows, not those of a table nested in one of its cells."""
    return [tr for tr in table.iter("tr") if _owner(tr) is table]


def _owner(el: etree._Element) -> etree._Element | None:
    node = el.getparent()
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node


def _is_layout(table: etree._Element, rows: list[etree._Element]) -> bool:
    """A table used for page layout: a cell holds another table, or long prose, or sentences in a table of a few
    rows (a note in a cell of a template table does not make it one)."""
    for tr in rows:
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            if cell.find(".//table") is not None:
                return True
            text = "".join(cell.itertext())
            if len(text) > 300 or ("。" in text and len(text) > 30 and len(rows) < 4):
                return True
    return False


def _table_lines(table: etree._Element, rows: list[etree._Element]) -> list[str]:
    grid: list[list[str]] = []
    carry: dict[tuple[int, int], str] = {}  # (row, col) -> "" filled by a rowspan above
    for r, tr in enumerate(rows):
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
        rows = _rows(child) if tag == "table" else []
        if tag == "table" and not _is_layout(child, rows):
            out.extend(_table_lines(child, rows))
            out.append("")
        elif tag == "pre":  # preformatted text (a plain-text report, pdftotext's columns): its line breaks are lines
            out.extend(["", *"".join(child.itertext()).split("\n"), ""])
        elif tag in _BLOCK or tag in ("table", "tr", "td", "th", "tbody", "thead", "tfoot"):
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


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_CONTAINERS = {
    "div",
    "table",
    "tbody",
    "thead",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "span",
    "font",
    "center",
    "ul",
    "ol",
    "li",
    "blockquote",
    "dl",
    "dd",
    "form",
    "main",
    "b",
    "strong",
    "em",
    "i",
    "u",
    "a",
    "p",
}


_TABLE_PARTS = {"tbody", "thead", "tfoot", "tr", "td", "th"}


def _flatten(page: str, limit: int = MAX_DEPTH) -> str:
    """``page`` with the container tags nested deeper than ``limit`` removed (a block tag becomes a line break).
    A table's rows and cells go with their table: kept or removed together, never a row without its cells."""
    out: list[str] = []
    stack: list[tuple[str, bool, bool | None]] = []  # (tag, removed, removed flag of the nearest table)
    open_tags: dict[str, int] = {}
    last = 0
    for m in _TAG.finditer(page):
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if name not in _CONTAINERS or selfclosing:
            continue
        if closing:
            if not open_tags.get(name):
                continue
            while stack:
                tag, removed, _ = stack.pop()
                open_tags[tag] -= 1
                if tag == name:
                    break
        else:
            table = stack[-1][2] if stack else None
            removed = table if name in _TABLE_PARTS and table is not None else len(stack) >= limit
            stack.append((name, removed, removed if name == "table" else table))
            open_tags[name] = open_tags.get(name, 0) + 1
        if removed:
            out.append(page[last : m.start()])
            out.append("<br>" if name in _BLOCK or name in _TABLE_PARTS or name == "table" else "")
            last = m.end()
    out.append(page[last:])
    return re.sub(r"(?:<br>\s*){3,}", "<br><br>", "".join(out))


def _is_menu(el: etree._Element) -> bool:
    """A list or cell of nothing but links (two or more): a menu beside the article."""
    if el.tag not in ("ul", "ol", "td", "div", "dl", "table"):
        return False
    links = list(el.iter("a"))
    if len(links) < 2:
        return False
    text = re.sub(r"\s", "", "".join(el.itertext()))
    linked = sum(len(re.sub(r"\s", "", "".join(a.itertext()))) for a in links)
    return 0 < len(text) < 600 and linked >= 0.9 * len(text)


def _depth(root: etree._Element) -> int:
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in node)
    return deepest


def html_text(page: str) -> str:
    """HTML source -> plain lines of the report, chrome removed."""
    page = re.sub(r"^\s*<\?xml[^>]*\?>", "", page)
    if not page.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(page)
        if _depth(root) >= 250:  # at libxml2's limit of 256 levels: what lay deeper is gone; parse it flattened
            root = lxml.html.document_fromstring(_flatten(page))
    except (etree.ParserError, ValueError):
        return ""
    if _depth(root) >= 250:
        raise Unreadable(f"网页嵌套超过 {MAX_DEPTH} 层且无法展平（HTML 解析器最多 256 层），已跳过；请另存为纯文本")
    for el in list(root.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        whole = any(_CHROME_TOKEN.match(token) for token in marks.split())
        if el.tag in ("header",) or ((_CHROME.search(marks) or whole) and len("".join(el.itertext())) < 600) or _is_menu(el):
            el.drop_tree()
    body = root.find("body")
    out = [""]
    _walk(body if body is not None else root, out)
    lines = [re.sub(r"[ \t\r\n\u3000\xa0]+$", "", line.replace("\n", " ")) for line in out]
    kept = [line for line in lines if not _CHROME_TEXT.match(line)]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip() + "\n"
