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
      var option = JSON.parse(source.textContent);
      option.backgroundColor = "transparent";
      var extra = fitLabels(option, el.clientWidth);
      el.style.height = (parseInt(el.dataset.height, 10) || 360) + extra + "px";
      var old = echarts.getInstanceByDom(el);
      if (old) old.dispose();
      var chart = echarts.init(el, dark && dark.matches ? "dark" : null, { renderer: "canvas" });
      tooltip(option);
      numberLabels(option);
      chart.setOption(option);
      el.classList.add("drawn");
    });
  }

  // long agency names: category labels get at most ~40% of a narrow chart, cut with an ellipsis;
  // a legend wraps onto more lines in a narrow chart: the plot starts below it, the chart is that much taller
  function fitLabels(option, width) {
    var legend = [].concat(option.legend || [])[0], grid = [].concat(option.grid || [])[0], extra = 0;
    if (legend && legend.show !== false && grid && width < 560 && (grid.top || 0) < 76) {
      extra = 76 - (grid.top || 0);
      grid.top = 76;
    }
    [].concat(option.yAxis || [], option.xAxis || []).forEach(function (axis) {
      if (axis.type !== "category") return;
      axis.axisLabel = Object.assign({}, axis.axisLabel, { width: Math.max(80, Math.round(width * 0.4)), overflow: "truncate" });
    });
    return extra;
  }

  // a value printed on a chart reads as on its axis and in its tooltip: 7,848, not 7848
  function numberLabels(option) {
    [].concat(option.series || []).forEach(function (series) {
      if (!series.label || !series.label.show) return;
      series.label.formatter = function (p) {
        var value = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value;
        return value === null || value === undefined ? "" : Number(value).toLocaleString("zh-CN");
      };
    });
  }

  // Every chart's tooltip is built here as elements, never as HTML text: ECharts' own tooltip markup (and
  // its series markers) carries style="" attributes, which the site's Content-Security-Policy (style-src
  // 'self', no inline styles) blocks. Styles set through the CSSOM (element.style) are not inline markup.
  // Axes name agencies short (朱村街道); the tooltip names the report in full (option.fullNames, by bar), or says
  // what a region trend's year adds up ("2016年：4 个机关合计 7,848 条").
  function tooltip(option) {
    var names = option.fullNames;
    delete option.fullNames;
    option.tooltip = Object.assign({}, option.tooltip, {
      className: "chart-tip",
      confine: true, // inside the chart: at 375 px a tooltip placed left of the pointer was cut by the screen's edge
      formatter: function (params) {
        var list = [].concat(params), first = list[0] || {}, box = document.createElement("div");
        var head = document.createElement("div");
        head.className = "tip-head";
        head.textContent = (names && names[first.dataIndex]) || first.axisValueLabel || first.name || "";
        box.appendChild(head);
        list.forEach(function (p) {
          var value = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value;
          var stated = value !== null && value !== undefined && value !== "-";
          if (!stated && (list.length > 1 || names)) return; // an outcome not stated, or a gap the head explains: no line
          var row = document.createElement("div"), marker = document.createElement("span");
          row.className = "tip-row";
          marker.className = "tip-marker";
          if (typeof p.color === "string") marker.style.backgroundColor = p.color;
          row.appendChild(marker);
          row.appendChild(document.createTextNode(p.seriesName + "：" + (stated ? Number(value).toLocaleString("zh-CN") : "未载明")));
          box.appendChild(row);
        });
        return box;
      }
    });
  }

  // a table wider or longer than its box says so above it (the box scrolls; its edges are shaded where there is more)
  function markWideTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var table = wrap.querySelector("table"), hint = wrap.previousElementSibling, style = getComputedStyle(wrap);
      var wide = table && wrap.scrollWidth > wrap.clientWidth + 1 && style.overflowX !== "visible";
      var tall = table && wrap.scrollHeight > wrap.clientHeight + 1 && style.overflowY !== "visible";
      if (hint && hint.classList.contains("scroll-hint")) hint.hidden = !(wide || tall);
      else if (wide || tall) {
        hint = document.createElement("p");
        hint.className = "scroll-hint";
        wrap.parentNode.insertBefore(hint, wrap);
      }
      var said = [];
      if (wide) { // the columns shown: a grouped view (#cols-…) hides some
        var shown = Array.prototype.filter.call(table.rows[0].cells, function (c) { return c.getClientRects().length; });
        said.push("表格较宽：左右滑动（或拖动表格下方的滚动条）查看全部 " + shown.length + " 列 →");
      }
      if (tall) said.push("表格较长：在框内上下滚动查看全部 " + (table.tBodies[0] || table).rows.length + " 行 ↓");
      if (said.length) hint.textContent = said.join("；");
    });
  }

  // A grouped view of the compare table is the URL's #cols-… (style.css shows it, without script); here its link is
  // marked current, and the links to the list's other pages and years keep the view.
  function keepColumnView() {
    var views = document.querySelector(".col-groups");
    if (!views) return;
    var view = /^#cols-[a-z]+$/.test(location.hash) ? location.hash : "#cols-all";
    views.querySelectorAll("a").forEach(function (a) {
      if (a.getAttribute("href") === view) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    });
    document.querySelectorAll("nav.pager a, nav.years a").forEach(function (a) {
      a.setAttribute("href", a.getAttribute("href").split("#")[0] + (view === "#cols-all" ? "" : view));
    });
  }

  // arriving from a search result (report page?q=…): the first place the phrase is, marked and in view
  function showSearchHit() {
    var q = new URLSearchParams(location.search).get("q"), body = document.querySelector(".report-text");
    if (!q || !body) return;
    q = searchable(q);
    var walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT), nodes = [], flat = "", at = [], node;
    while ((node = walker.nextNode())) {
      for (var i = 0; i < node.data.length; i++) {
        var c = searchable(node.data[i]);
        for (var j = 0; j < c.length; j++) { flat += c[j]; at.push([nodes.length, i]); }
      }
      nodes.push(node);
    }
    var start = flat.indexOf(q);
    if (!q || start < 0) return;
    var first = at[start], last = at[start + q.length - 1], marks = [];
    for (var n = last[0]; n >= first[0]; n--) { // from the last node back: splitting one leaves the earlier offsets as they were
      var text = nodes[n], from = n === first[0] ? first[1] : 0, to = n === last[0] ? last[1] + 1 : text.data.length;
      if (to <= from) continue;
      var piece = text.splitText(from);
      piece.splitText(to - from);
      var mark = document.createElement("mark");
      mark.className = "hit";
      piece.parentNode.replaceChild(mark, piece);
      mark.appendChild(piece);
      marks.unshift(mark);
    }
    if (marks.length) {
      marks[0].id = "hit";
      var details = marks[0].closest("details");
      if (details) details.open = true;
      marks[0].scrollIntoView({ block: "center" });
    }
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

  // A long list is cut into pages (compare.html, compare-2.html, …) that work without script.
  // Sorting or filtering first brings every page's rows into this table, so both act on all rows.
  function withAllRows(table) {
    if (!table.dataset.pages) return Promise.resolve();
    if (!table.loading) {
      var hrefs = table.dataset.pages.split(" "), own = parseInt(table.dataset.page, 10) - 1;
      var note = document.querySelector("[data-all-note]");
      table.loading = Promise.all(hrefs.map(function (href, i) {
        if (i === own) return Array.prototype.slice.call(table.tBodies[0].rows);
        return fetch(href).then(function (r) {
          if (!r.ok) throw new Error(href + ": " + r.status);
          return r.text();
        }).then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          return Array.prototype.slice.call(doc.querySelectorAll("#" + table.id + " tbody tr"));
        });
      })).then(function (pages) {
        var body = table.tBodies[0];
        pages.forEach(function (rows) { rows.forEach(function (row) { body.appendChild(row); }); });
        document.querySelectorAll("nav.pager").forEach(function (nav) { nav.hidden = true; });
        if (note) note.textContent = "已载入全部 " + hrefs.length + " 页，共 " + body.rows.length + " 行。";
        table.dispatchEvent(new Event("rowsloaded"));
      }).catch(function (err) {
        if (note) note.textContent = "无法载入其余各页（" + (location.protocol === "file:" ? "直接从磁盘打开" : err.message) + "），排序和筛选只对本页进行；请通过网站地址访问。";
      });
    }
    return table.loading;
  }

  function setUpSorting() {
    document.querySelectorAll("table.sortable").forEach(function (table) {
      table.querySelectorAll("thead button[data-sort]").forEach(function (button) {
        var th = button.parentElement;
        button.addEventListener("click", function () {
          withAllRows(table).then(function () {
            sortTable(table, Array.prototype.indexOf.call(th.parentElement.children, th), button.dataset.sort, button);
          });
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
      form.addEventListener("change", function () { withAllRows(table).then(apply); });
      table.addEventListener("rowsloaded", apply);
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

  // Full-text search over search/*.json (made by nianbao/search.py): every pair of adjacent
  // characters maps to the reports containing it; a phrase is confirmed in the report's page.
  function searchable(text) {
    return text.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
  }

  function setUpSearch() {
    var form = document.getElementById("search");
    if (!form) return;
    var input = form.querySelector("input"), status = document.getElementById("search-status");
    var list = document.getElementById("search-results"), more = document.getElementById("search-more");
    var base = form.dataset.index, meta = null, shards = {}, run = 0, pending = [], query = "";

    function json(path) {
      return fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      });
    }
    function shardOf(pair) {
      var cps = Array.from(pair);
      return (cps[0].codePointAt(0) * 31 + cps[1].codePointAt(0)) % meta.shards;
    }
    function postings(pair) {
      var n = shardOf(pair);
      shards[n] = shards[n] || json(n + ".json");
      return shards[n].then(function (shard) {
        var gaps = shard[pair] || [], out = [], at = 0;
        gaps.forEach(function (g) { at += g; out.push(at); });
        return out;
      });
    }
    function intersect(lists) {
      lists.sort(function (a, b) { return a.length - b.length; });
      return lists.reduce(function (acc, l) {
        var set = new Set(l);
        return acc.filter(function (n) { return set.has(n); });
      });
    }
    function snippet(text, q) {
      // the page's text, and where the phrase is in it once whitespace is set aside
      var kept = [], flat = "";
      for (var i = 0; i < text.length; i++) {
        var c = searchable(text[i]);
        for (var j = 0; j < c.length; j++) { kept.push(i); flat += c[j]; }
      }
      var at = flat.indexOf(q);
      if (at < 0) return null;
      var start = kept[at], end = kept[at + q.length - 1] + 1;
      return [text.slice(Math.max(0, start - 40), start), text.slice(start, end), text.slice(end, end + 60)];
    }
    function show(doc, parts) {
      var li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
      a.href = "report/" + doc[0] + ".html?q=" + encodeURIComponent(input.value.trim());
      a.textContent = doc[1];
      p.className = "excerpt";
      p.append("…" + parts[0].replace(/\s+/g, " "));
      var mark = document.createElement("mark");
      mark.textContent = parts[1];
      p.append(mark, parts[2].replace(/\s+/g, " ") + "…");
      li.append(a, p);
      list.append(li);
    }
    function confirmSome(mine) {
      // fetch report pages a few at a time until ten more are confirmed or none are left
      var shown = 0;
      function next() {
        if (mine !== run) return Promise.resolve();
        var batch = pending.splice(0, 6);
        if (!batch.length) return Promise.resolve();
        return Promise.all(batch.map(function (n) {
          var doc = meta.docs[n];
          return fetch("report/" + doc[0] + ".html").then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) {
            var body = new DOMParser().parseFromString(html, "text/html").querySelector(".report-text");
            return body ? snippet(body.textContent, query) : null;
          }).catch(function () { return null; }).then(function (parts) { return [doc, parts]; });
        })).then(function (found) {
          if (mine !== run) return;
          found.forEach(function (f) { if (f[1]) { show(f[0], f[1]); shown++; } });
          if (shown < 10) return next();
        });
      }
      return next().then(function () {
        if (mine !== run) return;
        more.hidden = !pending.length;
        var count = list.children.length;
        status.textContent = count ? "找到 " + count + (pending.length ? " 篇以上" : " 篇") + "含“" + input.value.trim() + "”的报告" : "没有找到“" + input.value.trim() + "”";
      });
    }
    function search() {
      var mine = ++run;
      query = searchable(input.value);
      list.textContent = "";
      more.hidden = true;
      pending = [];
      if (Array.from(query).length < 2) {
        status.textContent = query ? "请至少输入两个字" : "";
        return;
      }
      status.textContent = "正在搜索…";
      (meta ? Promise.resolve(meta) : json("docs.json")).then(function (m) {
        meta = m;
        var cps = Array.from(query), pairs = new Set();
        for (var i = 0; i + 1 < cps.length; i++) pairs.add(cps[i] + cps[i + 1]);
        return Promise.all(Array.from(pairs).map(postings));
      }).then(function (lists) {
        if (mine !== run) return;
        pending = intersect(lists);
        return confirmSome(mine);
      }).catch(function (err) {
        status.textContent = location.protocol === "file:"
          ? "直接从磁盘打开的网页不能载入搜索索引：请通过网站地址访问本页（例如在项目目录运行 python build.py serve，再打开它给出的地址）"
          : "搜索索引无法载入（" + err.message + "）；请稍后重试或通过网站地址访问本页";
      });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); search(); });
    input.addEventListener("input", function () { clearTimeout(form.timer); form.timer = setTimeout(search, 250); });
    more.addEventListener("click", function () { more.hidden = true; confirmSome(run); });
    var given = new URLSearchParams(location.search).get("q");
    if (given) { input.value = given; search(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpSearch();
    setUpSorting();
    setUpFilters();
    drawCharts();
    keepColumnView();
    markWideTables();
    showSearchHit();
    openTargetDetails();
    window.addEventListener("hashchange", openTargetDetails);
    window.addEventListener("hashchange", keepColumnView);
    window.addEventListener("hashchange", markWideTables);
    window.addEventListener("resize", resizeCharts);
    window.addEventListener("resize", markWideTables);
    if (dark && dark.addEventListener) dark.addEventListener("change", drawCharts);
  });
})();
