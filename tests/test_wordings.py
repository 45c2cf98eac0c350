"""The wordings real reports use, each as a class: the agency wherever a person would find it,
narrative figures as offices phrase them, and what must stay null. Each case is written afresh
(other names and numbers than the real corpus) so the rule, not a file, is tested."""

import pytest

from helpers import lookup, parse_text

INTRO = "根据《中华人民共和国政府信息公开条例》，特编制本报告。\n"


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("标题: 石门街道2022年政府信息公开工作年度报告\n" + INTRO, "石门街道"),
        ("当前位置：首页 > 政务公开 > 年报\n青山镇2020年政府信息公开工作年度报告\n" + INTRO, "青山镇"),
        ("登录 注册\n\n金水区人民政府2018年政府信息公开工作年度报告\n" + INTRO, "金水区人民政府"),
        ("政府信息公开\n南京市鼓楼区2016年政府信息公开工作年度报告\n" + INTRO, "南京市鼓楼区"),
        ("一、总体情况\n2023年，在区委的领导下，白沙街道办事处认真贯彻《条例》。\n", "白沙街道办事处"),
        ("根据《条例》规定，现公布临港新区管委会2022年政府信息公开工作年度报告。\n", "临港新区管委会"),
        ("根据《条例》要求，杭州市西湖区北山街道特编制2023年政府信息公开年度报告。\n", "杭州市西湖区北山街道"),
        ("本报告由泉州市人民政府办公室编制。全县各单位……\n", "泉州市人民政府办公室"),
        ("一、概述\n我县认真贯彻《条例》。\n如有疑问请与石城县政府信息中心联系。\n", "石城县"),
        ("一、总体情况\n2021年，我街坚持公开为常态。制定了《沙河街道依申请公开工作方案》，沙河街道……\n", "沙河街道"),
        ("南山區人民政府2019年政府信息公開工作年度報告\n根據《條例》編制。\n", "南山区人民政府"),
        ("贺江市人民政府办公室关于公布\n贺江市2010年度政府信息公开工作年度报告的通知\n", "贺江市"),
    ],
)
def test_the_agency_is_found_where_a_person_would_look(text, agency):
    assert parse_text(text)["agency"] == agency


@pytest.mark.parametrize(
    "text",
    [
        "来源：区人民政府办公室\n一、总体情况\n本单位认真贯彻《条例》。\n",  # a fragment: which district?
        "发布机构 | 市政府办 |\n一、总体情况\n我单位认真贯彻《条例》。\n",
        INTRO + "一、总体情况\n本年度我局认真贯彻《条例》，建立局务公开制度。\n",  # 我局, never named
    ],
)
def test_a_fragment_is_never_the_agency(text):
    report = parse_text(text)
    assert report["agency"] is None
    assert "MISSING_AGENCY" in {f["code"] for f in report["flags"]}


@pytest.mark.parametrize(
    ("sentence", "key", "value"),
    [
        ("本年度共制发政府信息90件，其中主动公开27件，不予公开63件。", "proactive.total", 27),
        ("全年通过区政府网站共公开信息208条，其中人事信息5条。", "proactive.total", 208),
        ("2020年，我镇在县政府网站共计公开各类政府信息77条。", "proactive.total", 77),
        ("全年共发布信息41条（其中，领导信息2条）。", "proactive.total", 41),
        ("2023年，我局主动在门户网站公开政府信息35条。", "proactive.total", 35),
        ("2022年累计主动公开政府信息512条，其中政策文件12条。", "proactive.total", 512),
        ("2023年度，我街道在市政府門戶網站中主動公開政府信息86條。", "proactive.total", 86),
        ("截至目前共发布信息1200条，2019年公开政府信息52条。", "proactive.total", 52),
        ("全年受理公民、法人和其他组织向区政府提出的政府信息公开申请7件。", "requests.received", 7),
        ("本年度收到政府信息公开申请3宗。", "requests.received", 3),
        ("2023年度共受理政府信息公开申请十二件。", "requests.received", 12),
        ("本年度未收到依申请公开事项。", "requests.received", 0),
        ("共受理申請9件，上年結轉政府信息公開申請2件，共辦結申請10件，結轉至2024年辦理1件。", "requests.carried_forward", 1),
        ("共受理申請9件，上年結轉政府信息公開申請2件，共辦結申請10件，結轉至2024年辦理1件。", "requests.processed_total", 10),
        ("共受理申請9件，上年結轉政府信息公開申請2件，共辦結申請10件，結轉至2024年辦理1件。", "requests.carried_over", 2),
        ("本年度发生信息公开类行政复议2起，正在办理中。", "reconsideration.pending", 2),
        ("本年度未对申请人收取任何费用。", "fees.collected_yuan", 0),
        ("2022年，我局主动公开政府信息31条。\n全年主动公开政府信息31条，均在网站发布。", "proactive.total", 31),
        ("本年度收到政府信息公开申请5件和上年结转申请1件。", "requests.received", 5),
    ],
)
def test_narrative_wordings(sentence, key, value):
    report = parse_text("某某镇2017年政府信息公开工作年度报告\n一、总体情况\n" + sentence + "\n")
    assert lookup(report, key) == value
    assert report["provenance"][key] == "prose"


@pytest.mark.parametrize(
    ("sentence", "key"),
    [
        ("全年主动公开政府信息140余条。", "proactive.total"),
        ("截至2023年10月，累计主动公开政府信息3000条。", "proactive.total"),
        ("自2008年以来主动公开政府信息5600条。", "proactive.total"),
        ("本年度主动公开政府信息99999999999999999999条。", "proactive.total"),
        ("共收到政府信息公开申请1e308件。", "requests.received"),
        ("本年度主动公开政府信息" + "9" * 5000 + "条。", "proactive.total"),  # no OverflowError: null
        ("通过政府门户网站共办理并答复信息公开申请5件、纸质申请28件。", "requests.received"),  # parts, no total
        ("本年度受理网上申请3件及信函申请2件。", "requests.received"),
        ("收到政府信息公开申请2件，已办结2件，行政事业性收费0万元。", "fees.collected_yuan"),  # the 第二十条 item
        ("2022年，我局通过网站栏目公开信息31条。\n全年通过政务专栏公开政府信息24条。", "proactive.total"),  # which?
        ("全年通过政务微信发布信息64条，通过门户网站发布信息31条。", "proactive.total"),  # two channels' parts, no total
        ("2018年，我乡在政府网站公开信息22条；在政务公开栏公开信息17条。", "proactive.total"),
        ("本年度共受理政府信息公开申请9件，其中予以公开6件，不予公开3件。", "proactive.total"),  # a request's outcome
        ("2021年收到申请4件，同意公开4件。", "proactive.total"),
        ("本年度依申请公开减免收费4件。", "fees.collected_yuan"),  # waivers counted, the sum collected unsaid
        ("全年为困难群众免收复制费用2次。", "fees.collected_yuan"),
        ("本年度行政复议决定维持3件。", "reconsideration.total"),  # a part of the cases
        ("2022年，行政诉讼被判决撤销1件。", "litigation.total"),
        ("全市共办理行政诉讼案件214件，其中涉及政府信息公开的6件。", "litigation.total"),  # all cases
        ("全区共受理行政复议案件88件，其中因政府信息公开引起的4件。", "reconsideration.total"),
        ("本年度对辖区中小学收费标准进行专项检查，未发现乱收费现象。", "fees.collected_yuan"),  # others' charges
        ("2019年，全镇未发生违规收费行为，收费项目均已公示。", "fees.collected_yuan"),
        ("全年共受理行政许可申请186件，办结186件。", "requests.received"),  # applications of another kind
        ("2020年，我镇共接到群众来信来访申请27件。", "requests.received"),
        ("本年度受理涉及政府信息公开的行政复议申请2件，尚未审结。", "requests.received"),
    ],
)
def test_approximate_cumulative_and_implausible_figures_stay_null(sentence, key):
    report = parse_text("某某镇2017年政府信息公开工作年度报告\n一、总体情况\n" + sentence + "\n")
    assert lookup(report, key) is None


@pytest.mark.parametrize(
    ("text", "year", "template"),
    [
        ("一、总体情况\n2023年，在区委、区政府领导下，我街道认真贯彻《条例》。\n", 2023, "gb2021"),
        ("一、总体情况\n2020年，我镇认真落实《条例》。\n", 2020, "gb2019"),
        ("某县2016年政府信息公开工作年度报告\n一、概述\n", 2016, "narrative"),
    ],
)
def test_year_and_template_when_the_tables_are_cut_off(text, year, template):
    report = parse_text(text)
    assert (report["year"], report["template"]) == (year, template)


@pytest.mark.parametrize(
    ("head", "date"),
    [
        ("发布时间:2021-01-31   录入:某镇", "2021-01-31"),
        ("来源:区人民政府办公室 时间:2018-01-12 10:01", "2018-01-12"),
        ("发布机构 | 市政府办 | 发文日期 | 2019-02-28 |", "2019-02-28"),
    ],
)
def test_labelled_dates_in_the_page_head(head, date):
    report = parse_text(head + "\n某县2017年政府信息公开工作年度报告\n一、概述\n本年度主动公开政府信息5条。\n")
    assert report["published"] == date


def test_injected_pinyin_and_traditional_script():
    text = "某某街道2023年政府信息公開工作年度報告\n一、總體情況\n2023年,我街道在網(wǎng)站主動公開政府信息44條,受理申請3件。\n"
    report = parse_text(text)
    assert report["proactive"]["total"] == 44
    assert report["requests"]["received"] == 3


def test_ocr_and_converted_pdf_text():
    text = (
        "广州市每珠区南华街道2023年政府信息公开工作年度报告\n"  # OCR lost the 氵 of 海
        "**一、总体情况**\n2023年，我街道主动公开政府信息3l条。\n"
        "三、收到和处理政府信息公开申请情况\n"
        "| 一、本年新收政府信息<br>公开申请数量 | 1O | 0 | 0 | 0 | 0 | 0 | 1O |\n"
    )
    report = parse_text(text)
    assert report["agency"] == "广州市海珠区南华街道"
    assert (report["region"]["city"], report["region"]["county"], report["region"]["code"]) == ("广州市", "海珠区", "440105")
    assert report["requests"]["received"] == 10


@pytest.mark.parametrize(
    "agency",
    [
        "国家税务总局宁波市税务局",
        "中国人民银行宁波市中心支行",
        "宁波海关",
        "西咸新区底张街道办事处",
        "杨凌示范区审计局",
        "临港新区管委会",
    ],
)
def test_whole_names_of_every_kind_of_body(agency):
    assert parse_text(f"{agency}2022年政府信息公开工作年度报告\n一、总体情况\n")["agency"] == agency


@pytest.mark.parametrize(
    ("text", "channels"),
    [
        ("2022年，我局主动公开政府信息40条。\n全年通过门户网站共受理并答复信息公开申请7件、信函申请2件。", None),
        ("2022年，我局主动公开政府信息40条。\n通过政府网站回复群众留言15条，政务微信公开信息12条。", {"政务微信": 12}),
        ("2022年，我局主动公开政府信息40条，其中政府网站公开信息28条，政务微信公开信息12条。", {"政府网站": 28, "政务微信": 12}),
    ],
)
def test_a_channel_counts_only_what_it_published(text, channels):
    report = parse_text("某某镇2022年政府信息公开工作年度报告\n一、总体情况\n" + text + "\n")
    assert report["proactive"]["channels"] == channels


def test_one_reasons_count_is_not_its_groups_total():
    text = "全年共受理依申请公开9件，予以公开5件，因本机关不掌握相关政府信息无法提供2件，申请内容不存在的2件。"
    report = parse_text("某某区2022年政府信息公开工作年度报告\n一、总体情况\n" + text + "\n")
    assert (report["requests"]["received"], report["requests"]["granted"]) == (9, 5)
    assert report["requests"]["unable"] is None  # 无法提供 may be 2 or 4: the report does not say
    text = "全年共受理依申请公开9件，其中属于保护第三方合法权益不予公开1件，无法提供3件。"
    report = parse_text("某某区2022年政府信息公开工作年度报告\n一、总体情况\n" + text + "\n")
    assert (report["requests"]["denied"], report["requests"]["unable"]) == (None, 3)


@pytest.mark.parametrize(
    ("sentence", "key", "value"),
    [
        ("2020年主动公开政府信息47条，2021年主动公开政府信息58条。", "proactive.total", 58),
        ("2020年，我县收到政府信息公开申请11件；2021年，我县收到政府信息公开申请7件。", "requests.received", 7),
        ("2020年，全县发生行政复议3件。2021年，我县未发生行政复议。", "reconsideration.total", 0),
        ("2020年主动公开政府信息47条。2021年，我县认真贯彻《条例》。", "proactive.total", None),  # the year before's
    ],
)
def test_a_figure_of_another_year_is_not_the_reports(sentence, key, value):
    report = parse_text("某某县2021年政府信息公开工作年度报告\n一、总体情况\n" + sentence + "\n")
    assert report["year"] == 2021 and lookup(report, key) == value


def test_a_change_on_the_year_before_is_no_outcome_of_the_requests():
    text = "2021年，我区收到政府信息公开申请47件，较上年增加9件，比上年同期减少2件，其中予以公开30件。"
    report = parse_text("某某区2021年政府信息公开工作年度报告\n一、总体情况\n" + text + "\n")
    assert (report["requests"]["received"], report["requests"]["granted"]) == (47, 30)
    assert report["requests"].get("outcomes") is None
    text = "2021年共收到政府信息公开申请6件，上年结转1件，合计7件。"
    report = parse_text("某某区2021年政府信息公开工作年度报告\n一、总体情况\n" + text + "\n")
    assert (report["requests"]["received"], report["requests"]["carried_over"]) == (6, 1)
    assert report["requests"].get("outcomes") is None  # a sum, no outcome


@pytest.mark.parametrize(
    ("sentence", "categories"),
    [
        (
            "全年共发布信息20条（其中，领导信息1条，工作进展等12条，其它信息7条）。",
            {"领导信息": 1, "工作进展": 12, "其它信息": 7},
        ),
        (
            "全年共公开信息9条，其中，人员招录信息公开3条，财政预算、决算信息公开6条。",
            {"人员招录信息": 3, "财政预算、决算信息": 6},
        ),
        (
            "2019年公开政府信息8条，其中，概况信息2篇，业务工作类6篇等，涉及环保、扶贫等各个方面。",
            {"概况信息": 2, "业务工作类": 6},
        ),
        (
            "2020年，我镇在县政府网站主动公开政府信息25条（其中：镇村动态19条，财务信息6条）；在微信公众号发布内容40条。",
            {"镇村动态": 19, "财务信息": 6},
        ),
        ("本年度共制发政府信息30件，其中主动公开18件，不予公开12件。", None),  # the list is of the 30, not of the 18
        ("主动公开政府信息50条，其中概况信息20条，动态信息有若干30条余。", None),  # an item not understood: no list
    ],
)
def test_categories_are_read_whole_or_not_at_all(sentence, categories):
    report = parse_text("某某镇2017年政府信息公开工作年度报告\n一、总体情况\n" + sentence + "\n")
    assert report["proactive"]["categories"] == categories


@pytest.mark.parametrize(
    "head",
    [
        "宁波市鄞州区市场监督管理局\n2022年政府信息公开工作年度报告\n（2023年1月20日）",
        "【字体：大 中 小】【打印】\n宁波市鄞州区市场监督管理局关于2022年政府信息公开工作年度报告\n2023-01-20",
        "宁波市鄞州区市场监督管理局2022年度政府信息公开\n工作年度报告\n发布日期：2023-01-20",
        "索引号：11330212/2023-00012\n发布机构：宁波市鄞州区市场监督管理局\n生成日期：2023-01-20\n标题：2022年政府信息公开工作年度报告",
    ],
)
def test_title_forms_pages_print(head):
    report = parse_text(head + "\n一、总体情况\n2022年，我局主动公开政府信息120条。\n")
    assert (report["agency"], report["year"], report["published"]) == ("宁波市鄞州区市场监督管理局", 2022, "2023-01-20")
    assert report["region"]["code"] == "330212"


def test_a_statistics_table_with_the_unit_before_the_figure():
    """The 2008-2018 reports' 政府信息公开情况统计表: "收到申请数（件）  15"."""
    text = (
        "某县2015年政府信息公开工作年度报告\n一、概述\n附表：政府信息公开情况统计表\n"
        "主动公开政府信息数（条）\t1234\n收到申请数（件）\t15\n行政诉讼数量（件）\t1\n依申请公开信息收取的费用（万元）\t0.12\n"
    )
    report = parse_text(text)
    assert report["proactive"]["total"] == 1234
    assert report["requests"]["received"] == 15
    assert report["litigation"]["total"] == 1
    assert report["fees"]["collected_yuan"] == 1200
