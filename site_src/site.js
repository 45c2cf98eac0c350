// nianbao-site: draws the charts and makes tables sortable and filterable.
// No inline script anywhere: the pages carry chart options as JSON and this file reads them.
"use strict";

(function () {
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");

  function drawCharts() {
    if (!window.echarts) return; // the data tables under each chart stay
    document.querySelectorAll(".chart[data-option]").forEach(function (el) {
      var source = document.getElementById(el.dataset.option);
      if (!source) return;
      el.style.height = (parseInt(el.dataset.height, 10) || 360) + "px";
      var old = echarts.getInstanceByDom(el);
      if (old) old.dispose();
      var chart = echarts.init(el, dark && dark.matches ? "dark" : null, { renderer: "canvas" });
      var option = JSON.parse(source.textContent);
      option.backgroundColor = "transparent";
      fitLabels(option, el.clientWidth);
      chart.setOption(option);
      el.classList.add("drawn");
    });
  }

  // long agency names: category labels get at most ~40% of a narrow chart, cut with an ellipsis
  function fitLabels(option, width) {
    [].concat(option.yAxis || [], option.xAxis || []).forEach(function (axis) {
      if (axis.type !== "category") return;
      axis.axisLabel = Object.assign({}, axis.axisLabel, { width: Math.max(80, Math.round(width * 0.4)), overflow: "truncate" });
    });
  }

  function resizeCharts() {
    if (!window.echarts) return;
    document.querySelectorAll(".chart.drawn").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) chart.resize();
    });
  }

  function cellValue(row, index) {
    var cell = row.children[index];
    return cell ? (cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim()) : "";
  }

  function sortTable(table, index, kind, button) {
    var body = table.tBodies[0];
    var ascending = button.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
    table.querySelectorAll("thead button").forEach(function (b) { b.removeAttribute("aria-sort"); });
    button.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    button.parentElement.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index), y = cellValue(b, index);
      if (x === "" && y === "") return 0;
      if (x === "") return 1; // 未载明 always last
      if (y === "") return -1;
      var d = kind === "num" ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh-CN");
      return ascending ? d : -d;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function setUpSorting() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("thead button[data-sort]").forEach(function (button) {
        var th = button.parentElement;
        button.addEventListener("click", function () {
          sortTable(table, Array.prototype.indexOf.call(th.parentElement.children, th), button.dataset.sort, button);
        });
      });
    });
  }

  function setUpFilters() {
    document.querySelectorAll("form.filters").forEach(function (form) {
      var table = document.getElementById(form.dataset.for);
      if (!table) return;
      var output = form.querySelector("output");
      function apply() {
        var shown = 0;
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var keep = Array.prototype.every.call(form.elements, function (field) {
            return !field.name || !field.value || row.dataset[field.name] === field.value;
          });
          row.hidden = !keep;
          if (keep) shown += 1;
        });
        if (output) output.textContent = "显示 " + shown + " / " + table.tBodies[0].rows.length + " 份";
      }
      form.addEventListener("change", apply);
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      apply();
    });
  }

  function openTargetDetails() {
    // a figure link may point into a collapsed block; show where it lands
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    var details = target.closest("details");
    if (details) details.open = true;
  }

  function setUpSearch() {
    var box = document.getElementById("search");
    if (!box || !window.PagefindUI) return;
    new window.PagefindUI({
      element: "#search",
      showSubResults: true,
      showImages: false,
      translations: { placeholder: box.dataset.placeholder, zero_results: "没有找到“[SEARCH_TERM]”" }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpSearch();
    setUpSorting();
    setUpFilters();
    drawCharts();
    openTargetDetails();
    window.addEventListener("hashchange", openTargetDetails);
    window.addEventListener("resize", resizeCharts);
    if (dark && dark.addEventListener) dark.addEventListener("change", drawCharts);
  });
})();
