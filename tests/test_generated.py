"""Generated reports of every kind and table layout read back to their known values."""

import pytest

from helpers import lookup, parse_text
from tools.corpus import LAYOUTS, generate

CASES = [(seed, kind, layout) for seed in range(6) for kind in ("gb2021", "gb2019") for layout in LAYOUTS]
CASES += [(seed, "narrative", "tab") for seed in range(30)]


@pytest.mark.parametrize(("seed", "kind", "layout"), CASES)
def test_generated_report(seed: int, kind: str, layout: str) -> None:
    g = generate(seed, kind, layout)
    report = parse_text(g.text, g.name + ".txt")
    wrong = {k: (v, lookup(report, k)) for k, v in g.expected.items() if lookup(report, k) != v}
    assert not wrong, wrong
    assert not [f for f in report["flags"] if f["code"] in ("BALANCE", "SUBTOTAL", "UNPARSED_TABLE")]
