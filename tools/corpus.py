"""A generator of realistic reports with known values, for tests and benchmarks.

Each report is drawn from a seed: one of the three kinds, its tables printed in
one of the layouts real files show (tab-separated, pipe table, one cell per
line, columns padded with spaces like ``pdftotext -layout``, labels wrapped over
lines), its prose worded one of several ways. ``expected`` holds the dotted keys
the parser must give back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from nianbao.parse import vocab

LAYOUTS = ("tab", "pipe", "cells", "padded", "wrapped")
_PLACES = {  # province -> city -> counties, as a province's reports would spread
    "浙江省": {
        "宁波市": ("北仑区", "镇海区", "鄞州区", "余姚市", "慈溪市"),
        "杭州市": ("西湖区", "余杭区", "萧山区", "建德市", "桐庐县"),
        "温州市": ("鹿城区", "瓯海区", "瑞安市", "乐清市", "永嘉县"),
        "绍兴市": ("越城区", "柯桥区", "上虞区", "诸暨市", "嵊州市"),
    },
    "江苏省": {
        "淮安市": ("清江浦区", "淮阴区", "淮安区", "涟水县", "盱眙县"),
        "南京市": ("玄武区", "秦淮区", "鼓楼区", "江宁区", "浦口区"),
        "苏州市": ("姑苏区", "吴中区", "相城区", "昆山市", "常熟市"),
        "徐州市": ("鼓楼区", "云龙区", "铜山区", "沛县", "丰县"),
    },
    "广东省": {
        "广州市": ("增城区", "天河区", "越秀区", "海珠区", "番禺区"),
        "深圳市": ("福田区", "罗湖区", "南山区", "宝安区", "龙岗区"),
        "佛山市": ("禅城区", "南海区", "顺德区", "三水区", "高明区"),
        "汕头市": ("金平区", "龙湖区", "濠江区", "潮阳区", "南澳县"),
    },
}
PLACES = [(p, c, k) for p, cities in _PLACES.items() for c, counties in cities.items() for k in counties]
_TOWNS = ("城关镇", "新城街道", "东湖街道", "西山镇", "临港街道", "南湖镇")
_BODIES = ["人民政府", "发展和改革局", "教育局", "民政局", "自然资源局", "住房和城乡建设局", "卫生健康局", "市场监督管理局"]
REQUEST_LABELS = {
    "received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "(一)予以公开",
    "partially_granted": "(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
    "denied.state_secret": "1.属于国家秘密",
    "denied.prohibited_by_law": "2.其他法律行政法规禁止公开",
    "denied.security_stability": "3.危及“三安全一稳定”",
    "denied.third_party": "4.保护第三方合法权益",
    "denied.internal_affairs": "5.属于三类内部事务信息",
    "denied.process_info": "6.属于四类过程性信息",
    "denied.enforcement_file": "7.属于行政执法案卷",
    "denied.query_matter": "8.属于行政查询事项",
    "unable.not_held": "1.本机关不掌握相关政府信息",
    "unable.needs_creation": "2.没有现成信息需要另行制作",
    "unable.unclear": "3.补正后申请内容仍不明确",
    "not_processed.petition": "1.信访举报投诉类申请",
    "not_processed.duplicate": "2.重复申请",
    "not_processed.publication": "3.要求提供公开出版物",
    "not_processed.excessive": "4.无正当理由大量反复申请",
    "not_processed.confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other.no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other.no_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other.other": "3.其他",
    "other": "(六)其他处理",
    "processed_total": "(七)总计",
    "carried_forward": "四、结转下年度继续办理",
}
GROUP_LABELS = {"denied": "(三)不予公开", "unable": "(四)无法提供", "not_processed": "(五)不予处理", "other": "(六)其他处理"}


@dataclass(frozen=True)
class Generated:
    name: str
    text: str
    expected: dict[str, Any]
    folder: str  # where in content/ a province would keep it: 省/市/县


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _row(labels: list[str], values: list[Any], layout: str) -> list[str]:
    cells = [("" if v is None else str(v)) for v in values]
    if layout == "tab":
        return ["\t".join(labels + cells)]
    if layout == "pipe":
        return ["| " + " | ".join(labels + cells) + " |"]
    if layout == "cells":
        return [c for c in labels if c] + cells
    label = "".join(labels)
    if layout == "wrapped" and _width(label) > 24:
        head, tail = label[:11], label[11:]
        return ["    " + head + " " * max(2, 40 - _width(head)) + "".join(f"{c:>9}" for c in cells), "    " + tail]
    return [label + " " * max(2, 44 - _width(label)) + "".join(f"{c:>9}" for c in cells)]


def _matrix(rng: random.Random, template: str) -> dict[str, list[int]]:
    def cells(scale: int) -> list[int]:
        parts = [rng.choice([0, 0, rng.randint(0, scale)]) for _ in range(6)]
        return parts + [sum(parts)]

    rows = {k: cells(9) for k in REQUEST_LABELS if k not in ("received", "processed_total", "carried_forward", "other")}
    if template == "gb2019":
        rows = {k: v for k, v in rows.items() if not k.startswith("other.")}
        rows["other"] = cells(3)
    else:
        rows = {k: v for k, v in rows.items() if k != "other"}
    outcome_rows = [k for k in rows if k not in ("carried_over",)]
    processed = [sum(rows[k][c] for k in outcome_rows) for c in range(7)]
    forward = cells(4)
    carried = rows["carried_over"]
    received = [processed[c] + forward[c] - carried[c] for c in range(7)]
    if min(received) < 0:
        forward = [f - min(0, r) for f, r in zip(forward[:6], received[:6], strict=True)]
        forward.append(sum(forward))
        received = [processed[c] + forward[c] - carried[c] for c in range(7)]
    return {"received": received, **rows, "processed_total": processed, "carried_forward": forward}


def _request_lines(matrix: dict[str, list[int]], layout: str) -> list[str]:
    out = ["三、收到和处理政府信息公开申请情况", ""]
    header = ["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"]
    if layout == "pipe":
        out += [
            "| 项目 | | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
    else:
        out += [
            "\t".join(header),
            "\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
            "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
        ]
    seen_groups: set[str] = set()
    for key, values in matrix.items():
        group = key.split(".")[0] if "." in key else None
        labels = [REQUEST_LABELS[key]]
        if group and group not in seen_groups:
            seen_groups.add(group)
            labels = [GROUP_LABELS[group], REQUEST_LABELS[key]]
        elif key == "granted":
            labels = ["三、本年度办理结果", REQUEST_LABELS[key]]
        elif layout in ("tab", "pipe"):
            labels = ["", REQUEST_LABELS[key]]
        out += _row(labels, values, layout)
    return out


def _review_lines(values: list[int], layout: str) -> list[str]:
    out = [
        "四、政府信息公开行政复议、行政诉讼情况",
        "",
        "行政复议\t\t\t\t\t行政诉讼",
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉",
    ]
    if layout == "cells":
        return out + [str(v) for v in values]
    if layout == "pipe":
        return out + ["| " + " | ".join(map(str, values)) + " |"]
    sep = "\t" if layout == "tab" else "    "
    return out + [sep.join(map(str, values))]


def _review(rng: random.Random) -> list[int]:
    out = []
    for _ in range(3):
        parts = [rng.choice([0, rng.randint(0, 6)]) for _ in range(4)]
        out += parts + [sum(parts)]
    return out


def _proactive_table(
    rng: random.Random, kind: str, layout: str, licensing: int, penalty: int, coercion: int
) -> tuple[list[str], dict[str, Any]]:
    """二、主动公开政府信息情况 in the template's form: its lines and the values they state."""
    lines: list[str] = []
    found: dict[str, Any] = {}
    if kind == "gb2021":
        rules, normative = (
            [rng.randint(0, 3), rng.randint(0, 2), rng.randint(5, 30)],
            [rng.randint(0, 9), rng.randint(0, 5), rng.randint(10, 80)],
        )
        lines += (
            ["信息内容\t本年制发件数\t本年废止件数\t现行有效件数"]
            if layout != "cells"
            else ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
        )
        lines += _row(["规章"], rules, layout) + _row(["行政规范性文件"], normative, layout)
        lines += ["第二十条第(五)项", "信息内容\t本年处理决定数量"] + _row(["行政许可"], [licensing], layout)
        lines += (
            ["第二十条第(六)项", "信息内容\t本年处理决定数量"]
            + _row(["行政处罚"], [penalty], layout)
            + _row(["行政强制"], [coercion], layout)
        )
        lines += ["第二十条第(八)项", "信息内容\t本年收费金额(单位:万元)"] + _row(["行政事业性收费"], [12.5], layout)
        for name, values in (("rules", rules), ("normative", normative)):
            found.update({f"proactive.{name}.{k}": v for k, v in zip(vocab.RULE_COLUMNS["gb2021"], values, strict=True)})
        found["proactive.admin_fees_10k_yuan"] = 12.5
    else:
        lines += (
            ["信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量"]
            + _row(["规章"], [0, 0, 3], layout)
            + _row(["规范性文件"], [2, 2, 17], layout)
        )
        lines += ["第二十条第(五)项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量"] + _row(
            ["行政许可"], [12, 1, licensing], layout
        )
        lines += ["第二十条第(六)项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量"]
        lines += _row(["行政处罚"], [30, -2, penalty], layout) + _row(["行政强制"], [3, 0, coercion], layout)
        found.update({"proactive.rules.total_published": 3, "proactive.normative.made": 2})
    found.update({"proactive.licensing": licensing, "proactive.penalty": penalty, "proactive.coercion": coercion})
    return lines, found


def _table_expected(kind: str, matrix: dict[str, list[int]], review: list[int]) -> dict[str, Any]:
    """The values the request and review tables state, under their schema keys."""
    found: dict[str, Any] = {}
    for key, values in matrix.items():
        for column, value in zip(vocab.COLUMNS, values, strict=True):
            found[f"requests.matrix.{key}.{column}"] = value
    for key in ("received", "carried_over", "granted", "partially_granted", "processed_total", "carried_forward"):
        found[f"requests.{key}"] = matrix[key][6]
    for group, subs in vocab.REQUEST_GROUPS.items():
        found[f"requests.{group}"] = sum(matrix[f"{group}.{s}"][6] for s in subs)
    found["requests.other"] = matrix["other"][6] if kind == "gb2019" else sum(matrix[f"other.{s}"][6] for s in vocab.OTHER_2021)
    found.update(dict(zip(vocab.REVIEW_KEYS, review, strict=True)))
    found["litigation.total"] = review[9] + review[14]
    return found


def generate(seed: int, kind: str | None = None, layout: str | None = None) -> Generated:
    """One report with its expected values."""
    rng = random.Random(seed)
    kind = kind or rng.choice(["gb2021", "gb2021", "gb2019", "narrative"])
    layout = layout or rng.choice(LAYOUTS)
    province, city, county = rng.choice(PLACES)
    body = rng.choice(_BODIES + [f"{town}{'办事处' if town.endswith('街道') else '人民政府'}" for town in _TOWNS])
    agency = f"{city}{county}{body}"
    year = (
        rng.randint(2019, 2020) if kind == "gb2019" else rng.randint(2021, 2024) if kind == "gb2021" else rng.randint(2010, 2018)
    )
    if kind == "narrative":
        return _narrative(rng, seed, agency, year, f"{province}/{city}/{county}")
    published = f"{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"
    matrix = _matrix(rng, kind)
    review = _review(rng)
    licensing, penalty, coercion = rng.randint(0, 5000), rng.randint(0, 900), rng.randint(0, 90)
    fee = rng.choice([0, 0, rng.randint(10, 900)])
    title = rng.choice(
        [
            [f"{agency}{year}年政府信息公开工作年度报告"],
            [agency, f"{year}年政府信息公开工作年度报告"],
            [f"{year}年度{agency}政府信息公开工作年度报告"],
        ]
    )
    lines = title + [
        "",
        f"本报告根据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、总体情况",
        f"{year}年，我单位共受理政府信息公开申请{matrix['received'][6]}件，均在法定期限内答复。",
        "二、主动公开政府信息情况",
        "第二十条第(一)项",
    ]
    expected: dict[str, Any] = {"agency": agency, "year": year, "template": kind, "published": published}
    table, found = _proactive_table(rng, kind, layout, licensing, penalty, coercion)
    lines += table
    expected.update(found)
    lines += [""] + _request_lines(matrix, layout) + [""] + _review_lines(review, layout)
    lines += [
        "",
        "五、存在的主要问题及改进情况",
        "一是公开内容还不够全面。",
        "六、其他需要报告的事项",
        f"本年度收取信息处理费{fee}元。" if fee else "本年度未收取信息处理费。",
        "",
        agency,
        _cn_date(published),
    ]
    expected |= _table_expected(kind, matrix, review) | {"fees.collected_yuan": fee}
    return Generated(f"{kind}_{layout}_{seed}", "\n".join(lines) + "\n", expected, f"{province}/{city}/{county}")


def _cn_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{y}年{int(m)}月{int(d)}日"


def _requests_sentence(rng: random.Random, year: int, received: int, granted: int, rest: int) -> str:
    if not received:
        return rng.choice([f"{year}年，我局未收到政府信息公开申请。", f"{year}年度无依申请公开信息的情况。"])
    return rng.choice(
        [
            f"{year}年共收到政府信息公开申请{received}件，其中予以公开{granted}件，非本机关政府信息{rest}件。",
            f"全年共受理依申请公开{received}件。其中，同意公开{granted}件，非本机关政府信息{rest}件。",
        ]
    )


def _narrative_tail(rng: random.Random, fee: int) -> list[str]:
    """Sections 四 to 六 of a narrative report: fees, reviews and lawsuits, problems."""
    return [
        "四、政府信息公开收费及减免情况",
        f"全年收取检索、复制费用{fee}元。"
        if fee
        else rng.choice(["本年度未收取任何费用。", "本年度没有发生政府信息公开收费情况。"]),
        "本年度投入信息化建设经费1万元。",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
        rng.choice(
            [
                "本年度没有发生因政府信息公开申请行政复议和提起行政诉讼的情况。",
                "无因政府信息公开申请行政复议、提起行政诉讼的情况。",
            ]
        ),
        "六、存在的主要问题及改进情况",
        "一是公开意识有待加强。",
    ]


def _narrative(rng: random.Random, seed: int, agency: str, year: int, folder: str) -> Generated:
    _, city, county = folder.split("/")
    total = rng.randint(50, 2000)
    web = rng.randint(0, total)
    received = rng.choice([0, rng.randint(1, 40)])
    granted = rng.randint(0, received)
    rest = received - granted
    published = f"{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"
    lines = [
        f"{agency}{year}年政府信息公开工作年度报告",
        "",
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、概述",
        "我局认真贯彻落实《中华人民共和国政府信息公开条例》，不予公开信息10条均经保密审查。",
        "二、主动公开政府信息情况",
        rng.choice(
            [
                f"{year}年，我局主动公开政府信息{total}条，其中通过政府网站公开{web}条，政务微信公开{total - web}条。",
                f"全年共主动公开政府信息{total}条。其中政府网站公开{web}条，政务微信公开{total - web}条。",
            ]
        ),
        f"截至{year}年底，累计主动公开政府信息{total * 5}条。",
        "三、依申请公开政府信息情况",
    ]
    lines.append(_requests_sentence(rng, year, received, granted, rest))
    fee = rng.choice([0, rng.randint(1, 300)])
    lines += _narrative_tail(rng, fee) + ["", agency, _cn_date(published)]
    expected: dict[str, Any] = {
        "agency": agency,
        "year": year,
        "template": "narrative",
        "published": published,
        "proactive.total": total,
        "proactive.channels": {"政府网站": web, "政务微信": total - web},
        "requests.received": received,
        "reconsideration.total": 0,
        "litigation.total": 0,
        "fees.collected_yuan": fee,
        "region.city": city,
        "region.county": county,
    }
    if received:
        expected["requests.granted"] = granted
        if rest:
            expected["requests.outcomes"] = {"非本机关政府信息": rest}
    return Generated(f"narrative_{seed}", "\n".join(lines) + "\n", expected, folder)
