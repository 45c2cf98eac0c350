"""SourceDoc -> Report: the parser, a pure function of the file's text.

Order: lines -> metadata (detect) -> template tables (tables) -> sentences
(prose). In a gb2019/gb2021 report the tables are authoritative and the prose
figures are kept aside (``Report.stated``) for the TEXT_TABLE check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.model import Evidence, Fact, Flag, Line, Region, Report, SourceDoc, Value
from nianbao.parse.agency import detect_agency, find_title
from nianbao.parse.detect import detect_published, detect_template, detect_year
from nianbao.parse.lines import split_lines
from nianbao.parse.prose import read_prose
from nianbao.parse.region import agency_key, detect_region
from nianbao.parse.tables import read_tables


def _meta_year(value: object) -> int | None:
    try:
        return int(str(value).strip().rstrip("年度"))
    except ValueError:
        return None


@dataclass
class _Read:
    """What the rules read of one report, before it becomes a Report."""

    figures: dict[str, Value] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    stated: dict[str, Fact] = field(default_factory=dict)  # prose statements of table figures, for TEXT_TABLE
    flags: list[Flag] = field(default_factory=list)

    def take(self, facts: list[Fact]) -> None:
        """The first statement of each figure wins."""
        for fact in facts:
            if fact.key.startswith("requests.outcomes."):  # one outcome's own line; the figure is requests.outcomes
                self.evidence.setdefault(fact.key, fact.evidence)
                self.provenance.setdefault(fact.key, fact.how)
            elif fact.key not in self.figures:
                self.figures[fact.key] = fact.value
                self.evidence[fact.key] = fact.evidence
                self.provenance[fact.key] = fact.how


def _read_figures(lines: list[Line], template: str, year: int | None) -> _Read:
    """In a gb2019/gb2021 report the tables win; the prose's own statement of a table figure is kept aside."""
    read = _Read()
    if template == "narrative":
        read.take(read_prose(lines, year))
        return read
    tables = read_tables(lines, template)
    read.take(tables.facts)
    read.flags += tables.flags
    prose = read_prose([line for line in lines if line.number not in tables.lines_used], year)
    read.stated = {f.key: f for f in prose if f.key in read.figures}
    read.take([f for f in prose if f.key not in read.figures])
    return read


def _identity(doc: SourceDoc, lines: list[Line]) -> tuple[str | None, int | None, str | None, dict[str, Evidence]]:
    """Agency, year and issue date, from the text unless the file's metadata sets them, with their lines."""
    title = find_title(lines)
    found = {
        "agency": detect_agency(lines, title),
        "year": detect_year(lines, title),
        "published": detect_published(lines, title),
    }
    meta = doc.meta
    if meta.get("agency"):
        found["agency"] = (str(meta["agency"]).strip(), None)
    if meta.get("year") is not None and _meta_year(meta["year"]) is not None:
        found["year"] = (_meta_year(meta["year"]), None)
    if meta.get("published"):
        found["published"] = (str(meta["published"]).strip(), None)
    evidence = {key: ev for key, (_, ev) in found.items() if ev is not None}
    return found["agency"][0], found["year"][0], found["published"][0], evidence  # type: ignore[return-value]


def _region(doc: SourceDoc, agency: str | None, lines: list[Line]) -> Region:
    given = doc.meta.get("region")
    if isinstance(given, dict) and any(given.get(k) for k in ("province", "city", "county")):
        levels = [str(given[k]) if given.get(k) else None for k in ("province", "city", "county")]
        found = detect_region(None, [], tuple(n for n in levels if n))  # the code, where the gazetteer knows them
        same = all(n is None or n in (found.province, found.city, found.county) for n in levels)
        return Region(levels[0], levels[1], levels[2], found.code if same else None)  # as the user wrote it
    if isinstance(given, str):
        return detect_region(given, [], ())
    return detect_region(agency, lines, doc.folders)


def parse_report(doc: SourceDoc) -> Report:
    """Read every figure the report states; what it does not state stays absent."""
    lines = split_lines(doc.text)
    agency, year, published, evidence = _identity(doc, lines)
    template = detect_template(lines, year)
    read = _read_figures(lines, template, year)
    region = _region(doc, agency, lines)
    named = dict.fromkeys(evidence, "prose")  # agency, year, date: the title, a sentence or the signature that says it
    return Report(
        id="",
        source=doc.source,
        sha256=doc.sha256,
        kind=doc.kind,
        agency=agency,
        agency_id=agency_key(agency, region, doc.source),
        region=region,
        year=year,
        published=published,
        template=template,
        figures=read.figures,
        evidence=read.evidence | evidence,
        flags=tuple(read.flags),
        text=doc.text,
        stated=read.stated,
        provenance=read.provenance | named,
    )
