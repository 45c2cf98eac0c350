"""Metamorphic test (issue 19): a report's figures do not depend on the form its tables take or the page around it.

Every report with gold (seeds, corpus/real, the corpus PDF) is re-laid by ``relayout`` into each table form and
each chrome. A variant must give the gold value of every key the report as found already gets right, and every
figure of its request table (``requests.matrix``) that the report as found gives (the keys it
gets wrong there are the scorer's business, not a layout's). In the ``runs`` form (cells run together), the
``ocr`` form (two cells read as one) and ``relayout_more``'s ``ocr-split`` (a figure split in two) a cell may stay
null where the sum rules cannot decide it, but never wrong, and the totals must come back.

Known failures are ``xfail(strict=True)`` per (variant, report) with the fields that fail, so each fix flips one.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any

import pytest
from relayout import CHROMES, FORMS, SHARED, Source, sources, traditional, variant, with_chrome
from relayout_more import MORE_FORMS, variant_more

from helpers import lookup, parse_file

pytestmark = pytest.mark.skipif(not (SHARED / "eval" / "gold").is_dir(), reason="../shared (seeds, corpus, gold) not here")

VARIANTS = FORMS + tuple(f"chrome-{c}" for c in CHROMES)
LENIENT = ("runs", "ocr", "ocr-split")  # forms that lose cell boundaries: a cell the sum rules cannot decide stays null
# in the runs and ocr forms these are the totals the sum rules always decide: the 总计 column and the review totals
TOTALS = {
    "requests.received",
    "requests.carried_over",
    "requests.granted",
    "requests.partially_granted",
    "requests.denied",
    "requests.unable",
    "requests.not_processed",
    "requests.other",
    "requests.processed_total",
    "requests.carried_forward",
    "reconsideration.total",
    "litigation.direct.total",
    "litigation.after_reconsideration.total",
    "litigation.total",
}


def _names() -> list[str]:
    names = [p.stem for p in sorted((SHARED / "seeds").glob("*.txt"))]
    names += [p.stem for p in sorted((SHARED / "corpus" / "real").glob("*.txt"))]
    return [*names, "huaian_city_2024"] if (SHARED / "corpus" / "huaian_city_2024.pdf").exists() else names


@functools.cache
def _sources() -> dict[str, Source]:
    return {s.name: s for s in sources()}


def _original(name: str) -> Path:
    for path in (SHARED / "seeds" / f"{name}.txt", SHARED / "corpus" / "real" / f"{name}.txt", SHARED / "corpus" / f"{name}.pdf"):
        if path.exists():
            return path
    raise FileNotFoundError(name)


def same(got: Any, want: Any) -> bool:
    """The scorer's comparison: a list accepts any item; strings without white space; numbers within 1e-6."""
    if isinstance(want, dict) and "has" in want:
        return set(want["has"]) <= {f.get("code") for f in got or [] if isinstance(f, dict)}
    if isinstance(want, list):
        return any(same(got, w) for w in want)
    if want is None or got is None:
        return want is None and got is None
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return isinstance(got, (int, float)) and math.isclose(got, want, abs_tol=1e-6)
    if isinstance(want, str):
        return isinstance(got, str) and "".join(got.split()) == "".join(want.split())
    return got == want


def _with_traditional(want: Any) -> Any:
    if isinstance(want, str):
        return [want, traditional(want)]
    if isinstance(want, list):
        return [x for w in want for x in _with_traditional(w)]
    return want


@functools.cache
def _parsed(variant_name: str, tmp: Path) -> dict[str, dict[str, Any]]:
    """Every report in one variant, parsed the way the build reads a file: {name: report dict}."""
    folder = tmp / variant_name
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, source in _sources().items():
        if variant_name == "original":
            out[name] = parse_file(_original(name))
            continue
        form, chrome = ("orig", variant_name[7:]) if variant_name.startswith("chrome-") else (variant_name, None)
        if "+" in form:  # one of relayout_more's text forms with a page's chrome around it: "crawler-lines+footer"
            form, chrome = form.split("+")
            suffix, data = variant_more(source, form)
            data = with_chrome(data.decode(), source.blocks, chrome).encode()
        else:
            suffix, data = variant_more(source, form) if form in MORE_FORMS else variant(source, form, chrome)
        path = folder / f"{name}{suffix}"
        path.write_bytes(data)
        out[name] = parse_file(path)
    return out


def misses(variant_name: str, name: str, tmp: Path) -> list[str]:
    gold = _sources()[name].gold
    original = _parsed("original", tmp)[name]
    report = _parsed(variant_name, tmp)[name]
    out = []
    for key, want in gold.items():
        if not same(lookup(original, key), want):
            continue  # the report as found gets it wrong: not a layout's failure
        got = lookup(report, key)
        if variant_name.endswith("traditional"):
            want = _with_traditional(want)
        if same(got, want):
            continue
        if variant_name.split("+")[0] in LENIENT and got is None and key not in TOTALS and isinstance(want, (int, float)):
            continue  # a cell whose boundaries are lost and that the sum rules leave undecided
        out.append(f"{key}: want {want!r} got {got!r}")
    return out + _matrix_misses(variant_name, original, report)


def _matrix_misses(variant_name: str, original: dict[str, Any], report: dict[str, Any]) -> list[str]:
    """Beyond the gold: every figure of the request table the report as found gives, the variant gives too (in
    runs and ocr: each row's total and each column of the 总计 row; any other cell null or right)."""
    out = []
    before = lookup(original, "requests.matrix") or {}
    after = lookup(report, "requests.matrix") or {}
    lenient = variant_name.split("+")[0] in LENIENT
    for row, cols in before.items():
        for col, want in (cols or {}).items():
            if want is None or isinstance(want, dict):  # "denied": {...} repeats the "denied.*" rows
                continue
            got = (after.get(row) or {}).get(col)
            if got == want or (lenient and got is None and col != "total" and row != "processed_total"):
                continue
            out.append(f"requests.matrix.{row}.{col}: want {want!r} got {got!r}")
    return out


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("metamorphic")


# (variant, report's first 3 letters) -> why that case fails today, with its first failing field: a strict xfail,
# so that each fix flips one. None today; add one only with the class of layout that fails.
KNOWN: dict[tuple[str, str], str] = {}


def _cases() -> list[Any]:
    cases = []
    for v in VARIANTS:
        for name in _names():
            reason = KNOWN.get((v, name[:3]))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(v, name, marks=marks, id=f"{v}-{name[:24]}"))
    return cases


@pytest.mark.parametrize(("variant_name", "name"), _cases())
def test_variant_gives_the_gold_values(variant_name: str, name: str, tmp: Path) -> None:
    assert misses(variant_name, name, tmp) == []


if __name__ == "__main__":  # today's failing cases in KNOWN's form: PYTHONPATH=. python tests/test_metamorphic.py
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for v in VARIANTS:
            for name in _names():
                found = misses(v, name, Path(folder))
                if found:
                    more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
                    print(f"    ({v!r}, {name[:3]!r}): {'the class of layout: ' + found[0][:60] + more!r},")
