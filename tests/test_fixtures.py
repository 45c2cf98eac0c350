"""Real-looking reports in tests/fixtures/reports, each with its hand-checked values."""

import json
from pathlib import Path

import pytest

from helpers import lookup, parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
CASES = sorted(p for p in FIXTURES.iterdir() if p.suffix != ".json")


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_fixture_values(path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    report = parse_file(path)
    wrong = {k: (v, lookup(report, k)) for k, v in expected.items() if lookup(report, k) != v}
    assert not wrong, wrong


def test_every_figure_has_evidence() -> None:
    for path in CASES:
        report = parse_file(path)
        for key in ("requests.received", "proactive.total", "fees.collected_yuan"):
            if lookup(report, key) is not None:
                ev = report["evidence"][key]
                assert ev["line"] >= 1 and ev["text"], (path.name, key)
