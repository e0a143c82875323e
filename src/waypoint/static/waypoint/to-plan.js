/* A workshop's "Into the plan" page: each result's form shows only the fields that what it
   "Becomes" needs. The page works without this script (every group of fields stays, each with
   a legend that says which choice it is for); with it, the other groups are hidden and
   disabled, so that they are not sent either, and the legends are left to screen readers
   (the fields shown are the chosen one's). Loaded as a file: the Content Security Policy runs
   no inline script. */
(function () {
  "use strict";

  function show(select) {
    var form = select.form;
    if (!form) return;
    form.querySelectorAll("[data-becomes-for]").forEach(function (group) {
      var wanted = group.dataset.becomesFor.split(" ").indexOf(select.value) !== -1;
      group.hidden = !wanted;
      group.disabled = !wanted;
      var legend = group.querySelector("legend");
      if (legend) legend.classList.add("visually-hidden");
    });
  }

  function showAll(root) {
    root.querySelectorAll("select[data-becomes]").forEach(show);
  }

  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-becomes]");
    if (select) show(select);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { showAll(document); });
  } else {
    showAll(document);
  }
  // the browser may bring a form back with the choice made before (back, or a reload)
  window.addEventListener("pageshow", function () { showAll(document); });
})();
