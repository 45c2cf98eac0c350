"""What a build keeps of each content file for the next one, so that a file whose time and size are the same
is not read again: ``Seen`` (the file) and ``Stored`` (its report, light), and ``StoredReport``, which stands in
for the report and reads the rest of it from the parse cache only when asked."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, NamedTuple

from nianbao.model import Flag, Problem, Region, Report, Value

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


def stored(report: Report, shapes: dict[tuple[str, ...], tuple[str, ...]]) -> Stored:
    """What a StoredReport of ``report`` holds; ``shapes`` gives one tuple of keys for reports of a shape."""
    if isinstance(report, StoredReport) and "figures" not in report.__dict__:
        keys, values = report._keys, report._values
    else:
        light = [(k, v) for k, v in report.figures.items() if not k.startswith(MATRIX)]
        keys, values = tuple(k for k, _ in light), tuple(v for _, v in light)
    region = (report.region.province, report.region.city, report.region.county, report.region.code)
    return Stored(
        report.id, report.source, report.sha256, report.kind, report.agency, report.agency_id, region, report.year,
        report.published, report.template, report.flags, shapes.setdefault(keys, keys), values,
    )  # fmt: skip


class Seen(NamedTuple):
    """A content file as the last build read it (the memo's ("source", path) entry): while its time and size
    (``key``) are the same, the next build trusts it and reads nothing of it."""

    key: tuple[int, ...]  # load.Key
    sha256: str
    source: str
    kind: str
    report: Stored
    problems: tuple[Problem, ...]  # what reading it met: named by every build, not only the first


class StoredReport(Report):
    """A report of an earlier build standing in for itself: what lists, charts and checks across reports
    read of it is at hand; the rest (its text, evidence and request table) is read, by ``load``, the
    first time something asks for it. Reading 10,000 whole reports back costs seconds."""

    def __init__(self, record: Stored, load: Callable[[], Report]):  # not the dataclass's: fields set as they are
        self.__dict__.update(
            id=record.id, source=record.source, sha256=record.sha256, kind=record.kind, agency=record.agency,
            agency_id=record.agency_id, region=Region(*record.region), year=record.year, published=record.published,
            template=record.template, flags=record.flags, _keys=record.keys, _values=record.values, _load=load,
        )  # fmt: skip

    def __getattr__(self, name: str) -> Any:  # only asked when a field is not there: a heavy one, not read yet
        if name not in _HEAVY:
            raise AttributeError(name)
        full = self._load()
        for field in _HEAVY:
            self.__dict__[field] = getattr(full, field)
        return self.__dict__[name]

    def get(self, key: str) -> Value:
        if "figures" in self.__dict__ or key.startswith(MATRIX):
            return self.figures.get(key)
        light = self.__dict__.get("_light")
        if light is None:  # made when first asked: most reports of a rebuild are not
            light = self.__dict__["_light"] = dict(zip(self._keys, self._values, strict=True))
        return light.get(key)

    def _with(self, **changes: object) -> StoredReport:
        other = object.__new__(StoredReport)
        other.__dict__.update(self.__dict__, **changes)
        other.__dict__.pop("_fingerprint", None)  # of this one
        return other

    def with_flags(self, extra: list[Flag]) -> Report:
        return self._with(flags=self.flags + tuple(extra)) if extra else self

    def renamed(self, id: str) -> Report:
        return self._with(id=id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in dataclasses.fields(Report))

    __hash__ = None  # type: ignore[assignment]  # as a Report's

    def __reduce__(self) -> tuple[object, ...]:  # pickled as the whole report
        return Report, tuple(getattr(self, f.name) for f in dataclasses.fields(Report))
