"""Rules reading figures stated in sentences (narrative reports, and the prose
around the tables of gb2019/gb2021 reports).

Lines are joined into sentences (PDF text wraps mid-sentence), each rule reads
clauses of one kind, and the first statement of a figure wins. Distractors the
rules refuse: approximate counts ("5500余条"), cumulative ones ("累计"), money
spent rather than fees collected, 不予公开 items outside the request section.
"""

from __future__ import annotations

import re

from nianbao.model import Fact, Line
from nianbao.parse import vocab
from nianbao.parse.numbers import amount, count
from nianbao.parse.sentences import Clause, Document

_COUNT = r"\s*(\d+(?:\.\d+)?)\s*(余|多|以上|左右)?\s*(?:件|条|个|份|宗|次|人次|起|项|篇)"
_HAS_COUNT = re.compile(_COUNT)
_CUMULATIVE = re.compile(r"累计|历年|以来|至今|目前|截至|截止")
# 主动公开政府信息63条, 主动在门户网站公开政府信息50条, 共公开信息314条, 共计公开各类政府信息121条, 共发布信息59条,
# 其中主动公开18件: a count of items disclosed, not one refused (不予公开) or requested (依申请公开), nor a request's
# outcome (予以公开4件, 同意公开, 全部公开)
_PROACTIVE_TOTAL = re.compile(
    r"(?:主动(?:在|通过)?[^,;。\d]{0,20}?)?(?:共计|共|累计)?(?:主动)?(?<!不予)(?<!申请)(?<!部分)(?<!予以)(?<!同意)(?<!全部)(?:公开|发布)了?"
    r"(?:(?:各类|各种|各项|的)?(?:政府)?信息(?:公开)?(?:数|数量|总数|总量|信息)?|(?=\s*(?:共计|共|合计|总计|为|达到|达)?\s*\d))"
    r"(?:共计|共|合计|总计|总数|为|达到|达)?" + _COUNT
)
# a sentence about the year's work: "2019年,我镇在…公开…", "全年共发布信息59条"
_YEAR_SENTENCE = re.compile(r"^\s*(?:\d{4}\s*年度?|全年|本年度?|今年|年内)")
_OPENS_WITH_YEAR = re.compile(r"^\s*(?:\d{4}\s*年度?|全年)")  # "2021年累计主动公开…830条": the year's own total
_RECEIVED = re.compile(
    r"(?:收到|受理|接到|接收|新收|办理)了?[^,;。\d]{0,40}?(?:申请|依申请公开(?:事项|信息)?)(?:数量|数|总数)?[^,;。\d]{0,6}?"
    r"(?:共计|共|合计|总计|为)?" + _COUNT
)
_OTHER_APPLICATION = re.compile(vocab.OTHER_APPLICATION)
# a count of requests of another channel right after the first (not 上年结转申请, a quantity of its own)
_ANOTHER_KIND = re.compile(r"\s*[、和及与]\s*(?![^,;。\d、]{0,12}?结转)[^,;。\d、]{0,12}?申请[^,;。\d]{0,4}?\d")
_RECEIVED_ZERO = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到|接收|发生|产生|出现)?[^,;。\d]{0,14}?(?:依申请|公开申请|申请公开)"
    r"|(?:依申请公开|公开申请)[^,;。\d]{0,10}?(?:为零|为0件|数为0)"
)
# requests are counted in 件 (or 宗/个/份); "不予公开信息10条" counts items of information, not requests
# the request table's summary rows said in a sentence: 上年结转…1件, 共办结…16件, 结转至2024年办理1件
_REQUEST_ROWS = (
    ("carried_over", re.compile(r"上年度?结转[^,;。\d]{0,24}?(?:共计|共|为)?" + _COUNT)),
    ("processed_total", re.compile(r"(?:共|已|全部|均已)?办结[^,;。\d]{0,24}?(?:共计|共|为)?" + _COUNT)),
    ("carried_forward", re.compile(r"结转(?:至|到)?(?:下一?年度?|\d{4}\s*年度?)(?:继续)?(?:办理|答复)?[^,;。\d]{0,6}?" + _COUNT)),
)
_OUTCOME_ITEM = re.compile(r"(?P<label>[^,;。:\d%]{2,30}?)(?:的|类)?\s*(?:共|为|有)?\s*(\d+)\s*(余|多)?\s*(?:件|宗|个|份|次)")
_NOT_OUTCOME = re.compile(vocab.NOT_OUTCOME)
_REVIEW_NUMBER = {
    "reconsideration.total": re.compile(r"复议(?:申请|案件)?[^,;。\d]{0,10}?" + _COUNT),
    "litigation.total": re.compile(r"诉讼(?:案件)?[^,;。\d]{0,10}?" + _COUNT),
}
_PENDING = re.compile(r"^[,;]?\s*(?:目前|现)?(?:均|都)?(?:正在办理|正在审理|尚未审结|未审结|审理中|办理中|尚在审理)")
# a part of the cases (决定维持2件, 被纠正1件), and all cases of which some are about disclosure: not the total
_REVIEW_PART = re.compile(r"维持|纠正|撤销|驳回|确认|终止|审结|结果|败诉|胜诉|调解|和解")
_OF_ALL_CASES = re.compile(r"[,;]?\s*其中[^,;。\d]{0,16}?(?:信息公开|政府信息)")
_BOTH = re.compile(r"复议[^,;。\d]{0,12}诉讼[^,;。\d]{0,6}?各" + _COUNT)
# not the columns 未经复议直接起诉, 尚未审结
_NONE_WORD = re.compile(r"(?:没有|未(?!经|审结)|无|不存在)(?:发生|出现|收到|接到|产生|被)?")
_FEE_CONTEXT = re.compile(r"信息公开|申请|检索|复制|邮寄|处理费|查阅|收费")
_FEE_SPENT = re.compile(vocab.FEE_SPENT + "|" + vocab.FEE_OF_OTHERS)
_FEE_AMOUNT = re.compile(r"(?:收取|收费|收缴)[^,;。]{0,30}?(\d+(?:\.\d+)?)\s*(万元|元)")
_FEE_ZERO = re.compile(r"(?:未|没有|无|不|免)[^,;。\d]{0,24}?(?:收费|收取|费用)|免费|收费[^,;。\d]{0,8}?为(?:零|0)")


_NOT_PUBLISHED = re.compile(vocab.NOT_PUBLISHED)
_CHANNEL = re.compile("|".join(vocab.CHANNELS))
_CATEGORY = re.compile(
    r"^\s*[:：]?\s*(?:\d+\s*[.、])?\s*(?:包括)?([\u4e00-\u9fff][\u4e00-\u9fff、]{1,59}?)" + _COUNT + r"\s*等?\s*[)）]?\s*$"
)


class _Facts:
    def __init__(self, doc: Document):
        self.doc = doc
        self.found: dict[str, Fact] = {}

    def add(self, key: str, value: object, offset: int) -> None:
        if key not in self.found and value is not None:
            self.found[key] = Fact(key, value, self.doc.evidence(offset), "prose")  # type: ignore[arg-type]


def _lead_in(clauses: list[Clause], i: int) -> str:
    """The clauses of the same sentence that lead into clause ``i`` without a count of their own
    ("截至2023年12月31日," before "法定主动公开政府信息共222条"), and the clause itself."""
    text = ""
    j = i - 1
    while j >= 0 and clauses[j].sentence is clauses[i].sentence and not _HAS_COUNT.search(clauses[j].text):
        text = clauses[j].text + "," + text
        j -= 1
    return text + clauses[i].text


def _proactive(doc: Document, facts: _Facts) -> None:
    """The year's proactive total, with its channels and categories; null where two sentences about the year state
    it differently (公开信息20条 … 全年公开政府信息16条): which one is the year's, the report does not say."""
    found = _proactive_totals(doc)
    if not found:
        return
    clause, m = found[0]
    # the year's total again: a sentence of its own about the year, of information published (not 其中…, not requests)
    about_year = [(c, n) for c, n in found[1:] if _YEAR_SENTENCE.match(c.sentence) or _YEAR_SENTENCE.match(c.text)]
    again = [n for c, n in about_year if c.sentence is not clause.sentence]
    others = {count(n.group(1)) for n in again if "信息" in n.group() and "申请" not in n.string and not n.group(2)}
    if not m.group(2) and others <= {count(m.group(1))} and not _one_channel_of_several(clause, m):  # not "5500余条"
        facts.add("proactive.total", count(m.group(1)), clause.start + m.start(1))
    _channels(doc, clause, facts)
    _categories(clause, m.end(), facts)


def _one_channel_of_several(clause: Clause, m: re.Match[str]) -> bool:
    """通过微信公众号发布信息150条,通过政府网站发布信息80条: one channel's count, the next clause another's, and no
    word that the first is the year's proactive total (主动)."""
    if "主动" in clause.text or not _CHANNEL.search(clause.text[: m.start(1)]):
        return False
    rest = clause.sentence[clause.sentence.find(clause.text) + len(clause.text) :]
    return bool(re.match(r"^[,;]\s*[^,;。]*?(?:" + _CHANNEL.pattern + r")[^,;。\d]{0,14}?" + _COUNT, rest))


def _proactive_totals(doc: Document) -> list[tuple[Clause, re.Match[str]]]:
    """Each clause that states a proactive total of the year (not a cumulative one), and its match."""
    clauses, found = doc.clauses(), []
    for i, clause in enumerate(clauses):
        if "公开" not in clause.text and "发布" not in clause.text:
            continue
        if "主动" not in clause.text and not (_YEAR_SENTENCE.match(clause.sentence) or _YEAR_SENTENCE.match(clause.text)):
            continue
        m = _PROACTIVE_TOTAL.search(clause.text)
        if not m:
            continue
        lead = _lead_in(clauses, i)
        before = lead[: len(lead) - len(clause.text) + m.start(1)]
        cumulative = {w.group() for w in _CUMULATIVE.finditer(before)}
        year_end = cumulative <= {"截至", "截止"} and re.search(r"截[至止]到?\s*\d{4}\s*年\s*12\s*月", before)
        year_total = cumulative == {"累计"} and _OPENS_WITH_YEAR.match(clause.sentence)  # "2021年累计主动公开…830条"
        if not cumulative or year_end or year_total:  # 截至目前, 截至…累计, 历年: not the year's figure
            found.append((clause, m))
    return found


def _channels(doc: Document, total: Clause, facts: _Facts) -> None:
    names = sorted(vocab.CHANNELS, key=len, reverse=True)
    found: dict[str, int] = {}
    offset = None
    for clause in doc.clauses():
        if clause.start < total.start or clause.heading > total.heading + 2 or "公开" not in clause.text:
            continue
        taken: list[tuple[int, int]] = []
        for name in names:
            for m in re.finditer(re.escape(name) + r"[^,;。\d]{0,14}?" + _COUNT, clause.text):
                value = count(m.group(1))
                if _NOT_PUBLISHED.search(m.group()):  # 通过门户网站办理信息公开申请3件: requests, not items published
                    continue
                if m.group(2) or value is None or any(s <= m.start() < e for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                found.setdefault(name, value)
                offset = offset if offset is not None else clause.start + m.start(1)
    if found and offset is not None:
        facts.add("proactive.channels", found, offset)


def _items(part: str) -> list[str]:
    """ "A1条、B2条" is two items; "财政预算、决算信息2条" is one."""
    return part.split("、") if len(_HAS_COUNT.findall(part)) > 1 else [part]


def _categories(total: Clause, after: int, facts: _Facts) -> None:
    """其中, A 2条, B 45篇, … 等: the categories of the stated total, all of them or none (a list read
    in part would make its sum look wrong)."""
    sentence = total.sentence
    at = sentence.find("其中", sentence.find(total.text) + after)  # a list that follows the total
    if at < 0:
        return
    body = sentence[at + 2 :]
    if sentence[:at].rstrip().endswith("(") and ")" in body:  # (其中:A 11条,B 2条);在…发布26条: the list is the bracket's
        body = body[: body.index(")")]
    body = re.sub(r"\([^()]*\)", "", body)
    found: dict[str, int] = {}
    parts = [piece for part in re.split(r"[,;]", body) for piece in _items(part)]
    for part in parts:
        m = _CATEGORY.match(part)
        value = count(m.group(2)) if m and not m.group(3) else None
        if m is None or value is None:
            if _HAS_COUNT.search(part):
                return  # an item not understood: the list is not read whole
            if found:
                break  # the list has ended ("涉及环保、扶贫等各个方面")
            continue
        label = re.sub(r"信息公开$", "信息", m.group(1).rstrip("等"))  # 人员招录信息公开3条
        if any(ch in label for ch in vocab.CHANNELS) or "公开" in label:
            return  # channels (政府网站公开信息数88条), not categories
        found[label] = value
    if found:
        facts.add("proactive.categories", found, total.start)


# the reasons of a grouped outcome (无法提供: 不掌握, 另行制作, 仍不明确), as its table rows print them
_REASONS = {
    group: re.compile("|".join(p for key, p in vocab.REQUEST_ROWS if key.startswith(group + ".")))
    for group in vocab.REQUEST_GROUPS
}


def _outcome_key(label: str) -> str | None:
    if "部分公开" in label:
        return "partially_granted"
    if re.search(r"不予公开|不公开|不予以公开", label):
        return "denied"
    if "无法提供" in label:
        return "unable"
    if "不予处理" in label:
        return "not_processed"
    if "其他处理" in label or label == "其他":
        return "other"
    if "结转下" in label or "转入下" in label:
        return "carried_forward"
    if "上年结转" in label or "上年度结转" in label:
        return "carried_over"
    if re.search(r"予以公开|同意公开|全部公开|已公开|依申请公开|^公开$|提供公开", label):
        return "granted"
    return None


def _received(text: str) -> re.Match[str] | None:
    """The first count of requests for government information in ``text`` (not 受理行政许可申请230件)."""
    at = 0
    while (m := _RECEIVED.search(text, at)) and _OTHER_APPLICATION.search(m.group(), 0, m.start(1) - m.start()):
        at = m.start() + 1
    return m


def _requests(doc: Document, facts: _Facts) -> None:
    anchor: Clause | None = None
    for clause in doc.clauses():
        if "申请" not in clause.text or _CUMULATIVE.search(clause.text):
            continue
        m = _received(clause.text)
        if m and _ANOTHER_KIND.match(clause.text, m.end()):  # 网上申请3件、纸质申请36件: parts, and no total
            return
        if m and not m.group(2):
            facts.add("requests.received", count(m.group(1)), clause.start + m.start(1))
            anchor = clause
            break
        zero = _RECEIVED_ZERO.search(clause.text)
        if zero and not re.search(r"\d+\s*件", clause.text):
            facts.add("requests.received", 0, clause.start + zero.start())
            return
    if anchor is None:
        return
    outcomes: dict[str, int] = {}
    for clause in doc.clauses():
        if clause.start < anchor.start or clause.heading != anchor.heading:
            continue
        rows = False
        for key, pattern in _REQUEST_ROWS:
            m = pattern.search(clause.text)
            if m and not m.group(2) and not _CUMULATIVE.search(clause.text[: m.start()]):
                facts.add(f"requests.{key}", count(m.group(1)), clause.start + m.start(1))
                rows = True
        if rows:
            continue
        for m in _OUTCOME_ITEM.finditer(clause.text):
            label = re.sub(r"^(?:其中|包括|对|为|属于|在|是)[:：]?", "", (m.group("label") or "").strip(" :：“”\"'"))
            label = label.strip(" “”\"'的、,，")
            value = count(m.group(2))
            if m.group(3) or not label or _NOT_OUTCOME.search(label) or value is None:
                continue
            row = _outcome_key(label)
            if row in _REASONS and _REASONS[row].search(label):  # 因本机关不掌握…无法提供1件: one reason's, not the total
                row = None
            if row:
                facts.add(f"requests.{row}", value, clause.start + m.start(2))
            elif label not in outcomes:
                outcomes[label] = value
                facts.add(f"requests.outcomes.{label}", value, clause.start + m.start(2))
    if outcomes:
        facts.add("requests.outcomes", outcomes, anchor.start)


def _review(doc: Document, facts: _Facts) -> None:
    for clause in doc.clauses():
        text = clause.text
        if ("复议" not in text and "诉讼" not in text) or _CUMULATIVE.search(text):
            continue
        both = _BOTH.search(text)
        if both and not both.group(2):
            for key in _REVIEW_NUMBER:
                facts.add(key, count(both.group(1)), clause.start + both.start(1))
            continue
        counted = False
        for key, pattern in _REVIEW_NUMBER.items():
            m = pattern.search(text)
            if not m or m.group(2):
                continue
            counted = True
            after = clause.sentence[clause.sentence.find(text) + m.end() :]
            if _REVIEW_PART.search(m.group()) or _OF_ALL_CASES.match(after):  # 复议决定维持2件; 诉讼案件120件,其中涉及…
                continue
            facts.add(key, count(m.group(1)), clause.start + m.start(1))
            if key == "reconsideration.total" and _PENDING.search(after[:16]):  # 行政复议1起,正在办理中
                facts.add("reconsideration.pending", count(m.group(1)), clause.start + m.start(1))
        none = _NONE_WORD.search(text)
        if not counted and none and not re.search(r"\d\s*(?:件|起|宗)", text):
            after = text[none.start() :]
            if "复议" in after:
                facts.add("reconsideration.total", 0, clause.start + none.start())
            if "诉讼" in after:
                facts.add("litigation.total", 0, clause.start + none.start())
        elif not counted and (zero := re.search(r"(?:复议|诉讼)[^,;。\d]{0,12}(?:均|都)?为(?:零|0)", text)):
            for key, word in (("reconsideration.total", "复议"), ("litigation.total", "诉讼")):
                if word in text:
                    facts.add(key, 0, clause.start + zero.start())


def _fees(doc: Document, facts: _Facts) -> None:
    for clause in doc.clauses():
        text = clause.text
        if "收" not in text and "费" not in text:  # every fee statement has one of them
            continue
        in_context = _FEE_CONTEXT.search(text) or _FEE_CONTEXT.search(doc.titles[clause.heading])
        if not (in_context or _FEE_CONTEXT.search(clause.sentence)) or _FEE_SPENT.search(text):
            continue
        m = _FEE_AMOUNT.search(text)
        if m:
            facts.add("fees.collected_yuan", amount(m.group(1), m.group(2)), clause.start + m.start(1))
            return
        zero = _FEE_ZERO.search(text) if re.search("收费|费用", text + clause.sentence) else None
        zero = zero or re.search(r"(?:未|没有|不|免)收取", text)
        if zero and not re.search(r"\d+\s*(?:件|次|宗|人)", text[zero.start() :]):  # 减免收费5件: waivers counted
            facts.add("fees.collected_yuan", 0, clause.start + zero.start())
            return


def read_prose(lines: list[Line], year: int | None = None) -> list[Fact]:
    """Figures stated in sentences about the report's ``year`` (where known), each with the line it came from."""
    doc = Document(lines, year)
    facts = _Facts(doc)
    _proactive(doc, facts)
    _requests(doc, facts)
    _review(doc, facts)
    _fees(doc, facts)
    return list(facts.found.values())
