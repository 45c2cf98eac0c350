"""A Markdown report -> its lines as printed, markup read by markdown-it-py, every line where the file has it.

The file is parsed with markdown-it-py (CommonMark and GFM pipe tables); each block token's ``map`` says which
source lines it came from, and its text goes back on those lines: a heading without its ``#``, a list item
without its bullet (an ordered item keeps its number, ``1.``), a quote without its ``>``, a paragraph without
emphasis marks or inline HTML (``<br>`` in a cell a converter wrote), and a pipe table's row as one line, its
cells tab-separated (the form the html, docx and pdf readers give). Lines no token gives text to (blank lines,
rules, a table's ``|---|`` row, front matter that ``nianbao.load`` blanked) are empty, so line ``n`` of the result
is line ``n`` of the file and evidence cites the file's own lines. A table a converter wrote as HTML (MinerU and
marker write a table with merged cells as ``<table>``, often on one line) is read by the html reader, one row a
line, its cells tab-separated; the rows beyond the lines the HTML took are inserted, so after such a table line
numbers count the text the report's page shows, not the file's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

# the breaks the parser counts lines by (nianbao.parse.lines); markdown-it counts only \n, \r\n and \r
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
_PIPE = re.compile(r"(?<!\\)\|")  # a cell boundary: a pipe not escaped
_HTML_TABLE = re.compile(r"<table\b", re.I)
_PAGE_MARK = re.compile(r"^\s*-\s*\d+\s*-\s*$")
_parser = None


def markdown_text(text: str) -> str:
    """Markdown source -> the same number of lines, each the readable text of that source line."""
    source = _LINE_BREAK.split(text)
    out = [""] * len(source)
    more: dict[int, list[str]] = {}  # source line -> the rows of an HTML table that do not fit its lines
    prefix = ""  # an ordered list item's number, for the first line of its text
    for token in _tokens("\n".join(source)):
        if token.map is None:
            continue
        first, end = token.map
        if token.type == "list_item_open":
            prefix = f"{token.info}{token.markup} " if token.info else ""
            if _PAGE_MARK.match(source[first]):
                prefix = "- "  # "- 3 -" is a page's number a converter kept, not a list item: it stays as printed
        elif token.type == "inline" and token.meta.get("cell"):
            continue  # a cell's text: its row (tr_open) places it
        elif token.type == "inline":
            _place(out, source, first, end, prefix + _plain(token))
            prefix = ""
        elif token.type == "tr_open":
            cells = [_plain(cell) for cell in token.meta.get("cells", [])]
            if token.level == 2:  # a table at the top level (not in a quote or a list): its line is only the row
                cells = _with_excess(cells, source[first])
            out[first] = "\t".join(cells)
        elif token.type == "html_block" and _HTML_TABLE.search(token.content):
            rows = _html_rows(token.content)
            out[first:end] = rows[: end - first] + [""] * (end - first - len(rows))
            more[end - 1] = rows[end - first :]
        elif token.type in ("code_block", "fence", "html_block"):
            body = first + 1 if token.type == "fence" else first
            _place(out, source, body, end, token.content.rstrip("\n"))
    if more:
        out = [line for i, text in enumerate(out) for line in (text, *more.get(i, ()))]
    return "\n".join(out)


def _html_rows(block: str) -> list[str]:
    """An HTML block holding a table -> its text as the html reader gives it, blank lines left out."""
    from nianbao.readers.html import html_text

    return [line for line in html_text(block).split("\n") if line.strip()]


def _tokens(source: str) -> list[Token]:
    """Block tokens, a table row's ``tr_open`` holding its cells' inline tokens in ``meta['cells']``."""
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt

        _parser = MarkdownIt("commonmark").enable("table")
    tokens = _parser.parse(source)
    row: Token | None = None
    for token in tokens:
        if token.type == "tr_open":
            row = token
            row.meta["cells"] = []
        elif token.type == "tr_close":
            row = None
        elif token.type == "inline" and row is not None:
            row.meta["cells"].append(token)
            token.meta["cell"] = True
    return tokens


def _plain(token: Token) -> str:
    """An inline token's text: emphasis marks, links' targets and inline HTML left out, breaks kept as lines."""
    parts = []
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type in ("text", "code_inline", "image"):
            parts.append(child.content)
    return "".join(parts)


def _with_excess(cells: list[str], line: str) -> list[str]:
    """A row's cells; cells beyond the header's count, which markdown-it leaves out, taken from the line itself."""
    raw = [cell.strip().replace("\\|", "|") for cell in _PIPE.split(line.strip().strip("|"))]
    return cells + raw[len(cells) :] if len(raw) > len(cells) else cells


def _place(out: list[str], source: list[str], first: int, end: int, text: str) -> None:
    """Put ``text``'s lines on source lines ``first``.. (at most up to ``end``); if they do not fit, the source
    lines as they are (a block whose lines markdown-it joined or split some other way)."""
    lines = text.split("\n")
    if first + len(lines) > end:
        lines = source[first:end]
    out[first : first + len(lines)] = lines
