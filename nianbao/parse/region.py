"""Where the agency is: province, city and county with the division code.

From the content folders (a user's own filing wins), the places in the
agency's name (``北仑区人民政府郭巨街道办事处``) and, when the name has no
county, the place the text puts right before the name (``北仑区郭巨街道福民路``).
"""

from __future__ import annotations

import re

from nianbao.model import Line, Region
from nianbao.parse import gazetteer

_FOLDER_CITY = re.compile(r"[\u4e00-\u9fff]{2,8}(?:市|自治州|地区|盟)")
_FOLDER_COUNTY = re.compile(r"[\u4e00-\u9fff]{1,8}(?:区|县|自治县|旗|县级市)")
_GOVERNMENT = re.compile(r"^(?:人民政府|政府)")
_GOVERNMENT_END = re.compile(r"(?:人民政府|政府)$")


def _folder_region(folders: tuple[str, ...]) -> Region:
    """Levels named by folders, known divisions or not (a user may file under any name)."""
    province = city = county = None
    for name in folders:
        place = gazetteer.resolve([name]) if gazetteer.is_place(name) else None
        if place and place.county:  # a county-level city (耒阳市) is a county, though its name ends as a city's
            county = name
        elif place and place.city:
            city = name
        elif place and place.province:
            province = place.province
        elif name.endswith(("省", "自治区", "特别行政区")):
            province = name
        elif _FOLDER_CITY.fullmatch(name) and not city:
            city = name
        elif _FOLDER_COUNTY.fullmatch(name):
            county = name
    return Region(province, city, county)


def _places_before(core: str, lines: list[Line]) -> list[str]:
    """The division names printed right before the agency's core name in the text."""
    if len(core) < 2:
        return []
    for line in lines:
        at = line.text.find(core)
        while at > 0:
            before = _GOVERNMENT_END.sub("", line.text[max(0, at - 16) : at])
            found = gazetteer.places_in(before)
            if found and found[-1][0] + len(found[-1][1]) == len(before):
                return [name for _, name in found]
            at = line.text.find(core, at + 1)
    return []


def _core(agency: str) -> str:
    """The agency's own name after the places that lead it: 北仑区人民政府郭巨街道办事处 -> 郭巨街道办事处
    ("" for a place's own government: 福州市晋安区人民政府)."""
    rest = agency
    for pos, name in gazetteer.places_in(agency):
        if pos == len(agency) - len(rest):
            rest = _GOVERNMENT.sub("", rest[len(name) :])
    return rest


def detect_region(agency: str | None, lines: list[Line], folders: tuple[str, ...]) -> Region:
    """Province, city, county and code where the folders, the name or the text make them certain."""
    base = _folder_region(folders)
    names = [n for n in (base.province, base.city, base.county) if n and gazetteer.is_place(n)]
    if agency:
        in_name = [name for _, name in gazetteer.places_in(agency)]
        names += in_name
        if not base.county and not any(gazetteer.resolve([n]).county for n in in_name):  # a user's folder wins
            names += _places_before((_core(agency) or agency)[:4], lines)
    found = gazetteer.resolve(names) if names else None
    if found is None or found.province is None:
        return base
    if (base.province and found.province != base.province) or (base.city and found.city != base.city):
        return base  # the folders file it elsewhere: keep the user's filing, add nothing uncertain
    return Region(found.province, found.city or base.city, found.county or base.county, found.code)


_FORMS = (
    (re.compile(r"街道办事处$|街道办$"), "街道"),
    (re.compile(r"(?<=[\u4e00-\u9fff]{2})街$"), "街道"),
    (re.compile(r"(?<=[镇乡])人民政府$"), ""),
    (re.compile(r"管理委员会"), "管委会"),
    (re.compile(r"(?<=[省市县区旗])(?:人民)?政府$"), ""),
)


_PLACELESS = re.compile(r"^[区市县]")  # 区统计局: of which district?
_BELOW = {"province": ("city", "county"), "city": ("county",), "county": ()}


def agency_key(agency: str | None, region: Region, source: str) -> str | None:
    """One key for one office under its name forms: where it is (the division code, and the names of the levels
    below the code that are known) and its core name, normalised. A name with no place, in a report placed
    nowhere, keys to its own report: two 区统计局 are not one office by guess."""
    if not agency:
        return None
    core = _core(agency)
    for pattern, replacement in _FORMS:
        core = pattern.sub(replacement, core)
    if region.code:
        level = "province" if region.code.endswith("0000") else "city" if region.code.endswith("00") else "county"
        where = "-".join([region.code, *(n for n in (getattr(region, k) for k in _BELOW[level]) if n)])
    else:
        where = "-".join(p for p in (region.province, region.city, region.county) if p)
    if where:
        return f"{where}/{core}" if core else where
    return f"{agency}（{source}）" if _PLACELESS.match(agency) else core or agency
