"""The data that passes between pipeline stages: no I/O here.

SourceDoc (load) -> Fact (parse rules) -> Report (parse + check) -> JSON (export).
Figures are kept flat, under the dotted keys of SCHEMA.md (``requests.received``,
``requests.matrix.granted.total``); ``export`` nests them at the JSON boundary.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Template = Literal["narrative", "gb2019", "gb2021"]
Severity = Literal["error", "warning", "info"]
Value = int | float | str | dict[str, int] | None


@dataclass(frozen=True)
class Line:
    """One normalised line of a report; ``number`` is 1-based in the source text."""

    number: int
    text: str  # normalised: half-width digits and punctuation, simplified, numerals as digits
    raw: str  # as printed, for evidence and display


@dataclass(frozen=True)
class SourceDoc:
    """A decoded input file: its lines plus what the front matter states."""

    source: str  # path relative to the content folder, '/'-separated
    sha256: str
    kind: str  # txt, md, html, pdf
    text: str  # the readable text, one report line per line
    meta: dict[str, Any] = field(default_factory=dict)  # front matter overrides
    folders: tuple[str, ...] = ()  # content sub-folders, outermost first


@dataclass(frozen=True)
class Evidence:
    line: int
    text: str


@dataclass(frozen=True)
class Fact:
    """One figure a rule read, with the line it came from."""

    key: str
    value: Value
    evidence: Evidence
    how: str  # provenance: "table" (a cell), "prose" (a sentence), "derived" (computed from printed figures)


@dataclass(frozen=True)
class Correction:
    """A figure set by hand in the report's sidecar file (SCHEMA.md): the value the parser read is kept."""

    key: str  # dotted, as in Report.figures
    parsed: Value  # what the parser read (None: it read nothing)
    value: Value  # what is used
    reason: str


@dataclass(frozen=True)
class Flag:
    code: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class Problem:
    """A file the build could not use, and why; crosses stages as a value."""

    source: str
    stage: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True)
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    code: str | None = None  # the administrative division code of the most specific level known


@dataclass(frozen=True)
class Report:
    id: str
    source: str
    sha256: str
    kind: str
    agency: str | None
    region: Region
    year: int | None
    published: str | None
    template: Template
    figures: dict[str, Value]
    evidence: dict[str, Evidence]
    flags: tuple[Flag, ...]
    text: str
    stated: dict[str, Fact] = field(default_factory=dict)  # the prose's own statements of a table report's figures
    agency_id: str | None = None  # one key for one office under its name forms (parse.region.agency_key)
    provenance: dict[str, str] = field(default_factory=dict)  # figure key -> how it was obtained (Fact.how, or "corrected")
    corrections: tuple[Correction, ...] = ()  # figures set by hand (nianbao.corrections)
    # what its pages are made from: its file and content (so its figures), id, agency key and flags, as a short
    # digest; made with the report (a field, not an argument), so every copy of it is stamped by what it is
    fingerprint: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fingerprint", fingerprint(self.source, self.sha256, self.id, self.agency_id, self.flags))

    def __setstate__(self, state: dict[str, Any]) -> None:
        """As unpickled (from the parse cache, from a worker): its keys are the ones every report shares
        (``sys.intern``), not a copy for each; a build of 10,000 reports holds about 600 keys a report."""
        for name in _KEYED:
            if state.get(name):
                state[name] = dict(zip(map(sys.intern, state[name]), state[name].values(), strict=True))
        for name, value in state.items():
            object.__setattr__(self, name, value)

    def get(self, key: str) -> Value:
        return self.figures.get(key)

    def changed(self, **changes: Any) -> Report:
        """This report with some of its fields changed (a new report: this one is as it was)."""
        return replace(self, **changes)

    def with_flags(self, extra: list[Flag]) -> Report:
        return self.changed(flags=self.flags + tuple(extra)) if extra else self

    def renamed(self, id: str) -> Report:
        return self.changed(id=id)


_KEYED = ("figures", "evidence", "stated", "provenance")  # a report's dicts by figure key


def fingerprint(source: str, sha256: str, id: str, agency_id: str | None, flags: tuple[Flag, ...]) -> str:
    """A report's ``fingerprint``, from the fields it is made of."""
    return hashlib.blake2b(repr((source, sha256, id, agency_id, flags)).encode(), digest_size=12).hexdigest()
