"""Chart data: a report's breakdowns are bars the page draws itself, each as long as its share of the
longest; a year table's bars run over every year from the first to the last; what is not a number is left out."""

from nianbao.render import charts


def test_a_breakdown_is_bars_scaled_to_the_longest():
    chart = charts.breakdown("c-x", "标题", {"政府网站": 1024, "政务微博": 256, "其他": 0}, "条")
    assert chart is not None and chart.option_json == "" and not chart.zero
    assert chart.bars == (("政府网站", 1024, 100.0), ("政务微博", 256, 25.0), ("其他", 0, 0.0))
    assert chart.rows == [["政府网站", 1024], ["政务微博", 256], ["其他", 0]]


def test_a_breakdown_leaves_out_what_is_not_a_number_and_says_all_zero():
    chart = charts.breakdown("c-x", "标题", {"网站": 3, "公报": None, "备注": "若干"}, "条")  # type: ignore[dict-item]
    assert chart is not None and chart.rows == [["网站", 3]]
    assert charts.breakdown("c-x", "标题", {"公报": None}, "条") is None  # type: ignore[dict-item]
    zero = charts.breakdown("c-x", "标题", {"网站": 0, "公报": 0}, "条")
    assert zero is not None and zero.zero


def test_year_bars_leave_a_gap_for_a_year_not_given():
    chart = charts.year_bars("c-y", "数量", {2013: 40, 2015: 80})
    assert chart is not None
    assert chart.bars == (("2013年", 40, 50.0), ("2014年", None, 0.0), ("2015年", 80, 100.0))
    assert chart.rows == [[2013, 40], [2014, None], [2015, 80]]


def test_a_trend_is_on_a_time_axis_with_gaps():
    import json

    chart = charts.trend("c-t", "主动公开（条）", {2016: 5, 2018: 7}, "条", reported={2016, 2018})
    assert chart is not None
    option = json.loads(chart.option_json)
    assert option["xAxis"][0]["data"] == ["2016", "2017", "2018"]
    assert [p[1] if isinstance(p, list) else p for p in option["series"][0]["data"]] == [5, None, 7]
    assert chart.rows[1] == [2017, "无该年报告"]


def test_a_sum_over_agencies_says_what_each_year_adds_up():
    import json

    added = {2014: charts.Summed(1, 1), 2016: charts.Summed(3, 4, 1), 2017: charts.Summed(0, 0, 2), 2018: charts.Summed(2, 2)}
    series = {2014: 1187, 2016: 7848, 2017: None, 2018: 75}
    chart = charts.trend("c-t", "主动公开政府信息（条）", series, "条", reported={2014, 2016, 2017, 2018}, added=added)
    assert chart is not None
    assert chart.headers == ["年度", "主动公开政府信息（条）：各年合计", "是哪些报告之和"]
    assert chart.rows == [
        [2014, 1187, "1 个机关合计 1,187 条"],
        [2015, "无该年报告", ""],
        [2016, 7848, "3 个机关的 4 份报告合计 7,848 条；另 1 个机关未载明"],
        [2017, None, "2 个机关有报告，都未载明"],
        [2018, 75, "2 个机关合计 75 条"],
    ]
    option = json.loads(chart.option_json)
    line, counts = option["series"]
    assert [p[1] for p in line["data"]] == [1187, None, 7848, None, 75] and not line["connectNulls"]
    assert counts["type"] == "bar" and counts["data"] == [1, None, 3, 0, 2]  # the agencies each point adds up
    assert (counts["xAxisIndex"], counts["yAxisIndex"]) == (1, 1) and option["xAxis"][1]["data"] == option["xAxis"][0]["data"]
    assert [g["left"] for g in option["grid"]] == [option["grid"][0]["left"]] * 2  # the bars stand under their years
    assert option["fullNames"][2] == "2016年：3 个机关的 4 份报告合计 7,848 条；另 1 个机关未载明"
    assert option["fullNames"][1] == "2015年：无该年报告"
