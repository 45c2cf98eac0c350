"""What a build keeps of each content file for the next one, so that a file whose time and size are the same
is not read again: ``Seen`` (the file) and ``Stored`` (its report, light), and ``StoredReport``, which stands in
for the report and reads the rest of it from the parse cache only when asked."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any, NamedTuple

from nianbao.model import Flag, Problem, Region, Report, Value, fingerprint

MATRIX = "requests.matrix."  # the request table's cells: most of a report's figures, and no list shows one
_HEAVY = ("figures", "evidence", "text", "stated", "provenance", "corrections")


class Stored(NamedTuple):
    """What the next build keeps of a report it need not read again: all but its text, evidence and request
    table (the figures no list shows). ``keys`` is one tuple for all reports of a shape: it is pickled once."""

    id: str
    source: str
    sha256: str
    kind: str
    agency: str | None
    agency_id: str | None
    region: tuple[str | None, str | None, str | None, str | None]  # province, city, county, code
    year: int | None
    published: str | None
    template: str
    flags: tuple[Flag, ...]
    keys: tuple[str, ...]
    values: tuple[Value, ...]
    fingerprint: str


def stored(report: Report, shapes: dict[tuple[str, ...], tuple[str, ...]]) -> Stored:
    """What a StoredReport of ``report`` holds; ``shapes`` gives one tuple of keys for reports of a shape."""
    if isinstance(report, StoredReport) and report._rest.full is None:
        keys, values = report._rest.record.keys, report._rest.record.values
    else:
        light = [(k, v) for k, v in report.figures.items() if not k.startswith(MATRIX)]
        keys, values = tuple(k for k, _ in light), tuple(v for _, v in light)
    region = (report.region.province, report.region.city, report.region.county, report.region.code)
    return Stored(
        report.id, report.source, report.sha256, report.kind, report.agency, report.agency_id, region, report.year,
        report.published, report.template, report.flags, shapes.setdefault(keys, keys), values, report.fingerprint,
    )  # fmt: skip


class Seen(NamedTuple):
    """A content file as the last build read it (the memo's (Kind.SOURCE, path) entry): while its time and size
    (``key``) are the same, the next build trusts it and reads nothing of it."""

    key: tuple[int, ...]  # load.Key
    sha256: str
    source: str
    kind: str
    report: Stored
    problems: tuple[Problem, ...]  # what reading it met: named by every build, not only the first


class _Rest:
    """What a StoredReport reads only when first asked, shared by its copies: the whole report (``load``
    reads it); its light figures are found by their place in its record's ``keys``."""

    __slots__ = ("full", "load", "record")

    def __init__(self, record: Stored, load: Callable[[], Report]):
        self.record, self.load = record, load
        self.full: Report | None = None

    def report(self) -> Report:
        if self.full is None:
            self.full = self.load()
        return self.full

    def get(self, key: str) -> Value:
        if self.full is not None or key.startswith(MATRIX):
            return self.report().figures.get(key)
        at = _places(self.record.keys).get(key)
        return None if at is None else self.record.values[at]


_PLACES: dict[int, tuple[tuple[str, ...], dict[str, int]]] = {}  # by the id of a tuple of keys: it, and each key's place


def _places(keys: tuple[str, ...]) -> dict[str, int]:
    """Each key's place in ``keys``: made once for each tuple of keys (records of a shape share one)."""
    known = _PLACES.get(id(keys))
    if known is None or known[0] is not keys:
        if len(_PLACES) > 1000:  # a long-running preview makes new tuples now and then
            _PLACES.clear()
        known = _PLACES[id(keys)] = (keys, {key: at for at, key in enumerate(keys)})
    return known[1]


def _heavy(name: str) -> property:
    return property(lambda self: getattr(self._rest.report(), name), doc=f"the report's {name}: read when first asked")


class StoredReport(Report):
    """A report of an earlier build standing in for itself: what lists, charts and checks across reports
    read of it is at hand; the rest (its text, evidence and request table) is read, by ``load``, the
    first time something asks for it. Reading 10,000 whole reports back costs seconds."""

    _rest: _Rest
    figures = _heavy("figures")
    evidence = _heavy("evidence")
    text = _heavy("text")
    stated = _heavy("stated")
    provenance = _heavy("provenance")
    corrections = _heavy("corrections")

    def __init__(self, record: Stored, load: Callable[[], Report]):  # not the dataclass's: its fields are the record's
        light = dict(zip(_LIGHT, (*record[:_REGION], _region(record.region), *record[_REGION + 1 : len(_LIGHT)]), strict=True))
        self._set(_Rest(record, load), light, record.fingerprint)

    def _set(self, rest: _Rest, light: dict[str, Any], digest: str) -> None:
        """Its fields, once, as it is made (a frozen report's own are set so too)."""
        for name, value in light.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_rest", rest)
        object.__setattr__(self, "fingerprint", digest)

    def get(self, key: str) -> Value:
        return self._rest.get(key)

    def changed(self, **changes: Any) -> Report:
        if changes.keys() - set(_LIGHT):
            return Report(**{f.name: getattr(self, f.name) for f in dataclasses.fields(Report) if f.init} | changes)
        light = {name: changes.get(name, getattr(self, name)) for name in _LIGHT}
        other = object.__new__(StoredReport)
        made_of = (light[name] for name in ("source", "sha256", "id", "agency_id", "flags"))
        other._set(self._rest, light, fingerprint(*made_of))
        return other

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in dataclasses.fields(Report) if f.compare)

    __hash__ = None  # type: ignore[assignment]  # as a Report's

    def __reduce__(self) -> tuple[object, ...]:  # pickled as the whole report
        return Report, tuple(getattr(self, f.name) for f in dataclasses.fields(Report) if f.init)


@functools.lru_cache(maxsize=4096)
def _region(parts: tuple[str | None, str | None, str | None, str | None]) -> Region:
    """One Region for the reports of a place (10,000 reports name a few hundred)."""
    return Region(*parts)


# the fields a Stored record holds as they are, in its order (``region`` is a tuple there)
_LIGHT = ("id", "source", "sha256", "kind", "agency", "agency_id", "region", "year", "published", "template", "flags")
_REGION = _LIGHT.index("region")
