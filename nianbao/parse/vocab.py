"""Printed labels and their variants -> schema keys. Data, not code.

Row keywords are chosen to be short and distinctive so that a label wrapped over
two lines, or detached from its group, is still recognised from either half.
Tables: 国办公开办函〔2019〕60号 (gb2019) and 国办公开办函〔2021〕30号 (gb2021).
"""

from __future__ import annotations

import re

COLUMNS = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")

# 三、收到和处理政府信息公开申请情况: row key -> keyword pattern
REQUEST_ROWS: tuple[tuple[str, str], ...] = (
    ("received", r"本年新收"),
    ("carried_over", r"上年结转"),
    ("granted", r"予以公开"),
    ("partially_granted", r"部分公开"),
    ("denied.state_secret", r"国家秘密"),
    ("denied.prohibited_by_law", r"法律行政法规|法规禁止|禁止公开"),
    ("denied.security_stability", r"三安全|危及"),
    ("denied.third_party", r"第三方"),
    ("denied.internal_affairs", r"内部事务"),
    ("denied.process_info", r"过程性"),
    ("denied.enforcement_file", r"执法案卷"),
    ("denied.query_matter", r"查询事项"),
    ("unable.not_held", r"不掌握"),
    ("unable.needs_creation", r"没有现成|另行制作"),
    ("unable.unclear", r"补正后|仍不明确"),
    ("not_processed.petition", r"信访|举报投诉"),
    ("not_processed.duplicate", r"重复申请"),
    ("not_processed.publication", r"出版物"),
    ("not_processed.excessive", r"大量反复"),
    ("not_processed.confirmation", r"确认或|重新出具"),
    ("other.no_correction", r"逾期不补|不补正"),
    ("other.no_fee", r"收费通知|缴纳费用"),
    ("other", r"其他处理"),
    ("processed_total", r"(?:^|\(七\)|七、|\t|\|)\s*[总合]计"),
    ("carried_forward", r"结转下年"),
)
# "3、其他" is a row only inside the 其他处理 group (gb2021)
OTHER_OTHER = re.compile(r"^\W*(?:\d\s*[.、]|\(?\d\)|[一二三]、)?\s*其他\s*$|^\W*\d\s*[.、]\s*其他(?=\s|\t|\d|$)")
# the same row after the group's other rows on one line, a figure after it
OTHER_OTHER_IN_LINE = re.compile(r"(?<![^\s|])\d\s*[.、]\s*其他(?=[\s|]*\d)")
REQUEST_GROUPS = {
    "denied": (
        "state_secret",
        "prohibited_by_law",
        "security_stability",
        "third_party",
        "internal_affairs",
        "process_info",
        "enforcement_file",
        "query_matter",
    ),
    "unable": ("not_held", "needs_creation", "unclear"),
    "not_processed": ("petition", "duplicate", "publication", "excessive", "confirmation"),
}
OTHER_2021 = ("no_correction", "no_fee", "other")
# the outcome rows of the request table and all its rows, in printed order (其他处理 is a group in gb2021)
_OUTCOMES = ("granted", "partially_granted", *(f"{group}.{sub}" for group, subs in REQUEST_GROUPS.items() for sub in subs))
OUTCOME_KEYS = {"gb2019": (*_OUTCOMES, "other"), "gb2021": (*_OUTCOMES, *(f"other.{sub}" for sub in OTHER_2021))}
REQUEST_ORDER = {t: ("received", "carried_over", *keys, "processed_total", "carried_forward") for t, keys in OUTCOME_KEYS.items()}
OUTCOME_ROWS = ("granted", "partially_granted", "denied", "unable", "not_processed", "other")

# 二、主动公开政府信息情况 (第二十条): row key -> keyword pattern
PROACTIVE_ROWS: tuple[tuple[str, str], ...] = (
    ("rules", r"(?:^|(?<=[\s|]))\W*规章(?!制度)"),  # the row's own label, not a word in a sentence
    ("normative", r"规范性文件"),
    ("licensing", r"行政许可"),
    ("services", r"其他对外管理服务"),
    ("penalty", r"行政处罚"),
    ("coercion", r"行政强制"),
    ("fees", r"行政事业性收费"),
    ("procurement", r"政府集中采购"),
)
PROACTIVE_ROW_NAMES = {
    "rules": "规章", "normative": "规范性文件", "licensing": "行政许可", "services": "其他对外管理服务事项",
    "penalty": "行政处罚", "coercion": "行政强制", "fees": "行政事业性收费", "procurement": "政府集中采购",
}  # fmt: skip
# the rows of the 第二十条 tables in printed order (gb2021 has no 其他对外管理服务事项 and no 政府集中采购 rows)
PROACTIVE_ORDER = {
    "gb2021": ("rules", "normative", "licensing", "penalty", "coercion", "fees"),
    "gb2019": ("rules", "normative", "licensing", "services", "penalty", "coercion", "fees", "procurement"),
}
RULE_COLUMNS = {
    "gb2021": ("issued", "repealed", "in_force"),
    "gb2019": ("made", "published", "total_published"),
}

# 四、行政复议、行政诉讼: the 15 numbers in printed order
REVIEW_KEYS = tuple(
    f"{group}.{k}"
    for group in ("reconsideration", "litigation.direct", "litigation.after_reconsideration")
    for k in ("upheld", "corrected", "other", "pending", "total")
)

# markers of each template (国办公开办函〔2021〕30号 / 〔2019〕60号)
# (short enough that a header wrapped in its column, "本年新制作数" over "量", still shows them)
GB2021_MARKERS = re.compile(r"本年制发件|本年废止件|现行有效件|本年处理决定|本年收费金额|逾期不补正|收费通知要求")
GB2019_MARKERS = re.compile(r"本年新制作数|本年新公开数|对外公开总数|上一年项目数|采购总金额")
TABLE_MARKERS = re.compile(r"本年新收政府信息公开申请数量|上年结转政府信息公开申请数量|结转下年度继续办理")

# a page's number as a PDF or a scan prints it at its foot ("- 3 -", "第 3 页 共 8 页"), left in text a converter
# or an OCR wrote: between two rows of a table it is neither a cell nor a label
PAGE_MARK = r"[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[/,，]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*[/,，]?\s*第\s*\d+\s*页"

# a web page's own words around a report (tools, footer, the links to the articles before and after it): a line
# with them is not the report's
PAGE_CHROME = re.compile(
    r"[上下][一1]篇|相关附件|相关新闻|相关链接|相关文章|相关阅读|打印|关闭|分享|字号|返回顶部|扫一扫|网站地图|版权所有|主办|承办|ICP|备案"
)

# prose: channels of proactive disclosure, as printed
CHANNELS = (
    "政府网站",
    "门户网站",
    "政务微博",
    "政务微信",
    "微信公众号",
    "政务新媒体",
    "新闻媒体",
    "政府公报",
    "政务公开栏",
    "公开栏",
    "宣传栏",
    "红头文件",
    "广播电视",
    "报刊",
    "电子显示屏",
    "档案馆",
    "查阅点",
    "公共查阅室",
    "新闻发布会",
    "移动客户端",
    "政务服务中心",
    "其他方式",
)

# prose: words that make a count one of something else than the figure a rule reads
# applications of another kind than for government information: 行政许可申请, 信访, 复议申请, 诉讼
OTHER_APPLICATION = r"许可|审批|信访|来信|来访|投诉|举报|复议|诉讼|建议|提案|低保|救助|补贴|补助|入学"
# what reaches a channel that is not an item it published: requests, questions, messages answered through it
NOT_PUBLISHED = r"申请|答复|回复|咨询|留言|来信|诉求|办件"
# a labelled count near the requests that is no outcome of them ("另有103件顺延到下年度": more requests; a change on
# the year before: 较上年增加12件; a sum: 上年结转2件,共计10件)
NOT_OUTCOME = (
    r"收到|受理|接到|申请数|答复的?$|已答复|已经答复|办结|当面|网上|网络|信函|传真|邮件|电话|来访|占|同比|增长|下降|增加|减少|上升|较上年|比上年|同期|共计|合计|总计|^共$|"
    r"申请件?$|纸质|复议|诉讼|咨询|人次|自然人|法人|组织|^另"
)
# money spent, and 行政事业性收费 (the 2021 table's proactive item, in 万元): not fees for answering requests
FEE_SPENT = r"经费|投入|支出|花费|用于|预算|采购|逾期|缴纳|资金|行政事业性收费"
# charges of others the office checked or published (schools', hospitals'): not what it collected for requests
FEE_OF_OTHERS = r"乱收费|违规收费|违法收费|不合理收费|收费标准|收费依据|收费项目|收费行为|收费现象|收费公示"

# OCR of a scanned page often loses a character's 氵 radical (海珠区 -> 每珠区): the character left, and
# the one it came from, for the characters of place names. Pairs, not code: add what a new scan shows.
_LOST = (
    "每工可胡州少青甫昷共隹宾俞又斤山卢折各仓齐甾章朝相覃登四女心其"
    "除也羊分栗奚连甚刘文耳元同尧余卖肖良令台去主古容云皮由曼则宁"
)
_FULL = (
    "海江河湖洲沙清浦温洪淮滨渝汉沂汕泸浙洛沧济淄漳潮湘潭澄泗汝沁淇"
    "滁池洋汾溧溪涟湛浏汶洱沅洞浇涂渎消浪泠治法注沽溶沄波油漫测泞"
)
WATER_RADICAL_LOST = dict(zip(_LOST, _FULL, strict=True))

# the request table's rows as the site and the flags' messages name them
REQUEST_ROW_NAMES = {
    "received": "本年新收申请",
    "carried_over": "上年结转申请",
    "granted": "予以公开",
    "partially_granted": "部分公开",
    "denied": "不予公开",
    "denied.state_secret": "不予公开·属于国家秘密",
    "denied.prohibited_by_law": "不予公开·其他法律行政法规禁止公开",
    "denied.security_stability": "不予公开·危及“三安全一稳定”",
    "denied.third_party": "不予公开·保护第三方合法权益",
    "denied.internal_affairs": "不予公开·属于三类内部事务信息",
    "denied.process_info": "不予公开·属于四类过程性信息",
    "denied.enforcement_file": "不予公开·属于行政执法案卷",
    "denied.query_matter": "不予公开·属于行政查询事项",
    "unable": "无法提供",
    "unable.not_held": "无法提供·本机关不掌握相关政府信息",
    "unable.needs_creation": "无法提供·没有现成信息需要另行制作",
    "unable.unclear": "无法提供·补正后申请内容仍不明确",
    "not_processed": "不予处理",
    "not_processed.petition": "不予处理·信访举报投诉类申请",
    "not_processed.duplicate": "不予处理·重复申请",
    "not_processed.publication": "不予处理·要求提供公开出版物",
    "not_processed.excessive": "不予处理·无正当理由大量反复申请",
    "not_processed.confirmation": "不予处理·要求行政机关确认或重新出具已获取信息",
    "other": "其他处理",
    "other.no_correction": "其他处理·申请人逾期不补正",
    "other.no_fee": "其他处理·申请人逾期未按收费通知要求缴纳费用",
    "other.other": "其他处理·其他",
    "processed_total": "办理结果总计",
    "carried_forward": "结转下年度继续办理",
}
