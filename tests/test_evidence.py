"""Every figure read from a report keeps the line that states it: over the seeds, the real corpus and a
generated corpus in every layout, a figure whose provenance is a table or a sentence has an evidence line
that contains it (its digits, its Chinese numeral, or for 0 a word that says none). A figure the report
does not state cannot pass this: it has no line that states it."""

import json
import re
import unicodedata
from pathlib import Path

import pytest

from nianbao.build.pipeline import build
from nianbao.config import PROJECT, Config
from tools.corpus import LAYOUTS, generate

SHARED = PROJECT.parent / "shared"
_DIGITS = "零一二三四五六七八九"
_ZERO = re.compile(r"[0０零〇]|未|没有|無|无|沒|不存在|尚未|均为|空白|/|—|-")


def _numerals(n: int) -> list[str]:
    if n < 10:
        return [_DIGITS[n]]
    if n < 100:
        tens, units = divmod(n, 10)
        tail = "" if units == 0 else _DIGITS[units]
        return [("" if tens == 1 else _DIGITS[tens]) + "十" + tail, _DIGITS[tens] + "十" + tail]
    return []


def _states(text: str, value: float) -> bool:
    text = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
    forms = [str(value)]
    if isinstance(value, float):
        forms += [f"{value:g}"] + ([str(int(value))] if value == int(value) else [])
    else:
        forms += _numerals(value)
    return any(f in text for f in forms) or (value == 0 and bool(_ZERO.search(text)))


def _lookup(report: dict, key: str) -> object:
    node: object = report
    for part in key.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _unstated(output: Path) -> tuple[int, list[str]]:
    checked, bad = 0, []
    for report in json.loads((output / "data" / "reports.json").read_text(encoding="utf-8"))["reports"]:
        for key, evidence in report["evidence"].items():
            value = _lookup(report, key)
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            if report["provenance"].get(key) not in ("table", "prose"):
                continue  # derived or corrected: computed or set by hand, said so on the page
            checked += 1
            if not _states(evidence["text"], value):
                bad.append(f"{report['source']} {key}={value} line {evidence['line']}: {evidence['text'][:60]}")
    return checked, bad


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for seed, kind in enumerate(["gb2021", "gb2019", "narrative"] * 8):
        g = generate(seed, kind, LAYOUTS[seed % len(LAYOUTS)])
        (folder / f"{g.name}.txt").write_text(g.text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("corpus", ["seeds", "real", "generated"])
def test_every_figure_read_keeps_the_line_that_states_it(corpus, tmp_path):
    if corpus == "generated":
        content = _corpus(tmp_path / "content")
    else:
        content = SHARED / "seeds" if corpus == "seeds" else SHARED / "corpus" / "real"
        if not content.is_dir():
            pytest.skip("../shared is not here")
    build(Config(content, tmp_path / "out", cache=None, jobs=1))
    checked, bad = _unstated(tmp_path / "out")
    assert checked > 100
    assert bad == []
