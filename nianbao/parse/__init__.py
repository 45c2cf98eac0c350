"""SourceDoc -> Report: the parser, a pure function of the file's text.

Order: lines -> metadata (detect) -> template tables (tables) -> sentences
(prose). In a gb2019/gb2021 report the tables are authoritative and the prose
figures are kept aside (``Report.stated``) for the TEXT_TABLE check.
"""

from __future__ import annotations

from nianbao.model import Evidence, Fact, Report, SourceDoc, Value
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


def parse_report(doc: SourceDoc) -> Report:
    """Read every figure the report states; what it does not state stays absent."""
    lines = split_lines(doc.text)
    title = find_title(lines)
    agency, agency_ev = detect_agency(lines, title)
    year, year_ev = detect_year(lines, title)
    published, published_ev = detect_published(lines, title)
    meta = doc.meta
    if meta.get("agency"):
        agency, agency_ev = str(meta["agency"]).strip(), None
    if meta.get("year") is not None and _meta_year(meta["year"]) is not None:
        year, year_ev = _meta_year(meta["year"]), None
    if meta.get("published"):
        published, published_ev = str(meta["published"]).strip(), None
    template = detect_template(lines, year)

    figures: dict[str, Value] = {}
    evidence: dict[str, Evidence] = {}
    provenance: dict[str, str] = {}
    stated: dict[str, Value] = {}
    flags = []
    facts: list[Fact] = []
    if template != "narrative":
        tables = read_tables(lines, template)
        facts += tables.facts
        flags += tables.flags
        prose_lines = [line for line in lines if line.number not in tables.lines_used]
        table_keys = {f.key for f in tables.facts}
        for fact in read_prose(prose_lines):
            if fact.key in table_keys:
                stated[fact.key] = fact.value
            else:
                facts.append(fact)
    else:
        facts += read_prose(lines)
    for fact in facts:
        if fact.key.startswith("requests.outcomes."):  # one outcome's own line; the figure is requests.outcomes
            evidence.setdefault(fact.key, fact.evidence)
            provenance.setdefault(fact.key, fact.how)
        elif fact.key not in figures:
            figures[fact.key] = fact.value
            evidence[fact.key] = fact.evidence
            provenance[fact.key] = fact.how
    for key, ev in (("agency", agency_ev), ("year", year_ev), ("published", published_ev)):
        if ev is not None:
            evidence[key] = ev
            provenance[key] = "prose"  # the title, a sentence or the signature that names it

    region = detect_region(agency, lines, doc.folders)
    if isinstance(meta.get("region"), dict):
        given = {k: meta["region"].get(k) for k in ("province", "city", "county")}
        names = tuple(str(v) for v in given.values() if v)
        region = detect_region(None, [], names) if names else region
    elif isinstance(meta.get("region"), str):
        region = detect_region(meta["region"], [], ())
    return Report(
        id="",
        source=doc.source,
        sha256=doc.sha256,
        kind=doc.kind,
        agency=agency,
        agency_id=agency_key(agency, region),
        region=region,
        year=year,
        published=published,
        template=template,
        figures=figures,
        evidence=evidence,
        flags=tuple(flags),
        text=doc.text,
        stated=stated,
        provenance=provenance,
    )
