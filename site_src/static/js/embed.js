/* On a page that embeds Broadsheet charts: size each chart's iframe to its content.
 * Paste once per page, after the iframes:
 *   <script src="https://…/assets/js/embed.js" async></script>
 * Only height messages from the iframes marked data-broadsheet-embed are obeyed.
 */
(function () {
  "use strict";
  if (window.__broadsheetEmbed) return;
  window.__broadsheetEmbed = true;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.broadsheet !== "embed-height" || typeof data.height !== "number") return;
    var frames = document.querySelectorAll("iframe[data-broadsheet-embed]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.max(50, Math.min(data.height, 5000)) + "px";
      }
    }
  });
})();
