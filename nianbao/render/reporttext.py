"""A report's printed text -> readable HTML, every extracted figure marked.

The text is turned into Markdown that says only what we recognise (headings
一、（一）1., tables from tab or pipe cells, paragraphs), with every other ASCII
punctuation mark escaped, and rendered by markdown-it-py with raw HTML off: what
a report prints is shown as text, never run. Each block carries the number of
the line it came from (``id="L12"``), and each figure the parser took from that
line is wrapped in ``<mark id="f-…">`` so the data table can link to it.
"""

from __future__ import annotations

import functools
import html
import re
from collections import defaultdict

from markdown_it import MarkdownIt
from markdown_it.token import Token

from nianbao.model import Report
from nianbao.parse.lines import normalise, source_lines

# only what _markdown writes: headings, tables, paragraphs and backslash escapes; raw HTML off
_md = MarkdownIt("zero", {"html": False}).enable(["heading", "table", "escape"])
_ESCAPE = re.compile(r"([!-/:-@\[-`{-~])")
_H2 = re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.]|^第[一二三四五六七八九十]+[部分章节]")
_H3 = re.compile(r"^\(\s*[一二三四五六七八九十]{1,3}\s*\)")
_H4 = re.compile(r"^\d{1,2}\s*[.、](?!\d)")
LONG = 4000  # a longer line is shown as escaped text, outside Markdown (whose escapes cost per character)
_RULE_ROW = re.compile(r"^\|?\s*:?-{3,}")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def figure_id(key: str) -> str:
    return "f-" + re.sub(r"[^\w-]+", "-", key)


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _cells(raw: str) -> list[str] | None:
    text = raw.strip()
    if len(text) > LONG:
        return None
    if text.startswith("|") and text.count("|") >= 2:
        return [c.strip() for c in text.strip("|").split("|")]
    if "\t" in text:
        return [c.strip() for c in text.split("\t")]
    return None


_MAY_HEAD = set("一二三四五六七八九十第(（0123456789０１２３４５６７８９")


def _heading(text: str) -> int:
    if text.strip()[:1] not in _MAY_HEAD:
        return 0
    norm = normalise(text).strip()
    if len(norm) > 40:
        return 0
    if _H2.match(norm):
        return 2
    if _H3.match(norm):
        return 3
    if _H4.match(norm) and len(norm) <= 30:
        return 4
    return 0


def _markdown(raws: list[str]) -> tuple[str, dict[int, int], set[int]]:
    """Markdown for the printed lines, which Markdown line came from which printed line, and
    which Markdown lines stand for long lines."""
    out: list[str] = []
    origin: dict[int, int] = {}
    long: set[int] = set()
    i = 0
    while i < len(raws):
        raw = raws[i]
        if not raw.strip():
            i += 1
            continue
        rows: list[tuple[int, list[str]]] = []
        while i < len(raws) and (cells := _cells(raws[i])) is not None:
            if not _RULE_ROW.match(raws[i].strip()):
                rows.append((i + 1, cells))
            i += 1
        if len(rows) >= 2:
            width = max(len(cells) for _, cells in rows)
            for n, (number, cells) in enumerate(rows):
                origin[len(out)] = number
                padded = [_escape(c) for c in cells] + [""] * (width - len(cells))
                out.append("| " + " | ".join(padded) + " |")
                if n == 0:
                    out.append("|" + "---|" * width)
            out.append("")
            continue
        if rows:  # a single row with tabs reads as a line of text
            i -= 1
            raw = raws[i]
        origin[len(out)] = i + 1
        if len(raw) > LONG:
            long.add(len(out))
            out += ["long", ""]
            i += 1
            continue
        level = _heading(raw)
        text = _escape(" ".join(raw.split()))
        out.append(("#" * level + " " if level else "") + text)
        out.append("")
        i += 1
    return "\n".join(out), origin, long


@functools.lru_cache(maxsize=4096)
def _value_pattern(value: int | float) -> re.Pattern[str]:
    digits = str(value) if isinstance(value, int) or not float(value).is_integer() else str(int(value))
    body = "[,，]?".join(re.escape(d) for d in digits)
    return re.compile(rf"(?<![\d.]){body}(?![\d]|\.\d)")


def _figures_by_line(report: Report) -> dict[int, list[tuple[str, int | float]]]:
    by_line: dict[int, list[tuple[str, int | float]]] = defaultdict(list)
    for key, evidence in report.evidence.items():
        value = report.figures.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            by_line[evidence.line].append((key, value))
        elif isinstance(value, dict):
            by_line[evidence.line] += [(f"{key}.{k}", v) for k, v in value.items() if isinstance(v, int | float)]
    return by_line


def _mark(inlines: list[Token], figures: list[tuple[str, int | float]]) -> set[str]:
    """Wrap each figure's first unmarked occurrence, scanning the line's text in order."""
    texts = [(tok, child) for tok in inlines for child in (tok.children or []) if child.type == "text"]
    joined = "\x00".join(child.content.translate(_FULLWIDTH_DIGITS) for _, child in texts)
    taken: list[tuple[int, int, str]] = []
    cursor = 0
    for key, value in figures:
        pattern = _value_pattern(value)
        free = [m for m in pattern.finditer(joined) if not any(s < m.end() and m.start() < e for s, e, _ in taken)]
        after = [m for m in free if m.start() >= cursor]
        m = (after or free or [None])[0]
        if m is not None:
            taken.append((m.start(), m.end(), key))
            cursor = m.end()
    if not taken:
        return set()
    offset = 0
    spans_by_child: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for index, (_, child) in enumerate(texts):
        end = offset + len(child.content)
        for s, e, key in taken:
            if offset <= s and e <= end:
                spans_by_child[index].append((s - offset, e - offset, key))
        offset = end + 1
    for index, spans in spans_by_child.items():
        tok, child = texts[index]
        pieces: list[Token] = []
        pos = 0
        for s, e, key in sorted(spans):
            pieces.append(_text(child.content[pos:s]))
            pieces.append(Token("mark_open", "mark", 1, attrs={"id": figure_id(key), "class": "fig", "title": key}))
            pieces.append(_text(child.content[s:e]))
            pieces.append(Token("mark_close", "mark", -1))
            pos = e
        pieces.append(_text(child.content[pos:]))
        children = tok.children or []
        at = children.index(child)
        tok.children = children[:at] + [p for p in pieces if p.type != "text" or p.content] + children[at + 1 :]
    return {key for _, _, key in taken}


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _long_lines_as_text(tokens: list[Token], raws: list[str], origin: dict[int, int], long: set[int]) -> list[Token]:
    """Each long-line placeholder paragraph -> the line, HTML-escaped, as one block."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        first = tokens[i].map[0] if tokens[i].map else None
        if tokens[i].type == "paragraph_open" and first in long:
            number = origin[first]
            block = Token("html_block", "", 0)
            text = html.escape(" ".join(raws[number - 1].split()))
            block.content = f'<p id="L{number}" data-line="{number}" class="long">{text}</p>\n'
            out.append(block)
            i += 3
            continue
        out.append(tokens[i])
        i += 1
    return out


def render_report_text(report: Report) -> tuple[str, set[str]]:
    """(HTML of the report's text, keys of the figures marked in it)."""
    raws = source_lines(report.text)
    source, origin, long = _markdown(raws)
    tokens = _long_lines_as_text(_md.parse(source), raws, origin, long)
    figures = _figures_by_line(report)
    inlines: dict[int, list[Token]] = defaultdict(list)
    line = 0
    for tok in tokens:
        if tok.type in ("heading_open", "paragraph_open", "tr_open") and tok.map and tok.map[0] in origin:
            line = origin[tok.map[0]]
            tok.attrSet("id", f"L{line}")
            tok.attrSet("data-line", str(line))
            if line in figures:
                tok.attrJoin("class", "ev")
        elif tok.type == "inline" and line in figures:
            inlines[line].append(tok)
    marked: set[str] = set()
    for number, tokens_of_line in inlines.items():
        marked |= _mark(tokens_of_line, figures[number])
    return _md.renderer.render(tokens, _md.options, {}), marked
