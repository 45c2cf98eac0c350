"""Unit cases for the number, date, line and table readers."""

import pytest

from helpers import lookup, parse_text
from nianbao.model import Line
from nianbao.parse import vocab
from nianbao.parse.agency import find_title
from nianbao.parse.detect import detect_published
from nianbao.parse.lines import normalise, split_lines
from nianbao.parse.numbers import amount, cn_numeral, digits_for_numerals, parse_cell


@pytest.mark.parametrize(("text", "value"), [("十五", 15), ("两", 2), ("一百零五", 105), ("二十", 20), ("是", None)])
def test_cn_numeral(text, value):
    assert cn_numeral(text) == value


def test_one_character_numerals_read_as_cn2an_reads_them():
    import cn2an

    from nianbao.parse.numbers import _ONE_CHARACTER

    assert {c: cn2an.cn2an(c, "normal") for c in _ONE_CHARACTER} == _ONE_CHARACTER


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("共收到申请十五件", "共收到申请15件"),
        ("部分公开两件", "部分公开2件"),
        ("二〇一八年三月五日", "2018年3月5日"),
        ("二○一三年一月二十日", "2013年1月20日"),
        ("第一项加第二项之和", "第一项加第二项之和"),
        ("一是加强领导", "一是加强领导"),
        ("公开信息1,234条", "公开信息1234条"),
    ],
)
def test_digits_for_numerals(text, want):
    assert digits_for_numerals(normalise(text)) == want


@pytest.mark.parametrize(
    ("line", "want"),
    [("１２３条", "123条"), ("（一）予以公开", "(一)予以公开"), ("a\u3000b\u00a0c", "a b c"), ("**一是**加强", "**一是**加强")],
)
def test_normalise(line, want):
    assert normalise(line) == want  # Markdown is the .md reader's to read (nianbao.readers.markdown), not every file's


def test_split_lines_keeps_numbers_and_crlf():
    lines = split_lines("标题\r\n\r\n第二段\r第三段")
    assert [(ln.number, ln.text) for ln in lines] == [(1, "标题"), (3, "第二段"), (4, "第三段")]


@pytest.mark.parametrize(
    ("cell", "value"),
    [("12", 12), ("96171.6", 96171.6), ("无", 0), ("", None), ("—", None), ("/", None), ("-3", -3), ("1,234", 1234)],
)
def test_parse_cell(cell, value):
    assert parse_cell(cell) == value


def test_amount():
    assert amount("3940", "元") == 3940
    assert amount("1.5", "万元") == 15000


@pytest.mark.parametrize(
    ("lines", "date"),
    [
        (["标题政府信息公开工作年度报告", "正文。", "某局", "2018年3月5日"], "2018-03-05"),
        (["标题政府信息公开工作年度报告", "2018-03-15 来源: 本网", "正文。"], "2018-03-15"),
        (["标题政府信息公开工作年度报告", "发布日期：2020年2月", "正文。"], "2020-02"),
        (["标题政府信息公开工作年度报告", "统计期限自2017年1月1日至2017年12月31日。"], None),
    ],
)
def test_published(lines, date):
    ls = [Line(i + 1, normalise(t), t) for i, t in enumerate(lines)]
    assert detect_published(ls, find_title(ls))[0] == date


REQUEST_HEAD = "三、收到和处理政府信息公开申请情况\n"
ROWS = [
    ("一、本年新收政府信息公开申请数量", [3, 1, 0, 0, 2, 0, 6]),
    ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    ("(一)予以公开", [4, 1, 0, 0, 2, 0, 7]),
    ("(七)总计", [4, 1, 0, 0, 2, 0, 7]),
    ("四、结转下年度继续办理", [0, 0, 0, 0, 0, 0, 0]),
]


def _table(fmt):
    return "2021年某局政府信息公开工作年度报告\n" + REQUEST_HEAD + "\n".join(fmt(label, vals) for label, vals in ROWS) + "\n"


def test_blank_cells_stay_null_in_a_tab_table():
    text = _table(lambda label, v: "\t".join([label] + [str(x) for x in v]))
    text = text.replace("(一)予以公开\t4\t1", "(一)予以公开\t4\t")
    report = parse_text(text)
    assert lookup(report, "requests.matrix.granted.commercial") is None
    assert lookup(report, "requests.matrix.granted.total") == 7
    assert lookup(report, "requests.matrix.granted.natural_person") == 4


def test_cells_run_together_are_recovered_by_the_sum_rule():
    text = _table(lambda label, v: label + "".join(str(x) for x in v))
    report = parse_text(text)
    assert lookup(report, "requests.matrix.received.legal_service") == 2
    assert lookup(report, "requests.received") == 6
    assert lookup(report, "requests.carried_forward") == 0


def test_ambiguous_run_is_left_null_and_flagged():
    text = _table(lambda label, v: label + "".join(str(x) for x in v)).replace("310020 6", "x")
    text = text.replace("3100206", "11111111116")  # cuts 1,1,1,1,1,11|16? many ways
    report = parse_text(text)
    codes = {f["code"] for f in report["flags"]}
    assert "UNPARSED_TABLE" in codes
    assert lookup(report, "requests.matrix.received.natural_person") is None


def test_review_row_of_fifteen_numbers_unlabelled():
    text = "2021年某局政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n"
    text += " ".join(["1", "2", "0", "0", "3", "0", "1", "0", "0", "1", "0", "0", "0", "2", "2"]) + "\n五、存在的主要问题\n"
    text += "本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n"
    report = parse_text(text)
    assert lookup(report, "reconsideration.total") == 3
    assert lookup(report, "litigation.direct.total") == 1
    assert lookup(report, "litigation.after_reconsideration.pending") == 2
    assert lookup(report, "litigation.total") == 3


def test_region_from_folders_is_not_mixed_with_another_city_in_the_name():
    from nianbao.parse.region import detect_region

    mixed = detect_region("淮安市清江浦区人民政府", [], ("浙江省", "宁波市"))
    assert (mixed.province, mixed.city, mixed.county) == ("浙江省", "宁波市", None)
    same = detect_region("宁波市北仑区自然资源局", [], ("浙江省", "宁波市"))
    assert (same.province, same.city, same.county) == ("浙江省", "宁波市", "北仑区")


def test_a_stray_nul_does_not_make_a_text_binary():
    from nianbao.readers.text import Unreadable, decode

    text = "---\n\x00\n---\n2018年度测试局政府信息公开工作年度报告\n"
    assert decode(text.encode("utf-8")) == text  # found by test_hardening's fuzzed front matter
    with pytest.raises(Unreadable, match="二进制"):
        decode(bytes(range(256)) * 20)


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("一、本年新收  3ooI   53  0", "一、本年新收  3001   53  0"),  # letters among a row's figures
        ("(一)予以公开  Io5  I2  o  0", "(一)予以公开  105  12  0  0"),
        ("二、上年结转政府信息公开申请数量  o", "二、上年结转政府信息公开申请数量  0"),  # alone, set apart by a column's gap
        ("主动公开政府信息l8条,收到申请l件,办结1O件", "主动公开政府信息18条,收到申请1件,办结10件"),  # before a counter
        ("ICP备05012345号 Hello件", "ICP备05012345号 Hello件"),
        ("I am 2 years old", "I am 2 years old"),  # a word among words: not a figure
        ("邮箱 blgj@bl.gov.cn 电话 86789508", "邮箱 blgj@bl.gov.cn 电话 86789508"),
    ],
)
def test_ocr_letters_for_digits_in_a_row_of_figures(line, want):
    from nianbao.parse.numbers import ocr_digits

    assert ocr_digits(line) == want


def test_a_scanned_table_with_misread_digits_and_a_page_number_between_rows():
    """OCR text: cells apart by two spaces or more, l and O for 1 and 0, the page's number between two rows."""
    text = _table(lambda label, v: label + "  " + "   ".join(str(x) for x in v))
    text = text.replace("(一)予以公开  4   1", "(一)予以公开  4   l").replace("\n(七)总计", "\n- 3 -\n(七)总计")
    text = text.replace("四、结转下年度继续办理  0   0", "四、结转下年度继续办理  O   0")
    as_tab = parse_text(_table(lambda label, v: "\t".join([label, *map(str, v)])))
    assert lookup(parse_text(text), "requests.matrix") == lookup(as_tab, "requests.matrix")


def test_a_crawlers_cell_lines_with_zero_width_spaces_and_the_pages_links_after_them():
    """A <td> a line, empty cells lost, zero-width spaces inside labels and figures, then 上一篇/下一篇 (上1篇 once
    numerals are digits) and the site's links: the labels match and the links give no row a cell."""
    text = _table(lambda label, v: "\n".join([label.replace("公开", "公\u200b开"), *(f"\xa0{x}\u200b" for x in v)]))
    text += "上一篇：2020年政府信息公开工作年度报告\n下一篇：无\n网站地图\n"
    as_tab = parse_text(_table(lambda label, v: "\t".join([label, *map(str, v)])))
    report = parse_text(text)
    assert lookup(report, "requests.matrix") == lookup(as_tab, "requests.matrix")
    assert lookup(report, "year") == 2021


def test_a_figure_an_ocr_split_is_joined_by_the_sum_rule_or_left_null():
    """'1 288' in a row of figures is one figure when the row's sum says so; it is never 288 in a shifted row."""
    text = _table(lambda label, v: label + "   " + "   ".join(str(x) for x in v))
    text = text.replace("(一)予以公开   4   1   0   0   2   0   7", "(一)予以公开   1 288   1   0   0   2   0   1291")
    report = parse_text(text)
    assert lookup(report, "requests.matrix.granted") == dict(zip(vocab.COLUMNS, [1288, 1, 0, 0, 2, 0, 1291], strict=True))
    ambiguous = parse_text(text.replace("1 288   1   0", "1 1   1   0").replace("1291", "14"))
    assert lookup(ambiguous, "requests.matrix.granted.natural_person") is None  # 11 1 …, 1 11 … or 1 1 10 …
    assert lookup(ambiguous, "requests.matrix.granted.total") == 14


@pytest.mark.parametrize("sep", ["\t", "   ", "\n"])
def test_a_row_whose_label_an_ocr_misread_never_lends_its_figures_to_the_row_before(sep):
    """子以公开 (予 misread) between 上年结转 and 部分公开: its figures are not 上年结转's, and the rows either side
    leave it one place, (一)予以公开, so it takes it. Between 上年结转 and 总计 there are many places: it stays unread."""
    rows = [*ROWS[:3], ("(二)部分公开", [0, 0, 0, 0, 0, 0, 0]), *ROWS[3:]]

    def table(fmt):
        return "2021年某局政府信息公开工作年度报告\n" + REQUEST_HEAD + "\n".join(fmt(label, v) for label, v in rows) + "\n"

    tab = parse_text(table(lambda label, v: "\t".join([label, *map(str, v)])))
    text = table(lambda label, v: sep.join([label, *map(str, v)])).replace("予以公开", "子以公开")
    assert lookup(parse_text(text), "requests.matrix") == lookup(tab, "requests.matrix")
    unplaced = parse_text(text.replace("(二)部分公开", "(二)部分公幵"))
    assert lookup(unplaced, "requests.matrix.carried_over") == lookup(tab, "requests.matrix.carried_over")
    assert lookup(unplaced, "requests.matrix.granted.total") is None


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("本 年 新 收 政 府 信 息 公 开 申 请 数 量   3001   53", "本年新收政府信息公开申请数量 3001 53"),  # Tesseract's spacing
        ("规 章   0   0   0", "规章 0 0 0"),
        ("2023年 我 局 共 收 到 申 请 一 件 。", "2023年我局共收到申请1件。"),  # a numeral read once it touches its counter
        ("第 二 十 条 第(八)项", "第二十条第(八)项"),
        ("信息内容 本年制发件数 本年废止件数", "信息内容 本年制发件数 本年废止件数"),  # cells a space apart: kept
        ("北仑区人民政府 郭巨街道办事处", "北仑区人民政府 郭巨街道办事处"),
    ],
)
def test_a_scan_whose_ocr_spaced_every_chinese_character_reads_as_printed(printed, read):
    lines = split_lines("二 〇 二 三 年 政 府 信 息 公 开\n" + printed)
    assert lines[-1].text == read and lines[-1].raw == printed


def test_a_label_on_its_own_line_keeps_the_figures_under_it_and_a_note_in_brackets_is_no_cell():
    """A crawler's label line, then the row's figures: the figures are that label's, never the next label's; a
    header's "(减用负值表示,如-8)" gives no row a figure."""
    tab = parse_text(_table(lambda label, v: "\t".join([label, *map(str, v)])).replace("数量\t3\t", "数量\t\t"))
    lines = parse_text(_table(lambda label, v: label + "\n" + " ".join(map(str, v))).replace("数量\n3 ", "数量\n- "))
    assert lookup(lines, "requests.matrix") == lookup(tab, "requests.matrix")
    assert lookup(lines, "requests.matrix.received.commercial") == 1  # '- 1 0 …' is received's, not 上年结转's
    text = "2019年某镇政府信息公开工作年度报告\n第二十条第(五)项\n信息内容 上一年项目数量 本年增/减(减用负值,如-8) 处理决定数量\n"
    assert lookup(parse_text(text + "行政许可\n71 -11 5\n"), "proactive.licensing") == 5


def test_a_table_a_crawler_put_on_one_line_is_read_row_by_row():
    """get_text(" ") of a table: every label, then its figures, on one line; 3、其他 mid-line is 其他处理's row."""
    text = "2021年某局政府信息公开工作年度报告\n二、主动公开政府信息情况\n"
    text += "第二十条第(一)项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章 1 0 11 行政规范性文件 8 26 66\n"
    text += "三、收到和处理政府信息公开申请情况\n"
    rows = [*ROWS[:3], ("(六)其他处理 1、申请人无正当理由逾期不补正", [1, 0, 0, 0, 0, 0, 1])]
    rows += [("2、申请人逾期未按收费通知要求缴纳费用", [0] * 7), ("3、其他", [2, 0, 0, 0, 0, 0, 2]), *ROWS[3:]]
    text += " ".join(f"{label} {' '.join(map(str, v))}" for label, v in rows) + "\n"
    report = parse_text(text)
    assert lookup(report, "proactive.rules") == {"issued": 1, "repealed": 0, "in_force": 11}
    assert lookup(report, "proactive.normative.in_force") == 66
    assert lookup(report, "requests.matrix.other.other.total") == 2 and lookup(report, "requests.received") == 6


def test_a_paragraph_an_ocr_wrapped_is_read_whole():
    """Hard line breaks every 30 characters, inside a name, a figure or a date: the agency is never the second
    line's fragment, the year and a run-in heading's figure are read across the break."""
    text = (
        "一、总体情况\n"
        "2023年,在区委、区政府的坚强领导下,东湖街道办事处认真贯彻落实《中华人民共和\n"  # no break inside the name
        "国政府信息公开条例》。报告所列数据的统计期限自2023年1月1日起至2023年12\n"
        "月31日止。\n"
        "(二)公开的数量。截止到2023年12月31日,东湖街道主动公开政府\n"
        "信息总数88条。\n"
    )
    wrapped_name = text.replace("东湖街道办事处认真贯彻落实《中华人民共和\n国", "东\n湖街道办事处认真贯彻落实《中华人民共和国")
    for t in (text, wrapped_name):
        report = parse_text(t)
        assert lookup(report, "agency") in ("东湖街道办事处", "东湖街道"), t
        assert lookup(report, "year") == 2023 and lookup(report, "proactive.total") == 88


def test_a_misread_label_of_the_proactive_tables_and_of_a_tables_last_row_takes_its_place():
    text = "2021年某局政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第(一)项\n"
    text += "信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 1 0 11\n行政规范牲文件 8 26 66\n"  # 性 read as 牲
    text += "第二十条第(五)项\n信息内容 本年处理决定数量\n行政许可 4\n第二十条第(六)项\n行政外罚 5\n行政强制 6\n"  # 处 as 外
    text += "第二十条第(八)项\n信息内容 本年收费金额(单位:万元)\n行政事业牲收费 7.5\n三、收到和处理政府信息公开申请情况\n"
    report = parse_text(text)
    assert lookup(report, "proactive.normative") == {"issued": 8, "repealed": 26, "in_force": 66}
    assert lookup(report, "proactive.penalty") == 5 and lookup(report, "proactive.admin_fees_10k_yuan") == 7.5


def test_pdftotexts_page_number_at_a_page_break_is_no_cell():
    lines = split_lines("第二十条第(五)项\n行政许可   447228\n\n                 3\n\f政府信息公开工作年度报告\n行政处罚   12\n")
    assert [ln.text for ln in lines] == ["第二十条第(五)项", "行政许可 447228", "政府信息公开工作年度报告", "行政处罚 12"]
    assert [ln.text for ln in split_lines("规章 3\n3\n")] == ["规章 3", "3"]  # no page break: a figure alone is a cell


def test_a_merged_fee_cell_a_converter_repeated_is_one_figure():
    text = "2021年某局政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第(八)项\n"
    text += "信息内容\t本年收费金额(单位:万元)\t本年收费金额(单位:万元)\n行政事业性收费\t96171.6\t96171.6\n"
    assert lookup(parse_text(text), "proactive.admin_fees_10k_yuan") == 96171.6


def test_a_thousands_separator_an_ocr_read_as_a_point_is_read_only_where_a_sum_confirms_it():
    text = _table(lambda label, v: label + "  " + "   ".join(str(x) for x in v))
    text = text.replace("(一)予以公开  4   1   0   0   2   0   7", "(一)予以公开  1.288   1   0   0   2   0   1.291")
    assert lookup(parse_text(text), "requests.matrix.granted.total") == 1291  # 1288 + 1 + 2: the row adds up
    unsure = parse_text(text.replace("1.291", "1.292"))
    assert lookup(unsure, "requests.matrix.granted.natural_person") is None  # never 1.288
    penalty = "2021年某局政府信息公开工作年度报告\n第二十条第(六)项\n信息内容 本年处理决定数量\n行政处罚 1.472\n"
    assert lookup(parse_text(penalty), "proactive.penalty") is None  # a count has no point, and no sum confirms 1472
