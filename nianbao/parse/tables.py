"""Rules reading the three template tables of gb2019 / gb2021 reports.

二、主动公开政府信息情况 (第二十条 rows), 三、收到和处理政府信息公开申请情况 (the
7-column request matrix) and 四、行政复议、行政诉讼情况 (15 numbers). Each table is
found by its heading or first row, read into labelled rows by ``cells``, and
checked against its own sum rules where a layout leaves a doubt.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from nianbao.model import Evidence, Fact, Flag, Line
from nianbao.parse import solver, vocab
from nianbao.parse.cells import PAGE_MARK, UNKNOWN, Labels, Row, as_counts, line_events, numbers_in, place_unknown, read_rows

_REQUEST_PATTERNS = [(key, re.compile(p)) for key, p in vocab.REQUEST_ROWS]
_ANY_REQUEST_LABEL = re.compile("|".join(f"(?:{p})" for _, p in vocab.REQUEST_ROWS) + r"|其他")
_PROACTIVE_PATTERNS = [(key, re.compile(p)) for key, p in vocab.PROACTIVE_ROWS]
_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.]")
_REVIEW_HEADING = re.compile(r"行政复议.{0,3}行政诉讼|复议.{0,2}诉讼情况")
_SENTENCE_MARKS = re.compile(r"[。;；]|[,，、].*[,，、]")
_NOTE = re.compile(r"\([^()]*\)")
_FIGURE_NEXT = re.compile(r"[^\s\d|(]{0,8}(?:\([^()]*\))?[\s|]*-?\d")  # the rest of the label (a note), a figure
_AFTER_REVIEW = re.compile(r"存在的主要问题|其他需要报告|改进情况|主要问题")


@dataclass
class TableResult:
    facts: list[Fact] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    lines_used: set[int] = field(default_factory=set)
    _evidence: dict[int, Evidence] = field(default_factory=dict)  # one per line, shared by its cells

    def add(self, key: str, value: int | float | None, line: Line, how: str = "table") -> None:
        if value is not None:
            evidence = self._evidence.get(line.number)
            if evidence is None:
                evidence = self._evidence[line.number] = Evidence(line.number, line.raw)
            self.facts.append(Fact(key, value, evidence, how))

    def unparsed(self, what: str, line: Line | None) -> None:
        where = f"第{line.number}行" if line else ""
        self.flags.append(Flag("UNPARSED_TABLE", "warning", f"{what}{where}未能完整读取，相关数字记为未载明"))


def _request_matcher(text: str, context: str | None) -> Labels:
    # "3、其他" is a row of the 其他处理 group after its sub-rows, or after the group's own label repeated on its line
    return _request_labels(text, bool(context and (context == "other" or context.startswith("other."))))


@functools.lru_cache(maxsize=4096)  # template labels recur in every report: look each up once
def _request_labels(text: str, in_other_group: bool) -> Labels:
    if not _ANY_REQUEST_LABEL.search(text):
        return ()
    found: dict[str, tuple[int, int, str]] = {}
    for key, pattern in _REQUEST_PATTERNS:
        m = pattern.search(text)
        if m and key not in found:
            found[key] = (m.start(), m.end(), key)
    other = vocab.OTHER_OTHER.search(text) if in_other_group else None
    if other is None and "other.no_fee" in found:  # the group's rows on one line: "… 2、…收费通知… 6 0 … 3、其他 108 …"
        other = vocab.OTHER_OTHER_IN_LINE.search(text, found["other.no_fee"][1])
    if other:
        found["other.other"] = (other.start(), other.end(), "other.other")
    if "other" in found and re.match(r"\s*\d\s*[.、]", text[found["other"][1] :]):
        del found["other"]  # "(六)其他处理1.申请…": the group label, a sub-row follows
    if "other" in found:
        end = found["other"][1]
        after = min((start for start, _, _ in found.values() if start >= end), default=None)
        if after is not None and not numbers_in(text[end:after]):
            del found["other"]  # "(六)其他处理  1.申请人…逾期不补正": the sub-row owns the numbers
    return tuple(sorted(found.values()))


def _proactive_matcher(text: str, context: str | None) -> Labels:
    return _proactive_labels(text)


@functools.lru_cache(maxsize=4096)
def _proactive_labels(text: str) -> Labels:
    out = []
    for key, pattern in _PROACTIVE_PATTERNS:
        for m in pattern.finditer(text):
            if m.start() <= 6 or _FIGURE_NEXT.match(text, m.end()):
                out.append((m.start(), m.end(), key))
    out.sort()
    # the label a line starts with; and any other one a figure follows (a crawler's table on one line)
    return tuple(out[:1] + [label for label in out[1:] if _FIGURE_NEXT.match(text, label[1])])


def _sum_ok(cells: Sequence[int | float | None]) -> bool:
    numbers = [c for c in cells if c is not None]
    return len(numbers) == len(cells) and sum(numbers[:-1]) == numbers[-1]


Cell = int | float | None


@dataclass
class Printed:
    """A row's cells as printed, which of them are blank, and the line each is on."""

    cells: list[Cell]
    blank: list[bool]
    lines: list[Line]


def _row_cells(row: Row, width: int, summed: bool) -> Printed | None:
    """The ``width`` cells of a row as printed; None when the row does not have that many cells."""
    cells = list(row.cells)
    while cells and cells[-1] is None:
        cells.pop()
    if len(cells) < width:
        return None
    starts = range(len(cells) - width + 1)
    if summed:  # the last cells that add up (numbers before them may be a label's)
        start = next((i for i in reversed(starts) if _sum_ok(cells[i : i + width])), starts[-1])
        if len(cells) > width and not _sum_ok(cells[start : start + width]):
            return None  # more figures than cells and none that add up: which are the cells is not printed
    else:  # the cells right after the label; numbers further on belong to rows not recognised
        start = next((i for i in starts if None not in cells[i : i + width]), 0)
    window = slice(start, start + width)
    return Printed(cells[window], [raw == "" for raw in row.raws[window]], row.lines[window])


def _number_lines(row: Row) -> list[Line]:
    """The line of each of a row's numbers (blank cells left out)."""
    return [line for cell, line in zip(row.cells, row.lines, strict=True) if cell is not None]


def _run_together(row: Row, width: int) -> list[str] | None:
    """The digit runs of a row whose cells a crawler ran together (fewer runs than cells), or None."""
    runs = [raw for raw in row.raws if raw]
    if 0 < len(runs) < width and all(r.isdigit() for r in runs) and sum(map(len, runs)) >= width:
        return runs
    return None


def _prose(text: str) -> bool:
    """A sentence, not a heading or a table row: the list of sections in an introduction names the tables too. A
    note in brackets is neither ("本年增/减(指…事项数,减用负值表示,如-8)" in a table's header)."""
    return len(text) > 40 and bool(_SENTENCE_MARKS.search(_NOTE.sub("", text) if "(" in text else text))


def _continues(lines: list[Line], i: int) -> bool:
    """Line ``i`` goes on a sentence the line before left open (a paragraph an OCR or a PDF wrapped)."""
    if i == 0 or lines[i - 1].number != lines[i].number - 1:
        return False
    before = lines[i - 1].text
    if "\t" in before or "|" in before or not re.search(r"[\u4e00-\u9fff]$", before) or _HEADING.match(lines[i].text):
        return False  # a table's row, a line that ends a sentence or a figure, or a heading: a new paragraph
    return len(before) > 24 or bool(_SENTENCE_MARKS.search(before))


def _region(lines: list[Line], start: re.Pattern[str], end: re.Pattern[str], begin: int = 0) -> tuple[int, int]:
    first = next(
        (
            i
            for i in range(begin, len(lines))
            if start.search(lines[i].text) and not _prose(lines[i].text) and not _continues(lines, i)
        ),
        None,
    )
    if first is None:
        return (0, 0)
    last = next((i for i in range(first + 1, len(lines)) if end.search(lines[i].text)), len(lines))
    return (first, last)


def _read_requests(lines: list[Line], result: TableResult, template: str) -> None:
    start = re.compile(r"收到和处理政府信息公开申请|本年新收")
    first, last = _region(lines, start, re.compile(r"^\s*[五六七八九]\s*、|" + _REVIEW_HEADING.pattern))
    rows = read_rows(lines[first:last], _request_matcher, {"received", "carried_over"})
    if not rows:
        return
    _use(result, lines[first:last], rows)
    place_unknown(rows, list(vocab.REQUEST_ORDER["gb2021" if template == "gb2021" else "gb2019"]))
    first_rows = {}
    for row in rows:
        if row.key not in first_rows and row.key != UNKNOWN and (row.has_numbers or row.cells):
            first_rows[row.key] = row
    wrapped = first_rows.get("other.no_correction")
    if template == "gb2021" and "other" in first_rows and (wrapped is None or not wrapped.has_numbers):
        # (六)其他处理 is a group in the 2021 table: figures on its line are its first row's, whose label wrapped
        first_rows["other.no_correction"] = first_rows.pop("other")
        first_rows["other.no_correction"].key = "other.no_correction"
    printed, recovered = _request_cells(first_rows, result, template)
    for key, cells in printed.items():
        how = "derived" if key in recovered else "table"
        for column, value, line in zip(vocab.COLUMNS, cells.cells, cells.lines, strict=True):
            result.add(f"requests.matrix.{key}.{column}", value, line, how)
    seen = {key: row.cells for key, row in printed.items()}
    _summaries(seen, {key: row.lines[6] for key, row in printed.items()}, result, template, recovered)


def _equations(template: str) -> list[solver.Equation]:
    """The request table's column rules: 新收 + 结转 = 总计 + 结转下年度; the outcome rows add up to 总计."""
    outcomes = vocab.OUTCOME_KEYS["gb2021" if template == "gb2021" else "gb2019"]
    return [(("received", "carried_over"), ("processed_total", "carried_forward")), (outcomes, ("processed_total",))]


def _request_cells(rows: dict[str, Row], result: TableResult, template: str) -> tuple[dict[str, Printed], set[str]]:
    """Each row's 7 cells: as printed, or recovered from run-together digits by the table's sum rules."""
    printed: dict[str, Printed] = {}
    ways: dict[str, list[solver.Cells]] = {}
    recovered: set[str] = set()
    if _totals_only(rows):  # a table whose applicant columns are left blank, the blanks lost on the way
        for key, row in rows.items():
            value, line = next((c, ln) for c, ln in zip(row.cells, row.lines, strict=True) if c is not None)
            printed[key] = Printed([None] * 6 + [value], [True] * 6 + [False], [line] * 7)
        return printed, set(rows)
    for key, row in rows.items():
        as_counts(row, 7)
        read = _row_cells(row, 7, summed=True)
        if read is not None:
            cells = read.cells
            if cells[6] is None and read.blank[6] and None not in cells[:6]:
                read.cells = [*cells[:6], sum(cells[:6])]  # type: ignore[arg-type]  # 总计 left blank: its columns' sum
                read.lines[6] = read.lines[5]
                recovered.add(key)
            printed[key] = read
            if None not in read.cells and all(isinstance(c, int) and c >= 0 for c in read.cells):
                ways[key] = [tuple(read.cells)]  # type: ignore[arg-type]
            elif any(c is None and not b for c, b in zip(read.cells, read.blank, strict=True)):
                result.unparsed(f"申请情况表“{vocab.REQUEST_ROW_NAMES.get(key, key)}”行", row.line)
        elif (runs := _run_together(row, 7)) is not None:
            ways[key] = _splits(runs)
            recovered.add(key)
        elif rejoined := solver.rejoined([raw for raw in row.raws if raw], 7):
            ways[key] = rejoined  # "1 288  21 …": a figure an OCR split with a space, put together by the sum rule
            recovered.add(key)
        else:
            result.unparsed(f"申请情况表“{vocab.REQUEST_ROW_NAMES.get(key, key)}”行", row.line)
    solved = solver.solve_table({k: w for k, w in ways.items() if w}, _equations(template), 7)
    for key, row in rows.items():
        if key not in printed and key in ways:
            found: list[Cell] = list(solved.get(key) or [None] * 7)
            printed[key] = Printed(found, [False] * 7, [row.line] * 7)
            if None in found:
                result.unparsed(f"申请情况表“{key}”行（单元格连在一起，无法唯一拆分）", row.line)
    return printed, recovered


def _totals_only(rows: dict[str, Row]) -> bool:
    """Every row of the request table shows one short number and nothing else: they are its 总计 column."""
    counts = [[raw for raw, cell in zip(row.raws, row.cells, strict=True) if cell is not None] for row in rows.values()]
    return len(counts) >= 2 and all(len(c) == 1 and len(c[0]) < 7 for c in counts)


def _splits(runs: list[str]) -> list[solver.Cells]:
    """A run-together row's ways; when there are none, the ways of the digits after a stray first one or two
    (a merged label cell printed as an extra 0), as a row read cell by cell keeps its last cells that add up."""
    for skip in (0, 1, 2):
        rest = [runs[0][skip:], *runs[1:]] if skip < len(runs[0]) else runs[1:]
        if rest and (ways := solver.row_splits(rest, 7)):
            return ways
    return []


def _use(result: TableResult, lines: list[Line], rows: list[Row]) -> None:
    """The table's own lines, from its first row's label to its last cell, are not prose."""
    start = min(row.line.number for row in rows)
    end = max(max(row.end, row.line.number) for row in rows)
    result.lines_used.update(line.number for line in lines if start <= line.number <= end)


def _summaries(
    seen: dict[str, list[Cell]], evidence: dict[str, Line], result: TableResult, template: str, recovered: set[str]
) -> None:
    def total(key: str) -> Cell:
        return seen[key][-1] if key in seen else None

    simple = ["received", "carried_over", "granted", "partially_granted", "processed_total", "carried_forward"]
    groups = dict(vocab.REQUEST_GROUPS)
    if template == "gb2021" or any(k.startswith("other.") for k in seen):
        groups["other"] = vocab.OTHER_2021
    else:
        simple.append("other")
    for key in simple:
        if key in seen:
            result.add(f"requests.{key}", total(key), evidence[key], "derived" if key in recovered else "table")
    for group, subs in groups.items():
        keys = [f"{group}.{s}" for s in subs]
        if group in seen:  # a printed group row keeps its printed figure
            result.add(f"requests.{group}", total(group), evidence[group], "derived" if group in recovered else "table")
        elif all(k in seen and total(k) is not None for k in keys):
            result.add(f"requests.{group}", sum(total(k) for k in keys), evidence[keys[-1]], "derived")  # type: ignore[misc]


def _review_values(cells: list[Cell], raws: list[str], where: list[Line]) -> tuple[Sequence[Cell] | None, list[Line], bool]:
    """The 15 figures of the review table, the line of each, and whether run-together digits were cut by the sum rules."""
    numbered = [(c, ln) for c, ln in zip(cells, where, strict=True) if c is not None]
    if len(numbered) == 15:
        return [c for c, _ in numbered], [ln for _, ln in numbered], False
    if len(cells) == 15:
        return cells, where, False
    if len(numbered) > 15:
        for i in range(len(numbered) - 14):
            window = [c for c, _ in numbered[i : i + 15]]
            if all(_sum_ok(window[g : g + 5]) for g in (0, 5, 10)):
                return window, [ln for _, ln in numbered[i : i + 15]], False
        return None, [], False
    runs = [raw for raw in raws if raw]
    if runs and all(raw.isdigit() for raw in runs):
        lines = [ln for raw, ln in zip(raws, where, strict=True) if raw]
        return solver.agreed(solver.row_splits(runs, 15, groups=3), 15), [lines[0]] * 15, True
    return None, [], False


def _read_review(lines: list[Line], result: TableResult) -> None:
    first, last = _region(lines, _REVIEW_HEADING, _AFTER_REVIEW)
    if last == 0:
        return
    last = next((i for i in range(first + 1, last) if _HEADING.match(lines[i].text)), last)
    region = [ln for ln in lines[first + 1 : min(last, first + 40)] if not _prose(ln.text) and not PAGE_MARK.match(ln.text)]
    cells: list[Cell] = []
    raws: list[str] = []
    where: list[Line] = []
    for line in region:
        events = line_events(line, lambda text, ctx: (), None)
        if any(kind == "num" for kind, _ in events):
            for _, payload in events:
                value, raw = cast(tuple[Cell, str], payload)
                cells.append(value)
                raws.append(raw)
                where.append(line)
    if not region or not any(raws):
        return
    numbered = [line.number for line in region if any(ch.isdigit() for ch in line.text)]
    result.lines_used.update(line.number for line in region if line.number <= max(numbered, default=0))  # header too
    values, value_lines, recovered = _review_values(cells, raws, where)
    first_line = next((ln for ln in region if any(ch.isdigit() for ch in ln.text)), region[0])
    if values is None or None in values:
        result.unparsed("行政复议、行政诉讼表", first_line)
    if values is None:
        return
    for key, value, line in zip(vocab.REVIEW_KEYS, values, value_lines, strict=True):
        result.add(key, value, line, "derived" if recovered else "table")
    direct, after = values[9], values[14]
    if direct is not None and after is not None:
        result.add("litigation.total", direct + after, value_lines[14], "derived")


def _read_proactive(lines: list[Line], result: TableResult, template: str) -> None:
    first, last = _region(lines, re.compile(r"第二十条"), re.compile(r"收到和处理政府信息公开申请|本年新收"))
    if last == 0:
        return
    keys = {key for key, _ in vocab.PROACTIVE_ROWS}
    done: set[str] = set()
    rows = read_rows(lines[first:last], _proactive_matcher, keys)
    place_unknown(rows, list(vocab.PROACTIVE_ORDER["gb2019" if template == "gb2019" else "gb2021"]))
    for row in rows:
        if row.key in done or not row.has_numbers:
            continue
        done.add(row.key)
        nums = [c for c in row.cells if c is not None]
        if row.key != "fees" and any(isinstance(c, float) for c in nums):  # a count with a point: an OCR's 1.472
            result.unparsed(f"第二十条“{vocab.PROACTIVE_ROW_NAMES.get(row.key, row.key)}”行", row.line)
            continue
        if row.key in ("rules", "normative"):
            read = _row_cells(row, 3, summed=False)
            runs = _run_together(row, 3)
            how = "table"
            if read is None and runs and len("".join(runs)) == 3:  # "规章000": one digit a cell
                read, how = Printed([int(d) for d in "".join(runs)], [False] * 3, [row.line] * 3), "derived"
            if read is None or all(read.blank):  # no cells, or all printed blank ('/'): nothing stated
                if read is None:
                    result.unparsed(f"第二十条“{vocab.PROACTIVE_ROW_NAMES.get(row.key, row.key)}”行", row.line)
                continue
            names = vocab.RULE_COLUMNS["gb2019" if template == "gb2019" else "gb2021"]
            for name, value, line in zip(names, read.cells, read.lines, strict=True):
                result.add(f"proactive.{row.key}.{name}", value, line, how)
        elif row.key in ("licensing", "penalty", "coercion"):
            at = 0 if len(nums) == 1 else 2 if len(nums) == 3 else None  # gb2019: 上一年 | 增减 | 处理决定数量
            if template == "gb2019" and len(nums) == 1 and len(row.cells) == 1 and len(row.raws[0]) > 1:
                at = None  # "行政许可10165": three cells run together, and no sum rule to cut them
            if at is None:
                result.unparsed(f"第二十条“{vocab.PROACTIVE_ROW_NAMES.get(row.key, row.key)}”行", row.line)
            else:
                result.add(f"proactive.{row.key}", nums[at], _number_lines(row)[at])
        elif row.key == "fees" and template == "gb2021" and nums and len(set(nums)) == 1:  # one cell, or its repeats
            result.add("proactive.admin_fees_10k_yuan", nums[0], _number_lines(row)[0])


def read_tables(lines: list[Line], template: str) -> TableResult:
    """All three template tables of a gb2019/gb2021 report."""
    result = TableResult()
    _read_proactive(lines, result, template)
    _read_requests(lines, result, template)
    _read_review(lines, result)
    return result
