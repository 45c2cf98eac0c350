"""Chart options made with pyecharts, drawn in the browser by ECharts.

A Chart carries the ECharts option as JSON (embedded in the page, not executed)
and the numbers it draws as a table: the text alternative every chart has (the
full lists are the comparison and ranking pages). Charts
over many reports show the top ``TOP`` and group the rest, so a bar chart never
draws thousands of bars.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from pyecharts import options as opts
from pyecharts.charts import Bar, Line
from pyecharts.charts.base import default as pyecharts_json

from nianbao import compact
from nianbao.model import Report
from nianbao.render.labels import OUTCOMES, ROWS
from nianbao.render.views import label

TOP = 20
Number = int | float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    option_json: str  # safe inside <script type="application/json">
    headers: list[str]
    rows: list[list[object]]
    height: int = 360


def _json(chart: Bar | Line) -> str:
    option = chart.get_options()  # as dump_options() has it, without its round trip through indented JSON
    option.pop("animation", None)  # keep ECharts' defaults, which honour reduced motion
    return _escaped(option)


def _bar() -> Bar:
    return Bar(init_opts=opts.InitOpts(bg_color="transparent"))


def _common(chart: Bar | Line, legend: bool, horizontal: bool = False, rows: int = 0) -> Bar | Line:
    chart.set_global_opts(
        legend_opts=opts.LegendOpts(is_show=legend, type_="scroll", pos_top=0),
        tooltip_opts=opts.TooltipOpts(trigger="axis", axis_pointer_type="shadow"),
        yaxis_opts=opts.AxisOpts(type_="category" if horizontal else "value", is_inverse=horizontal, min_interval=1),
        xaxis_opts=opts.AxisOpts(
            type_="value" if horizontal else "category",
            min_interval=1,
            axislabel_opts=None if horizontal else opts.LabelOpts(rotate=30 if rows > 6 else 0, interval=0),
        ),
    )
    if horizontal:
        chart.options["grid"] = {"containLabel": True, "left": 8, "right": 40, "top": 32 if legend else 8, "bottom": 8}
    else:
        chart.options["grid"] = {"containLabel": True, "left": 8, "right": 16, "top": 40 if legend else 16, "bottom": 8}
    return chart


def _top(items: list[tuple[Report, Number]]) -> list[tuple[str, Number]]:
    """The first TOP - 1 items by their report's label, the rest summed in one (all of them if no more than TOP)."""
    if len(items) <= TOP:
        return [(label(r), v) for r, v in items]
    rest = items[TOP - 1 :]
    return [(label(r), v) for r, v in items[: TOP - 1]] + [(f"其余{len(rest)}份合计", sum(v for _, v in rest))]


def ranking(chart_id: str, title: str, reports: list[Report], key: str, unit: str) -> Chart | None:
    """One bar per report (largest first), the tail grouped into one bar."""
    items = [(r, value) for r in reports if isinstance(value := r.get(key), int | float)]
    items.sort(key=lambda item: -item[1])
    if not items:
        return None
    shown = _top(items)
    bar = _bar().add_xaxis([name for name, _ in shown])
    bar.add_yaxis(f"{title}（{unit}）", [v for _, v in shown], label_opts=opts.LabelOpts(is_show=True, position="right"))
    bar = bar.reversal_axis()
    _common(bar, legend=False, horizontal=True)
    return Chart(chart_id, title, _json(bar), ["报告", f"{title}（{unit}）"], [list(i) for i in shown], 80 + 26 * len(shown))


_OUTCOME_KEYS = tuple(f"requests.{o}" for o in OUTCOMES)


def outcomes(chart_id: str, reports: list[Report]) -> Chart | None:
    """How requests were answered, stacked by outcome, per report (most requests first)."""
    stated = [r for r in reports if any(isinstance(r.get(k), int | float) for k in _OUTCOME_KEYS)]
    stated.sort(key=lambda r: -(r.get("requests.received") or 0))  # type: ignore[operator]
    if not stated:
        return None
    shown = stated[:TOP]
    bar = _bar().add_xaxis([label(r) for r in shown])
    for outcome in OUTCOMES:
        values = [r.get(f"requests.{outcome}") for r in shown]
        bar.add_yaxis(ROWS[outcome], values, stack="outcome", label_opts=opts.LabelOpts(is_show=False))
    bar = bar.reversal_axis()
    _common(bar, legend=True, horizontal=True)
    headers = ["报告", "本年新收"] + [ROWS[o] for o in OUTCOMES]
    rows = [[label(r), r.get("requests.received")] + [r.get(f"requests.{o}") for o in OUTCOMES] for r in shown]
    title = "依申请公开办理结果" + (f"（申请最多的{TOP}份）" if len(stated) > TOP else "")
    return Chart(chart_id, title, _json(bar), headers, rows, 100 + 28 * len(shown))


def review(chart_id: str, reports: list[Report]) -> Chart | None:
    """行政复议 and 行政诉讼 per report, for the reports that state either."""
    keys = (("reconsideration.total", "行政复议"), ("litigation.total", "行政诉讼"))
    stated = [r for r in reports if any(isinstance(r.get(k), int | float) for k, _ in keys)]
    stated.sort(key=lambda r: -sum(r.get(k) or 0 for k, _ in keys))  # type: ignore[misc]
    if not stated:
        return None
    shown = stated[:TOP]
    bar = _bar().add_xaxis([label(r) for r in shown])
    for key, name in keys:
        bar.add_yaxis(name, [r.get(key) for r in shown], label_opts=opts.LabelOpts(is_show=True, position="right"))
    bar = bar.reversal_axis()
    _common(bar, legend=True, horizontal=True)
    rows = [[label(r)] + [r.get(k) for k, _ in keys] for r in shown]
    return Chart(chart_id, "行政复议与行政诉讼（件）", _json(bar), ["报告", "行政复议", "行政诉讼"], rows, 100 + 40 * len(shown))


def breakdown(chart_id: str, title: str, counts: dict[str, Number], unit: str) -> Chart | None:
    """A report's own breakdown (channels, categories, outcomes as printed)."""
    items = [(k, v) for k, v in counts.items() if isinstance(v, int | float)]
    if not items:
        return None
    head, middle, tail = _breakdown_frame(unit)
    option = f"{head}{_escaped([v for _, v in items])}{middle}{_escaped([k for k, _ in items])}{tail}"
    return Chart(chart_id, title, option, ["项目", unit], [list(i) for i in items], 80 + 30 * len(items))


_VALUES, _LABELS = [-0.125], ["\x00"]  # stand-ins for a breakdown's data: no count or label is these


@functools.cache
def _breakdown_frame(unit: str) -> tuple[str, str, str]:
    """The option of a breakdown in ``unit`` as pyecharts makes it, cut where its values and its labels go.
    Made once for each unit: 10,000 report pages have over ten thousand breakdowns, which differ only there."""
    bar = _bar().add_xaxis(_LABELS)
    bar.add_yaxis(unit, _VALUES, label_opts=opts.LabelOpts(is_show=True, position="right"))
    bar = bar.reversal_axis()
    _common(bar, legend=False, horizontal=True)
    head, _, rest = _json(bar).partition(f'"data":{_escaped(_VALUES)}')
    middle, _, tail = rest.partition(f'"data":{_escaped(_LABELS)}')
    return f'{head}"data":', f'{middle}"data":', tail


def _escaped(value: object) -> str:
    """``value`` as JSON that is safe inside <script type="application/json">."""
    text = compact.dumps(value, default=pyecharts_json).decode("utf-8")
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def trend(chart_id: str, title: str, years: list[int], series: dict[str, list[Number | None]]) -> Chart | None:
    """A line per figure over the years; gaps where a year does not state it."""
    if len(years) < 2 or not series:
        return None
    line = Line(init_opts=opts.InitOpts(bg_color="transparent")).add_xaxis([str(y) for y in years])
    for name, values in series.items():
        line.add_yaxis(name, values, is_connect_nones=False, label_opts=opts.LabelOpts(is_show=True))
    _common(line, legend=len(series) > 1)
    line.options["tooltip"] = {"trigger": "axis"}
    rows = [[y] + [values[i] for values in series.values()] for i, y in enumerate(years)]
    return Chart(chart_id, title, _json(line), ["年度", *series], rows, 320)
