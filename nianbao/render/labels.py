"""What the site calls things, in Chinese: figure keys, table rows and columns,
report kinds and data-quality flags. Data, not code."""

from __future__ import annotations

from nianbao.parse import vocab

TEMPLATES = {
    "narrative": "自由行文",  # what it is, whatever its year: a 2020 report may be written freely too
    "gb2019": "2019 年版表格",
    "gb2021": "2021 年版表格",
}

COLUMNS = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "nonprofit": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}

ROWS = vocab.REQUEST_ROW_NAMES  # the request table's rows: the parser names them so too, in its messages

REVIEW = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}

RULES = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total_published": "对外公开总数量",
}

# the order a report's data table lists its figures in: the template's (a key is placed by its longest
# listed prefix; sub-rows follow their group, 申请人 columns the template's order)
FIGURE_ORDER = (
    "proactive.total",
    "proactive.channels",
    "proactive.categories",
    "proactive.rules",
    "proactive.normative",
    "proactive.licensing",
    "proactive.penalty",
    "proactive.coercion",
    "proactive.admin_fees_10k_yuan",
    *(f"requests.{row}" for row in ROWS),
    "requests.outcomes",
    *(f"reconsideration.{k}" for k in REVIEW),
    *(f"litigation.direct.{k}" for k in REVIEW),
    *(f"litigation.after_reconsideration.{k}" for k in REVIEW),
    "litigation.total",
    "fees.collected_yuan",
)

# the figures the site compares across reports: key -> (label, unit)
METRICS = {
    "proactive.total": ("主动公开政府信息", "条"),
    "requests.received": ("本年新收公开申请", "件"),
    "requests.granted": ("予以公开", "件"),
    "requests.denied": ("不予公开", "件"),
    "reconsideration.total": ("行政复议", "件"),
    "litigation.total": ("行政诉讼", "件"),
    "fees.collected_yuan": ("收取信息处理费", "元"),
}

# the compare table's grouped views (templates/_macros.html, style.css): a view shows the report's agency and
# year, its group's METRICS and the flags; style.css hides the other columns by their place (tests check both agree)
COLUMN_GROUPS = {
    "proactive": ("主动公开", ("proactive.total",)),
    "requests": ("依申请与办理结果", ("requests.received", "requests.granted", "requests.denied")),
    "review": ("复议诉讼", ("reconsideration.total", "litigation.total")),
    "fees": ("收费", ("fees.collected_yuan",)),
}

OUTCOMES = ("granted", "partially_granted", "denied", "unable", "not_processed", "other")

_SIDECAR = "可在报告旁的旁注文件“报告文件名.yaml”（如 2023.pdf 旁的 2023.pdf.yaml；任何格式的报告都可用）中写 "

FLAGS = {
    # the sidecar file, as the flags' own messages say (check.py; SCHEMA.md "Sidecar file")
    "MISSING_AGENCY": ("未载明机关", "报告的标题和落款都没有写明发布机关。" + _SIDECAR + "agency: 机关名称。"),
    "MISSING_YEAR": ("未载明年度", "报告没有写明统计年度。" + _SIDECAR + "year: 年度。"),
    "BALANCE": (
        "勾稽关系不平",
        "本年新收加上年结转，应等于办理结果总计加结转下年度继续办理；某一申请人类别（或总计）这两边不相等。",
    ),
    "SUBTOTAL": ("合计与分项不符", "报告印出的合计数与其分项之和不相等；网站保留印出的数字。"),
    "TEXT_TABLE": ("正文与表格矛盾", "正文文字所述的数字与表格中的同一数字不一致。"),
    "DATE_ORDER": ("发布日期早于统计期结束", "报告的成文或发布日期在所报告年度结束之前。"),
    "CROSS_YEAR": (
        "前后年度衔接不上",
        "同一机关相邻两年的报告对不上：上年结转应等于前一年的结转下年度，规章、规范性文件现行有效数应等于前一年的数加本年制发减本年废止。",
    ),
    "UNPARSED_TABLE": ("表格未能完整读取", "识别出了模板表格，但有些单元格无法确定；这些数字记为未载明，请对照原文。"),
    "OUTLIER": (
        "异常值",
        "这个数字与同一机关其他年度的数字、或同年同级机关的数字相差极大（如申请数比上年多几十倍、主动公开数从几千条变为 0）；"
        "不一定有错，请对照原文核实。",
    ),
    "CORRECTION": (
        "校正未生效",
        "报告旁注文件（与报告同名的 .yaml 文件）中的一条校正无法使用，或已不再需要；提示写明文件、键和原因。",
    ),
}

SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def figure_label(key: str) -> str:
    """A dotted figure key -> what a reader calls it."""
    parts = key.split(".")
    head = parts[0]
    if key in METRICS:
        return METRICS[key][0]
    if head == "requests" and len(parts) >= 2:
        if parts[1] == "matrix":
            row = ".".join(parts[2:-1])
            return f"申请情况表：{ROWS.get(row, row)}（{COLUMNS.get(parts[-1], parts[-1])}）"
        if parts[1] == "outcomes":
            return "办理结果（正文）"
        return ROWS.get(".".join(parts[1:]), key)
    if head == "reconsideration":
        return f"行政复议：{REVIEW.get(parts[-1], parts[-1])}"
    if head == "litigation":
        if len(parts) == 3:
            kind = "未经复议直接起诉" if parts[1] == "direct" else "复议后起诉"
            return f"行政诉讼（{kind}）：{REVIEW.get(parts[-1], parts[-1])}"
        return "行政诉讼：总计"
    if head == "proactive":
        simple = {
            "channels": "主动公开渠道",
            "categories": "主动公开类别",
            "licensing": "行政许可处理决定数",
            "penalty": "行政处罚处理决定数",
            "coercion": "行政强制处理决定数",
            "admin_fees_10k_yuan": "行政事业性收费金额（万元）",
        }
        if parts[1] in simple:
            return simple[parts[1]]
        if parts[1] in ("rules", "normative") and len(parts) == 3:
            return f"{'规章' if parts[1] == 'rules' else '规范性文件'}：{RULES.get(parts[2], parts[2])}"
    return {"agency": "机关", "year": "年度", "published": "发布日期"}.get(key, key)
