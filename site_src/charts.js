// The parts of ECharts the site draws with (bars, lines, their grid, tooltip and legend, on canvas),
// bundled into dist/echarts.site.min.js by esbuild when `npm ci` runs (package.json "prepare"):
// a third of the whole library's weight. python build.py serves it as assets/echarts.min.js.
import * as echarts from "echarts/core";
import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);
window.echarts = echarts;
