/* Waypoint page behaviour: charts, tree expand/collapse, confirmations. No framework. */
(function () {
  "use strict";

  function renderCharts(root) {
    if (typeof vegaEmbed === "undefined") return;
    root.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      if (el.dataset.rendered) return;
      var source = document.getElementById(el.dataset.vegaSpec);
      if (!source) return;
      el.dataset.rendered = "1";
      vegaEmbed(el, JSON.parse(source.textContent), { actions: { export: true, source: false, compiled: false, editor: false }, renderer: "svg" })
        .catch(function (error) { el.textContent = "The chart could not be drawn: " + error; });
    });
  }

  function setTree(open) {
    document.querySelectorAll("details.tree-node").forEach(function (node) { node.open = open; });
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-tree]");
    if (target) { setTree(target.dataset.tree === "expand"); }
    var confirmer = event.target.closest("[data-confirm]");
    if (confirmer && !window.confirm(confirmer.dataset.confirm)) { event.preventDefault(); }
  });

  // Sideways scrolling (the plan's tabs, wide tables on a phone): mark the edges that hide
  // something, so that CSS fades them; bring the current tab into view.
  var SCROLLERS = ".plan-tabs, .table-responsive";

  function markEdges(el) {
    var more = el.scrollWidth - el.clientWidth;
    el.classList.toggle("scroll-more-left", more > 1 && el.scrollLeft > 1);
    el.classList.toggle("scroll-more-right", more > 1 && el.scrollLeft < more - 1);
  }

  function watchScrollers(root) {
    root.querySelectorAll(SCROLLERS).forEach(function (el) {
      if (!el.dataset.scrollWatched) {
        el.dataset.scrollWatched = "1";
        el.addEventListener("scroll", function () { markEdges(el); }, { passive: true });
      }
      markEdges(el);
    });
    var active = root.querySelector(".plan-tabs .nav-link.active");
    if (active) {
      var tabs = active.closest(".plan-tabs");
      var left = active.offsetLeft - (tabs.clientWidth - active.offsetWidth) / 2;
      tabs.scrollLeft = Math.max(0, left);
      markEdges(tabs);
    }
  }

  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); watchScrollers(document); });
  document.addEventListener("htmx:afterSwap", function (event) { renderCharts(event.target); watchScrollers(event.target); });
  window.addEventListener("resize", function () { document.querySelectorAll(SCROLLERS).forEach(markEdges); });
})();
