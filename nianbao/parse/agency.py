"""Who reports: the agency's name, read from every place a person would look.

Sources, most trusted first: the title (past a crawler's or a page's words:
``标题:``, a breadcrumb, ``登录 注册``), a sentence that quotes the title
(``现公布丽岙街道2023年度政府信息公开工作年度报告``), the subject of a sentence
(``官洲街道办事处认真贯彻…``), ``我县/全县`` with the county named elsewhere,
the signature, ``由…编制`` and ``来源/发布机构`` lines. A candidate must be a
whole name that ends like one (…街道办事处, …人民政府, …局, …新区, …管委会) and
is never a fragment (``区人民政府办公室``, ``市政府办``); none found is None.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from nianbao.model import Evidence, Line
from nianbao.parse import gazetteer, vocab
from nianbao.parse.lines import paragraphs, runs_on

_SUFFIX = (
    r"(?:人民政府|政府|街道办事处|办事处|街道|管理委员会|管委会|委员会|领导小组办公室|办公室|办公厅|新区|示范区|实验区|开发区|高新区|"
    r"园区|林场|农场|镇|乡|街|局|委|办|厅|部|署|院|中心|公司|所|站|队|分局|支队|大队|总队|馆|处|区|县|市|州|盟|旗|集团|学校|"
    r"大学|医院|银行|支行|分行|海关|监狱|出版社|合作社|气象台|地震台|电视台|信息公开办)"
)
_ENDS_LIKE_NAME = re.compile(_SUFFIX + "$")
_BARE_SUFFIX = re.compile(_SUFFIX + "+")
_TITLE = re.compile(r"(政府信息公开|政务公开|信息公开).{0,8}(年度报告|年报|工作报告|报告)")
# a report's title inside a line or a sentence: NAME [YYYY年度] [NAME] 政府信息公开…报告
_REPORT = r"(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报)"
_QUOTED_TITLE = re.compile(
    r"(?P<pre>[\u4e00-\u9fff]{2,40}?)?\s*(?P<year>\d{4})\s*年\s*度?\s*(?P<mid>[\u4e00-\u9fff]{0,30}?)(?:的)?" + _REPORT
)
_TITLE_NO_YEAR = re.compile(r"^(?P<pre>[\u4e00-\u9fff]{2,40}?)(?:关于)?(?:的)?" + _REPORT)
# words a page or a sentence puts before a name: what precedes them is not part of it
_LEAD = re.compile(
    r".*(?:现公布|特公布|予以公布|公布|现将|特向社会|向社会|现发布|发布|印发|关于|特编制|编制了|编制|根据|按照|依据|"
    r"汇总|当前位置|您的位置|位置|首页|登录|注册|标题|题名|名称|来源|打印|关闭|分享|字号|在|由|对|是|了)"
)
# a page's section name stuck before the title's agency: 政府信息公开福州市晋安区…
_PAGE_WORDS = re.compile(r"^(?:政府信息公开|信息公开|政务公开|正文|详情)+(?=[\u4e00-\u9fff]{2})")
_SUBJECT_VERB = re.compile(
    r"(?:认真|深入|严格|坚持|积极|全面|紧紧|始终|进一步|高度|持续|不断|切实|扎实|继续|紧密|大力|着力|围绕|按照|根据|依据|"
    r"贯彻|落实|主动公开|共|特|坚决|以|在|通过|把|将|对|全年|牢牢|聚焦)"
)
_CLAUSE_SUBJECT = re.compile(
    r"(?:^|[,;。:])(?:\d{4}年度?\s*,?)?\s*(?P<name>[\u4e00-\u9fff]{2,30}?)(?=" + _SUBJECT_VERB.pattern + ")"
)
# a name met as a sentence's subject ends as an office's does: not in 站, 所, 处 (通过网站以以…)
_SUBJECT_END = re.compile(
    r"(?:人民政府|政府|办事处|街道|管委会|管理委员会|委员会|办公室|新区|示范区|实验区|开发区|镇|乡|街|局|区|县|市)$"
)
_COMPILED_BY = re.compile(r"由(?P<name>[\u4e00-\u9fff]{2,40}?)(?:负责)?(?:编制|根据|按照|汇总|牵头)")
_SOURCE_LINE = re.compile(r"(?:来源|发布机构|发布单位|信息来源|发文机关|发布部门)\s*[:|]\s*\|?\s*(?P<name>[\u4e00-\u9fff]{2,40})")
_SELF = re.compile(r"(?:我|全|本)(县|市|区|镇|乡|街道|街)(?![长委])")
_NOT_A_NAME = re.compile(
    r"^(?:我|本|全|该|各|年|中华人民共和国|镇|乡|省|街道|上级|有关|相关|政府|人民政府|信息公开|通过|按照|根据|依据|围绕|经|向|从|把|将|对|为|以|及|和|与|"
    r"并|但|而|其|此|这|那|要|已|还|也|都|均|共|于|属于|关于|度)|报告|年度|年报|条例|规定|要求"
)
# a name that leaves out its place (区统计局): whole where the report names itself so in its title, a fragment elsewhere
_UNPLACED = re.compile(r"^(?:区|市|县)")
_DATE_LINE = re.compile(
    r"^(?:(?:发布|印发|成文|发文|公开)?(?:日期|时间)\s*[:：]?\s*)?\d{4}\s*(?:年|-|/|\.)\s*\d{1,2}\s*(?:月|-|/|\.)"
)


def clean(name: str, titled: bool = False) -> str | None:
    """A whole agency name out of a span of text, or None when it is not one."""
    name = re.sub(r"[《》“”\"'()\[\]【】<>「」·•\s]", "", name)
    name = re.sub(r"(?:关于|的)$", "", name)  # "某局关于2022年…报告": the name is before it
    name = _LEAD.sub("", name).strip(":：,，、 ")
    name = gazetteer.repair(_PAGE_WORDS.sub("", name))
    if not (2 <= len(name) <= 40) or re.search(r"\d|[,，。;；:|]", name) or not _ENDS_LIKE_NAME.search(name):
        return None
    if _NOT_A_NAME.search(name) or (_UNPLACED.match(name) and not titled) or (len(name) < 3 and not gazetteer.is_place(name)):
        return None
    if _BARE_SUFFIX.fullmatch(name):
        return None  # "办事处", "管委会": the end of a name whose start is elsewhere
    return name


def find_title(lines: list[Line]) -> int | None:
    """Index of the report's title line (a title wrapped over lines: its first line), or None."""
    titles = _titles(lines)
    return titles[0][0] if titles else None


def _titles(lines: list[Line]) -> list[tuple[int, str]]:
    """(index, text) of the lines near the top that read as the report's title, a title wrapped over two lines
    joined, those that name an agency first (a crawler's "标题: 2022年…报告" above the page's own title names none)."""
    found = []
    for i, line in enumerate(lines[:30]):
        if i and runs_on(lines[i - 1], line) and re.search(r"[,，、。;；:《》]", lines[i - 1].text):
            continue  # the rest of a sentence wrapped above it: no title starts here (a breadcrumb is no sentence)
        text = line.text
        if not _TITLE.search(text) and i + 1 < len(lines) and len(text) <= 40:
            text += lines[i + 1].text  # "…2022年度政府信息公开" / "工作年度报告"
        short = len(text) <= 80 and not re.search(r"[。,，;；]", text.replace("《", ""))
        if short and _TITLE.search(text) and (_title_name(text) or not _is_chrome_title(text)):
            found.append((i, text))
    return sorted(found, key=lambda t: not _title_name(t[1]))


def _is_chrome_title(text: str) -> bool:
    return ">" in text or "位置" in text


def _title_name(text: str) -> str | None:
    text = re.sub(r"^.*[>»]", "", text)  # a breadcrumb's last step may be the title
    for m in _QUOTED_TITLE.finditer(text):
        for part in ("pre", "mid"):
            name = clean(m.group(part) or "", titled=True)
            if name:
                return name
    bare = _TITLE_NO_YEAR.search(text)
    return clean(bare.group("pre"), titled=True) if bare else None


def _candidates(lines: list[Line], title: int | None) -> Iterator[tuple[str, Line]]:
    for t, text in _titles(lines) if title is not None else ():
        line = lines[t]
        if name := _title_name(text):
            yield name, line
        for j in (t - 1, t - 2):  # a title wrapped over lines: the agency on a line above
            near = j >= 0 and line.number - lines[j].number <= 3 and len(lines[j].text) <= 40
            near = near and not runs_on(lines[j], lines[j + 1])  # not a paragraph's first line cut in a name
            if near and not _TITLE.search(lines[j].text) and (name := clean(lines[j].text)):
                yield name, lines[j]
    head = lines[:40]
    wrapped = paragraphs(head)
    for para in wrapped:  # a sentence that quotes the title, maybe wrapped over lines (PDF or OCR text)
        if _TITLE.search(para.text) and (name := _title_name(para.text)):
            yield name, para.line_at(max(0, para.text.find(name)))
    for para in wrapped:
        for m in _CLAUSE_SUBJECT.finditer(para.text):
            if (name := clean(m.group("name"))) and _SUBJECT_END.search(name):
                yield name, para.line_at(m.start("name"))
    yield from _self_named(lines)
    yield from _signature(lines)
    for para in wrapped + paragraphs(lines[40:]):
        for m in _COMPILED_BY.finditer(para.text):
            if name := clean(m.group("name")):
                yield name, para.line_at(m.start("name"))
    for line in head:
        for m in _SOURCE_LINE.finditer(line.text):
            if name := clean(m.group("name")):
                yield name, line


def _signature(lines: list[Line]) -> Iterator[tuple[str, Line]]:
    tail: list[Line] = []  # the last 12 lines past the page's links and footer
    for line in reversed(lines[-30:]):
        if len(tail) < 12 and not vocab.PAGE_CHROME.search(line.text):
            tail.insert(0, line)
    for k in range(len(tail) - 1, 0, -1):
        if _DATE_LINE.match(tail[k].text) and (name := clean(tail[k - 1].text)):
            yield name, tail[k - 1]


# a character that does not start a place's own name: where a name met in running text begins
_NAME_STOP = set("的了在和与及对为由向将把被从于是我本全该各其此等年度月日号市区县省制定《》“”(),、:;。 ")


def _own_character(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" and ch not in _NAME_STOP


def _named_in_text(kind: str, text: str) -> Counter[str]:
    """Names ending in ``kind`` (街道, 镇, …) met in running text, each from its first own character."""
    names: Counter[str] = Counter()
    suffix = "街道" if kind == "街" else kind
    for m in re.finditer(suffix, text):
        start = m.start()
        while start > 0 and m.start() - start < 4 and _own_character(text[start - 1]):
            start -= 1
        if m.start() - start >= 2:
            names[text[start : m.end()]] += 1
    return names


def _self_named(lines: list[Line]) -> Iterator[tuple[str, Line]]:
    """我县/全县, 我街/我镇 … and the name of that kind printed elsewhere in the text."""
    text = "\n".join(line.text for line in lines)
    kinds = Counter(m.group(1) for m in _SELF.finditer(text))
    for kind, _ in kinds.most_common():
        if kind in ("县", "市", "区"):
            names = Counter(name for _, name in gazetteer.places_in(text) if name.endswith(kind))
        else:
            names = _named_in_text(kind, text)
        for name, _ in names.most_common():
            if clean(name) == name:
                yield name, next(ln for ln in lines if name in ln.text)
                break


def detect_agency(lines: list[Line], title: int | None) -> tuple[str | None, Evidence | None]:
    """The agency as the report names itself, and the line that names it."""
    for name, line in _candidates(lines, title):
        return name, Evidence(line.number, line.raw)
    return None, None
