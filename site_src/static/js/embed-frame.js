/* Inside an embed page: apply the options of the query string and tell the host page our height.
 *   ?theme=dark|light  force a colour scheme      ?static=1  keep the static image (no script chart)
 */
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  var root = document.documentElement;
  var theme = params.get("theme");
  if (theme === "dark" || theme === "light") root.setAttribute("data-theme", theme);
  if (params.get("static") === "1") root.setAttribute("data-static", "");
  if (window.parent === window) return;
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ broadsheet: "embed-height", height: height, href: location.href }, "*");
  }
  if ("ResizeObserver" in window) new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
  report();
})();
