"""Cells a crawler ran together, recovered by the table's own sum rules.

A row printed ``予以公开5000005`` (or ``140 000014``: a space is a cut) is every
way to cut its digits into the template's cells such that each group's last
cell is the sum of the others. A table's rows are then tied by its columns:
本年新收 + 上年结转 = 办理结果总计 + 结转下年度, and the outcome rows add up to
the 总计 row. A cell is accepted only when every way that satisfies every rule
gives it the same value; the rest stay None. The search is bounded: a row with
too many ways, or a table with too many combinations, leaves its doubtful cells
None rather than taking time.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

Cells = tuple[int, ...]
MAX_DIGITS = 80  # a row longer than this is not a template row
MAX_CELL = 7  # digits in one cell: no office counts ten million requests
ROW_LIMIT = 256  # ways kept for one row
TABLE_LIMIT = 50_000  # combinations of the doubtful rows tried for one table


def row_splits(runs: Sequence[str], width: int, groups: int = 1, limit: int = ROW_LIMIT) -> list[Cells]:
    """Every way to cut ``runs`` (digit strings; their ends are cuts) into ``groups`` groups of
    ``width // groups`` cells, the last cell of each the sum of the others; [] when there are
    none or more than ``limit``."""
    digits = "".join(runs)
    if not digits.isdigit() or len(digits) > min(MAX_DIGITS, width * MAX_CELL) or width % groups:
        return []
    size = width // groups
    bounds = set(itertools.accumulate(len(r) for r in runs))
    found: list[Cells] = []

    def cell_ends(pos: int) -> Iterator[int]:
        for end in range(pos + 1, min(len(digits), pos + MAX_CELL) + 1):
            if end - pos > 1 and digits[pos] == "0":
                return
            yield end
            if end in bounds:
                return  # a cell does not run over a printed gap

    def parts(pos: int, left: int, after: int) -> Iterator[tuple[int, tuple[int, ...]]]:
        """``left`` cells from ``pos``, with room for ``after`` more cells behind them."""
        if left == 0:
            yield pos, ()
            return
        for end in cell_ends(pos):
            rest, cells_after = len(digits) - end, left - 1 + after
            if cells_after <= rest <= cells_after * MAX_CELL:
                for stop, cells in parts(end, left - 1, after):
                    yield stop, (int(digits[pos:end]), *cells)

    def group(pos: int, g: int, acc: tuple[int, ...]) -> bool:
        if g == groups:
            if pos == len(digits):
                found.append(acc)
            return len(found) <= limit
        for end, cells in parts(pos, size - 1, 1 + (groups - g - 1) * size):
            total = str(sum(cells))
            stop = end + len(total)
            fits = digits.startswith(total, end) and not any(end < b < stop for b in bounds)
            if fits and not group(stop, g + 1, acc + cells + (int(total),)):
                return False
        return True

    complete = group(0, 0, ())
    return found if complete and found else []


MAX_REJOINED = 3  # figures split in two by a stray space, at most, in one row


def rejoined(tokens: Sequence[str], width: int) -> list[Cells]:
    """Every way to join neighbouring ``tokens`` (a row's figures as printed, a few too many: a stray space split
    some) into ``width`` cells whose last is the sum of the others; [] when a token is not digits or the row has
    more than ``MAX_REJOINED`` figures too many. A join never makes a figure with a leading 0."""
    extra = len(tokens) - width
    if not 0 < extra <= MAX_REJOINED or not all(t.isdigit() for t in tokens):
        return []
    found = set()
    for joins in itertools.combinations(range(1, len(tokens)), extra):  # a join glues token i to the one before
        cells: list[str] = []
        for i, token in enumerate(tokens):
            if i in joins:
                cells[-1] += token
            else:
                cells.append(token)
        if any((len(c) > 1 and c[0] == "0") or len(c) > MAX_CELL for c in cells):
            continue
        values = tuple(int(c) for c in cells)
        if sum(values[:-1]) == values[-1]:
            found.add(values)
    return sorted(found)


def agreed(ways: Sequence[Cells], width: int) -> list[int | None]:
    """The cells every way agrees on; the rest unknown."""
    if not ways:
        return [None] * width
    return [col[0] if len(set(col)) == 1 else None for col in zip(*ways, strict=True)]


Equation = tuple[tuple[str, ...], tuple[str, ...]]  # rows on the left add up to rows on the right, column by column


def solve_table(rows: dict[str, list[Cells]], equations: Sequence[Equation], width: int) -> dict[str, list[int | None]]:
    """The cells of each row that every combination of its ways satisfying ``equations`` agrees on.

    ``rows`` maps a row to its ways (one for a row read cell by cell). Equations whose rows are not
    all present are skipped. When no combination satisfies them (the printed table is itself
    inconsistent) or there are too many, each row keeps what its own ways agree on."""
    doubtful = [key for key, ways in rows.items() if len(ways) > 1]
    alone = {key: agreed(ways, width) for key, ways in rows.items()}
    usable = [eq for eq in equations if all(k in rows and rows[k] for k in eq[0] + eq[1])]
    combinations = 1
    for key in doubtful:
        combinations *= len(rows[key])
    if not doubtful or not usable or combinations > TABLE_LIMIT:
        return alone
    fixed = {key: ways[0] for key, ways in rows.items() if len(ways) == 1}
    valid: list[dict[str, Cells]] = []
    for choice in itertools.product(*(rows[key] for key in doubtful)):
        table = fixed | dict(zip(doubtful, choice, strict=True))
        if all(_holds(table, eq, width) for eq in usable):
            valid.append(table)
    if not valid:
        return alone
    return {key: agreed([table[key] for table in valid], width) if key in doubtful else alone[key] for key in rows}


def _holds(table: dict[str, Cells], equation: Equation, width: int) -> bool:
    left, right = equation
    return all(sum(table[k][c] for k in left) == sum(table[k][c] for k in right) for c in range(width))
