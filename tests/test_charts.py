"""Chart options: a report's breakdowns come from a frame pyecharts makes once per unit, filled with each
report's data; they must be the option pyecharts makes for that data itself."""

import json

import pytest
from pyecharts import options as opts

from nianbao.render import charts


def _by_pyecharts(counts: dict[str, int | float], unit: str) -> str:
    bar = charts._bar().add_xaxis(list(counts))
    bar.add_yaxis(unit, list(counts.values()), label_opts=opts.LabelOpts(is_show=True, position="right"))
    return charts._json(charts._common(bar.reversal_axis(), legend=False, horizontal=True))


@pytest.mark.parametrize(
    ("counts", "unit"),
    [
        ({"政府网站": 1024, "政务微博": 36, "政务微信": 58, "政府公报": 4, "其他": 0}, "条"),
        ({"非本机关政府信息": 7}, "件"),
        ({'<script>"&\\': 1.5, "\u2028换行\n": 2**40, "\x00": -3}, "<件>"),  # what must be escaped, and the stand-in itself
    ],
)
def test_a_breakdown_is_the_option_pyecharts_makes(counts, unit):
    chart = charts.breakdown("c-x", "标题", counts, unit)
    assert chart is not None
    assert chart.option_json == _by_pyecharts(counts, unit)
    option = json.loads(chart.option_json)
    assert option["yAxis"][0]["data"] == list(counts)
    assert option["series"][0]["data"] == list(counts.values())
    assert "<" not in chart.option_json and "&" not in chart.option_json


def test_a_breakdown_leaves_out_what_is_not_a_number():
    chart = charts.breakdown("c-x", "标题", {"网站": 3, "公报": None, "备注": "若干"}, "条")  # type: ignore[dict-item]
    assert chart is not None and chart.rows == [["网站", 3]]
    assert chart.option_json == _by_pyecharts({"网站": 3}, "条")
    assert charts.breakdown("c-x", "标题", {"公报": None}, "条") is None  # type: ignore[dict-item]
