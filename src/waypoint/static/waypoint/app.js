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

  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { renderCharts(event.target); });
})();
