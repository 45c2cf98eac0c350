"""Chart options made with pyecharts, drawn in the browser by ECharts.

A Chart carries the ECharts option as JSON (embedded in the page, not executed)
and the numbers it draws as a table: the text alternative every chart has (the
full lists are the comparison and ranking pages). Charts
over many reports show the top ``TOP`` and group the rest, so a bar chart never
draws thousands of bars.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from pyecharts import options as opts
from pyecharts.charts import Bar, Line
from pyecharts.charts.base import default as pyecharts_json

from nianbao import compact
from nianbao.model import Report
from nianbao.render import views
from nianbao.render.labels import OUTCOMES, ROWS
from nianbao.render.outcomes import Outcomes, by_category
from nianbao.render.views import label

TOP = 20
Number = int | float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    option_json: str  # safe inside <script type="application/json">
    headers: list[str]
    rows: Sequence[Sequence[object]]
    height: int = 360
    note: str = ""  # said under the chart: what its parts add up to, and why not
    zero: bool = False  # every value is 0: said in words, not drawn on an empty axis
    bars: tuple[tuple[str, Number | None, float], ...] = ()  # drawn by the page itself (no script): label, value, %


def _json(chart: Bar | Line) -> str:
    option = chart.get_options()  # as dump_options() has it, without its round trip through indented JSON
    option.pop("animation", None)  # keep ECharts' defaults, which honour reduced motion
    return _escaped(option)


def _bar() -> Bar:
    return Bar(init_opts=opts.InitOpts(bg_color="transparent"))


def _common(chart: Bar | Line, legend: bool, horizontal: bool = False, rows: int = 0) -> Bar | Line:
    chart.set_global_opts(
        legend_opts=opts.LegendOpts(is_show=legend, type_="plain", pos_top=0),
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
        chart.options["grid"] = {"containLabel": True, "left": 8, "right": 16, "top": 40 if legend else 28, "bottom": 8}
    return chart


def _names(reports: list[Report | None], tail: str = "") -> list[str]:
    """What a chart's axis calls each report: its agency's short name (the full one where two
    would read the same), or ``tail`` for the grouped rest (None)."""
    short = [views.short_name(r) if r else tail for r in reports]
    twice = {n for n in short if short.count(n) > 1}
    return [views.label(r) if r and n in twice else n for r, n in zip(reports, short, strict=True)]


def _full_names(chart: Bar | Line, reports: list[Report | None], tail: str = "") -> Bar | Line:
    """Have the tooltip name each report in full (site.js reads ``fullNames``): axis labels are short."""
    chart.options["fullNames"] = [views.label(r) if r else tail for r in reports]
    return chart


def _top(items: list[tuple[Report, Number]]) -> tuple[list[Report | None], list[Number], str]:
    """The first TOP - 1 items, the rest summed in one (all of them if no more than TOP):
    their reports (None for the rest), values, and what the rest is called."""
    if len(items) <= TOP:
        return [r for r, _ in items], [v for _, v in items], ""
    rest = items[TOP - 1 :]
    head = items[: TOP - 1]
    tail = f"其余{len(rest)}份合计"
    return [r for r, _ in head] + [None], [v for _, v in head] + [sum(v for _, v in rest)], tail


def ranking(chart_id: str, title: str, reports: list[Report], key: str, unit: str) -> Chart | None:
    """One bar per report (largest first), the tail grouped into one bar."""
    items = [(r, value) for r in reports if isinstance(value := r.get(key), int | float)]
    items.sort(key=lambda item: -item[1])
    if not items:
        return None
    shown, values, tail = _top(items)
    bar = _bar().add_xaxis(_names(shown, tail))
    bar.add_yaxis(f"{title}（{unit}）", values, label_opts=opts.LabelOpts(is_show=True, position="right"))
    bar = _full_names(bar.reversal_axis(), shown, tail)
    _common(bar, legend=False, horizontal=True)
    rows = [[views.label(r) if r else tail, v] for r, v in zip(shown, values, strict=True)]
    zero = all(v == 0 for v in values)
    named = f"{title}（{unit}）"
    return Chart(chart_id, named, _json(bar), ["报告", named], rows, 80 + 26 * len(shown), zero=zero)


def outcomes(chart_id: str, reports: list[Report]) -> Chart | None:
    """How requests were answered, stacked by outcome, per report (most requests first); a prose
    report's printed outcomes in the categories they belong to."""
    parts = [(r, p) for r in reports if (p := by_category(r).parts)]
    parts.sort(key=lambda item: -(item[0].get("requests.received") or 0))  # type: ignore[operator]
    if not parts:
        return None
    shown = parts[:TOP]
    bar = _bar().add_xaxis(_names([r for r, _ in shown]))
    for outcome in OUTCOMES:
        values = [p.get(outcome) for _, p in shown]
        if any(v is not None for v in values):  # a legend of the outcomes these reports state
            bar.add_yaxis(ROWS[outcome], values, stack="outcome", label_opts=opts.LabelOpts(is_show=False))
    bar = _full_names(bar.reversal_axis(), [r for r, _ in shown])
    _common(bar, legend=True, horizontal=True)
    headers = ["报告", "本年新收"] + [ROWS[o] for o in OUTCOMES]
    rows = [[label(r), r.get("requests.received")] + [p.get(o) for o in OUTCOMES] for r, p in shown]
    title = "依申请公开办理结果" + (f"（申请最多的{TOP}份）" if len(parts) > TOP else "")
    zero = all(not any(p.values()) for _, p in shown)
    short = [label(r) for r, p in shown if r.get("requests.received") not in (None, sum(v for v in p.values() if v))]
    which = "、".join(short[:3]) + ("等" if len(short) > 3 else "")
    note = f"每份报告只画出它写明的办理结果；{which}的各项之和不等于本年新收申请（差额是未写明结果、结转或上年的申请），见下表。"
    note = note if short else ""
    return Chart(chart_id, title, _json(bar), headers, rows, 100 + 28 * len(shown), zero=zero, note=note)


def review(chart_id: str, reports: list[Report]) -> Chart | None:
    """行政复议 and 行政诉讼 per report, for the reports that state either."""
    keys = (("reconsideration.total", "行政复议"), ("litigation.total", "行政诉讼"))
    stated = [r for r in reports if any(isinstance(r.get(k), int | float) for k, _ in keys)]
    stated.sort(key=lambda r: -sum(r.get(k) or 0 for k, _ in keys))  # type: ignore[misc]
    if not stated:
        return None
    shown = stated[:TOP]
    bar = _bar().add_xaxis(_names(list(shown)))
    for key, name in keys:
        bar.add_yaxis(name, [r.get(key) for r in shown], label_opts=opts.LabelOpts(is_show=True, position="right"))
    bar = _full_names(bar.reversal_axis(), list(shown))
    _common(bar, legend=True, horizontal=True)
    rows = [[label(r), *(r.get(k) for k, _ in keys)] for r in shown]
    zero = all(not r.get(k) for r in shown for k, _ in keys)
    title = "行政复议与行政诉讼（件）" + (f"（最多的{TOP}份）" if len(stated) > TOP else "")
    return Chart(chart_id, title, _json(bar), ["报告", "行政复议", "行政诉讼"], rows, 100 + 40 * len(shown), zero=zero)


BarRow = tuple[str, Number | None, float]  # (label, value, its length in % of the longest)


def _bars(items: list[tuple[str, Number | None]]) -> tuple[BarRow, ...]:
    top = max((v for _, v in items if v is not None and v > 0), default=0)
    return tuple((k, v, round(100 * v / top, 2) if v is not None and v > 0 and top else 0.0) for k, v in items)


def breakdown(chart_id: str, title: str, counts: Mapping[str, Number], unit: str) -> Chart | None:
    """A report's own breakdown (channels, categories, outcomes), drawn as bars by the page itself:
    a report page needs no chart script."""
    items = [(str(k), v) for k, v in counts.items() if isinstance(v, int | float) and not isinstance(v, bool)]
    if not items:
        return None
    zero = all(v == 0 for _, v in items)
    return Chart(chart_id, title, "", ["项目", unit], [list(i) for i in items], zero=zero, bars=_bars(items))  # type: ignore[arg-type]


def outcome_chart(chart_id: str, result: Outcomes) -> Chart | None:
    """A report's outcomes by template category; its table names the printed outcomes each holds,
    its note what the parts add up to against the stated total."""
    chart = breakdown(chart_id, "依申请公开办理结果（件）", {ROWS[k]: v for k, v in result.parts.items()}, "件")
    if chart is None:
        return None
    rows = [[ROWS[k], v, "、".join(result.printed.get(k, ()))] for k, v in result.parts.items()]
    return replace(chart, headers=["办理结果", "件", "报告原文"], rows=rows, note=result.note())


def year_bars(chart_id: str, title: str, series: dict[int, Number]) -> Chart | None:
    """A table of years a report prints of itself, as a bar a year from the first to the last:
    a year it gives no figure for has no bar."""
    if len(series) < 2:
        return None
    years = range(min(series), max(series) + 1)
    items = [(f"{y}年", series.get(y)) for y in years]
    rows: list[list[object]] = [[y, series.get(y)] for y in years]
    zero = all(not v for v in series.values())
    return Chart(chart_id, title, "", ["年度", title], rows, zero=zero, bars=_bars(items))


def _escaped(value: object) -> str:
    """``value`` as JSON that is safe inside <script type="application/json">."""
    text = compact.dumps(value, default=pyecharts_json).decode("utf-8")
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@dataclass(frozen=True)
class Summed:
    """What a region's figure of one year adds up: the agencies (and their reports) that state it, and
    how many agencies reported that year without stating it."""

    agencies: int
    reports: int
    silent: int = 0

    def words(self, value: Number, unit: str) -> str:
        """What the sum adds up, as "12 个机关合计 650 条" (and who reported without it): true quoted alone."""
        who = f"{self.agencies} 个机关" + (f"的 {self.reports} 份报告" if self.reports != self.agencies else "")
        return f"{who}合计 {value:,}{f' {unit}' if unit else ''}" + (f"；另 {self.silent} 个机关未载明" if self.silent else "")


def trend(
    chart_id: str,
    title: str,
    series: dict[int, Number | None],
    unit: str = "",
    reported: set[int] | None = None,
    added: dict[int, Summed] | None = None,
) -> Chart | None:
    """One figure over the years, on a time axis: every year from the first to the last is on it,
    and a year that does not state the figure is a gap in the line, not a neighbour. Its table says
    which years have no report at all (of ``reported``, when given). A figure that adds up several
    agencies (``added``, by year) says what it adds up: in the tooltip, the table, and a strip of bars
    under the line counting the agencies, so a rise in reporters does not read as a rise in the figure."""
    stated = {y: v for y, v in series.items() if isinstance(v, int | float)}
    if len(stated) < 2:
        return None
    years = list(range(min(stated), max(stated) + 1))
    values = [stated.get(y) for y in years]
    line = Line(init_opts=opts.InitOpts(bg_color="transparent")).add_xaxis([str(y) for y in years])
    line.add_yaxis(title, values, is_connect_nones=False, label_opts=opts.LabelOpts(is_show=len(years) <= 12))
    _common(line, legend=False)
    line.options["tooltip"] = {"trigger": "axis"}
    absent = {y: "无该年报告" for y in years if reported is not None and y not in reported}
    rows: list[Sequence[object]] = [[y, absent.get(y, stated.get(y))] for y in years]
    zero = all(v == 0 for v in stated.values())
    headers = ["年度", f"{title}{f'（{unit}）' if unit else ''}"]
    if added is None:
        return Chart(chart_id, title, _json(line), headers, rows, 220, zero=zero)
    said = {y: absent.get(y) or _added_words(added.get(y), stated.get(y), unit) for y in years}
    _counted(line, years, added, max(stated.values()))
    line.options["fullNames"] = [f"{y}年：{said[y]}" for y in years]  # the tooltip's head (site.js)
    rows = [[y, absent.get(y, stated.get(y)), "" if y in absent else said[y]] for y in years]
    return Chart(chart_id, title, _json(line), ["年度", f"{title}：各年合计", "是哪些报告之和"], rows, 300, zero=zero)


def _added_words(summed: Summed | None, value: Number | None, unit: str) -> str:
    if summed is None:
        return "未载明"
    return summed.words(value, unit) if value is not None else f"{summed.silent} 个机关有报告，都未载明"


def _counted(line: Line, years: list[int], added: dict[int, Summed], top: Number) -> None:
    """Under ``line``, on the same years, a strip of bars: how many agencies each year's figure adds up."""
    counts = [added[y].agencies if y in added else None for y in years]
    left = max(52, 16 + 7 * len(f"{round(top * 1.25):,}"))  # both plots start there: the line's axis labels fit, the years align
    options = line.options
    options["grid"] = [
        {"left": left, "right": 16, "top": 28, "bottom": 92},
        {"left": left, "right": 16, "bottom": 8, "height": 44},
    ]
    options["xAxis"].append(
        {"type": "category", "gridIndex": 1, "data": [str(y) for y in years], "axisLabel": {"show": False},
         "axisTick": {"show": False}}
    )  # fmt: skip
    options["yAxis"].append(
        {"type": "value", "gridIndex": 1, "max": max(c for c in counts if c is not None) * 1.8 or 1, "axisLabel": {"show": False},
         "splitLine": {"show": False}, "name": "机关数", "nameLocation": "middle", "nameRotate": 0, "nameGap": 8}
    )  # fmt: skip
    options["series"].append(
        {"type": "bar", "name": "合计的机关数", "xAxisIndex": 1, "yAxisIndex": 1, "data": counts, "barMaxWidth": 28,
         "label": {"show": True, "position": "top"}, "itemStyle": {"color": "#8c96a8"}}
    )  # fmt: skip
    options["axisPointer"] = {"link": [{"xAxisIndex": "all"}]}
