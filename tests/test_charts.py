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
