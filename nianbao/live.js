// Injected by `python build.py serve` into the pages it serves (never into a built site):
// reloads the tab after each rebuild, and shows what stopped a build until it is fixed.
"use strict";
(function () {
  var me = document.currentScript;
  var box = null;

  function show(problem) {
    if (!box) {
      box = document.createElement("div");
      box.id = "nianbao-problem";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:99999;" +
        "background:#2b0b0b;color:#fff;font:14px/1.5 monospace;padding:12px 16px;border-top:4px solid #ff5252;";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = problem.title;
    box.appendChild(title);
    problem.items.forEach(function (item) {
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:8px 0 0;";
      pre.textContent = item.where + "\n  " + item.reason;
      box.appendChild(pre);
    });
  }

  var events = new EventSource("/__nianbao/events?since=" + encodeURIComponent(me.dataset.version || "0"));
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("problem", function (event) { show(JSON.parse(event.data)); });
})();
