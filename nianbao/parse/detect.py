"""What a report is: template, agency, year, issue date and region.

The agency comes from the title (which may wrap over two lines) or from the
signature; the year from the title or the statistics period; the issue date
from the signature or the page header. Nothing is guessed: a report that does
not name its agency or year gets None here and a flag later.
"""

from __future__ import annotations

import re

from nianbao.model import Evidence, Line, Region, Template
from nianbao.parse import vocab

_TITLE = re.compile(r"(政府信息公开|政务公开|信息公开).{0,8}(年度报告|年报|工作报告|报告)")
_TITLE_SPLIT = re.compile(
    r"^(?P<pre>.*?)(?:关于)?\s*(?P<year>\d{4})\s*年\s*度?\s*(?P<mid>.*?)(?:的)?(?:政府信息公开|政务公开|信息公开)"
)
_TITLE_NO_YEAR = re.compile(r"^(?P<pre>.*?)(?:关于)?(?:政府信息公开|政务公开|信息公开)")
_AGENCY_END = re.compile(
    r"(人民政府|政府|办事处|街道|镇|乡|局|委员会|委|办公室|办|厅|部|署|院|中心|管委会|公司|所|站|队|会|分局|支队|"
    r"大队|总队|馆|处|区|县|市|州|盟|旗|集团|学校|大学|医院|银行)$"
)
_PERIOD = re.compile(r"(\d{4})年1月1日[^\d。]{0,6}?(?:至|到|-|—|~)\s*(?:(\d{4})年)?12月31日")
_PERIOD_END = re.compile(r"(?:统计|数据|截止|截至)[^。]{0,12}?(\d{4})年12月31日")
_REPORT_YEAR = re.compile(r"(\d{4})\s*年度?\s*(?:的)?(?:政府信息公开|政务公开)(?:工作)?(?:年度)?(?:报告|年报)")
_DATE_ONLY = re.compile(
    r"^(?:(?:发布|印发|成文|发文|公开|生成|更新)?(?:日期|时间)\s*[:：]?\s*)?"
    r"(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)?\s*(?:(\d{1,2})\s*日?)?"
    r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*(?:来源|发布|浏览|点击|作者|信息来源).*)?$"
)
_CHROME = re.compile(r"相关附件|相关新闻|相关链接|打印|关闭|分享|字号|返回顶部|扫一扫|网站地图|版权所有|主办|承办|ICP|备案")
_PROVINCES = (
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "台湾省",
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
)
_CITY_COUNTY = re.compile(
    r"([\u4e00-\u9fff]{2,8}?(?:市|自治州|地区|盟))([\u4e00-\u9fff]{1,8}?(?:区|自治县|县|自治旗|旗|市))(?=人民政府|政府|[\u4e00-\u9fff])"
)
_COUNTY_ONLY = re.compile(r"^([\u4e00-\u9fff]{1,6}?(?:区|自治县|县|自治旗|旗))")


def detect_template(lines: list[Line], year: int | None) -> Template:
    text = "\n".join(line.text for line in lines)
    if vocab.GB2021_MARKERS.search(text):
        return "gb2021"
    if vocab.GB2019_MARKERS.search(text):
        return "gb2019"
    if vocab.TABLE_MARKERS.search(text):
        return "gb2021" if year is not None and year >= 2021 else "gb2019"
    return "narrative"


def _clean_agency(name: str) -> str | None:
    name = re.sub(r"[《》“”\"'()\[\]【】<>「」·•\s]", "", name)
    name = re.sub(r"^(?:关于|附件\d*[:：]?)|(?:关于|的)$", "", name).strip(":：,，、 ")
    if not (2 <= len(name) <= 40) or re.search(r"\d|[,，。;；:]", name) or not _AGENCY_END.search(name):
        return None
    return name


def _title_agency(lines: list[Line], i: int) -> str | None:
    text = lines[i].text
    m = _TITLE_SPLIT.match(text) or _TITLE_NO_YEAR.match(text)
    if m:
        for part in ("pre", "mid"):
            name = _clean_agency(m.groupdict().get(part) or "")
            if name:
                return name
    # a title wrapped over lines: the agency sits on the line above
    for j in (i - 1, i - 2):
        if j >= 0 and lines[i].number - lines[j].number <= 3 and len(lines[j].text) <= 40:
            name = _clean_agency(lines[j].text)
            if name:
                return name
    return None


def find_title(lines: list[Line]) -> int | None:
    """Index of the title line (the first of two when it wraps), or None."""
    for i, line in enumerate(lines[:25]):
        text = line.text
        if len(text) <= 70 and _TITLE.search(text) and not re.search(r"[。,，;；]", text.replace("《", "")):
            return i
        joined = text + lines[i + 1].text if i + 1 < len(lines) else ""
        wraps = len(text) <= 40 and "报告" not in text and len(joined) - len(text) <= 30
        if joined and wraps and _TITLE.search(joined) and not re.search(r"[。,，;；]", joined):
            return i
    return None


def detect_agency(lines: list[Line], title: int | None) -> tuple[str | None, Evidence | None]:
    if title is not None:
        joined = lines[title]
        if "报告" not in joined.text and title + 1 < len(lines):
            joined = Line(joined.number, joined.text + lines[title + 1].text, joined.raw)
        name = _title_agency(lines[:title] + [joined], title)
        if name:
            return name, Evidence(lines[title].number, lines[title].raw)
    tail = [ln for ln in lines[-12:] if not _CHROME.search(ln.text)]
    for k in range(len(tail) - 1, -1, -1):
        if _DATE_ONLY.match(tail[k].text) and k > 0:
            name = _clean_agency(tail[k - 1].text)
            if name:
                return name, Evidence(tail[k - 1].number, tail[k - 1].raw)
    return None, None


def detect_year(lines: list[Line], title: int | None) -> tuple[int | None, Evidence | None]:
    candidates: list[tuple[re.Pattern[str], list[Line]]] = []
    if title is not None:
        candidates.append((re.compile(r"(\d{4})\s*年"), lines[max(0, title - 1) : title + 2]))
    candidates += [(_PERIOD, lines), (_PERIOD_END, lines), (_REPORT_YEAR, lines)]
    for pattern, scope in candidates:
        for line in scope:
            m = pattern.search(line.text)
            if m:
                year = int(m.group(1))
                if 1990 <= year <= 2100:
                    return year, Evidence(line.number, line.raw)
    return None, None


def _date(m: re.Match[str]) -> str | None:
    year, month = int(m.group(1)), int(m.group(2))
    if not (1990 <= year <= 2100 and 1 <= month <= 12):
        return None
    if m.group(3):
        day = int(m.group(3))
        return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= day <= 31 else None
    return f"{year:04d}-{month:02d}"


def detect_published(lines: list[Line], title: int | None) -> tuple[str | None, Evidence | None]:
    tail = [ln for ln in lines[-10:] if not _CHROME.search(ln.text) or _DATE_ONLY.match(ln.text)]
    head = lines[: (title or 0) + 8]
    for scope in (reversed(tail), head):
        for line in scope:
            m = _DATE_ONLY.match(line.text.strip())
            if m and (date := _date(m)):
                return date, Evidence(line.number, line.raw)
    return None, None


def detect_region(agency: str | None, folders: tuple[str, ...]) -> Region:
    """Province, city and county where the name or the content folders make them certain."""
    province = city = county = None
    for name in folders:
        if name in _PROVINCES:
            province = name
        elif re.fullmatch(r"[\u4e00-\u9fff]{2,8}(?:市|自治州|地区|盟)", name) and not city:
            city = name
        elif re.fullmatch(r"[\u4e00-\u9fff]{1,8}(?:区|县|自治县|旗|县级市)", name):
            county = name
    if agency:
        rest = agency
        for p in _PROVINCES:
            if rest.startswith(p):
                province, rest = province or p, rest[len(p) :]
                break
        m = _CITY_COUNTY.match(rest)
        if m and city and m.group(1) != city:
            pass  # the folder files it under another city: its county cannot be combined with that city
        elif m:
            city, county = city or m.group(1), county or m.group(2)
        elif m2 := _COUNTY_ONLY.match(rest):
            county = county or m2.group(1)
    return Region(province, city, county)
