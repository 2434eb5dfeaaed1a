// After htmx swaps in a new page (hx-boost), the link or button that was focused is gone and focus
// falls back to <body>: keyboard and screen-reader users would start again from the top of the
// page. Move focus to the new page's <main> (tabindex="-1"), whose heading is then read first.
"use strict";
document.addEventListener("htmx:afterSettle", function (event) {
  if (event.target !== document.body) { return; }  // a partial swap keeps its own focus
  var main = document.getElementById("main");
  if (main && !main.contains(document.activeElement)) { main.focus({ preventScroll: true }); }
});
