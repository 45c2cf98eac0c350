// The review page's copy buttons: each copies the YAML beside it (shown only where copying works).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll(".review-yaml .copy")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const text = button.parentElement.querySelector("code").textContent;
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = "已复制";
      } catch {
        button.textContent = "无法复制，请选中后手动复制";
      }
    });
  }
});
