/* Waypoint page behaviour: charts, tree expand/collapse, confirmations, forms that submit on
   change, the way back. No framework, and nothing inline in the pages: the Content Security
   Policy allows scripts from Waypoint's own static files only (no inline script, no inline
   event handler, no eval), so every behaviour hangs on a data attribute here. */
(function () {
  "use strict";

  // vega-embed's options under the policy: `ast` parses chart expressions to a syntax tree
  // that the interpreter bundled in vega-embed walks (Vega would otherwise compile them with
  // the Function constructor, which is eval); its stylesheet and vega-tooltip's are served as
  // files (core/_vega.html) instead of injected <style> elements. vega-tooltip writes the
  // tooltip as HTML and escapes the values itself (its default `sanitize`).
  var EMBED_OPTIONS = {
    ast: true,
    defaultStyle: false,
    forceActionsMenu: true,
    tooltip: { disableDefaultStyle: true },
    actions: { export: true, source: false, compiled: false, editor: false },
    renderer: "svg"
  };

  // numbers, dates and vega-embed's menu in the page's language (data-locale on <html>, from
  // the server's formats for that language): "1 234,5" in French, "1,234.5" in English
  var LOCALE = document.documentElement.dataset.locale;
  var locale = LOCALE ? JSON.parse(LOCALE) : {};
  if (locale.number) {
    EMBED_OPTIONS.formatLocale = locale.number;
    EMBED_OPTIONS.timeFormatLocale = locale.time;
    EMBED_OPTIONS.i18n = locale.embed;
  }
  var CHART_FAILED = locale.chartFailed || "The chart could not be drawn:";

  function renderCharts(root) {
    if (typeof vegaEmbed === "undefined") return;
    root.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      if (el.dataset.rendered) return;
      var source = document.getElementById(el.dataset.vegaSpec);
      if (!source) return;
      el.dataset.rendered = "1";
      vegaEmbed(el, JSON.parse(source.textContent), EMBED_OPTIONS)
        .catch(function (error) { el.textContent = CHART_FAILED + " " + error; });
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
    // "Go back" on an error page: the previous page if there is one, else the link's own href
    var back = event.target.closest("[data-history-back]");
    if (back && window.history.length > 1) { event.preventDefault(); window.history.back(); }
  });

  // a select or checkbox that submits its form when changed (a filter, a scenario picker)
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-submit-on-change]");
    if (field && field.form) { field.form.submit(); }
  });

  // Sideways scrolling (the plan's tabs, wide tables on a phone): mark the edges that hide
  // something, so that CSS fades them; bring the current tab into view.
  var SCROLLERS = ".plan-tabs, .table-responsive";

  function markEdges(el) {
    var more = el.scrollWidth - el.clientWidth;
    // scrollLeft runs from 0 at the start: 0 … more left to right, 0 … -more right to left
    var fromStart = Math.abs(el.scrollLeft);
    var hidesStart = more > 1 && fromStart > 1;
    var hidesEnd = more > 1 && fromStart < more - 1;
    var rtl = getComputedStyle(el).direction === "rtl";
    el.classList.toggle("scroll-more-left", rtl ? hidesEnd : hidesStart);
    el.classList.toggle("scroll-more-right", rtl ? hidesStart : hidesEnd);
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
      // centred by where the two are drawn, which reads the same left to right and right to
      // left (the browser keeps scrollLeft within its range)
      var box = active.getBoundingClientRect();
      var frame = tabs.getBoundingClientRect();
      tabs.scrollLeft += (box.left + box.width / 2) - (frame.left + frame.width / 2);
      markEdges(tabs);
    }
  }

  // Back and Forward after filtering in place (hx-push-url): htmx puts back the HTML it kept
  // of the page, in which fields show what the page first came with, not what was chosen (a
  // field's current value is not part of the HTML). The address says which filters the
  // content shows: the fields are given those values, and the form is set up by htmx anew,
  // so that it takes them as the fields' own (a change from them sends a request).
  var NOT_FILTERS = ["hidden", "submit", "button", "file", "password", "reset", "image"];
  function fieldsFrom(form, params) {
    form.querySelectorAll("input[name], select[name], textarea[name]").forEach(function (field) {
      if (NOT_FILTERS.indexOf(field.type) !== -1) return;
      var values = params.getAll(field.name);
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.indexOf(field.value) !== -1;
        field.toggleAttribute("checked", field.checked);
      } else if (field.tagName === "SELECT") {
        var chosen = values.length ? values : [""];
        Array.prototype.forEach.call(field.options, function (o) {
          o.selected = chosen.indexOf(o.value) !== -1;
          o.toggleAttribute("selected", o.selected);
        });
      } else {
        field.value = values.length ? values[0] : "";
        if (field.tagName === "TEXTAREA") field.textContent = field.value;
        else field.setAttribute("value", field.value);
      }
    });
  }

  document.addEventListener("htmx:historyRestore", function () {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form[hx-get][hx-push-url]").forEach(function (form) {
      fieldsFrom(form, params);
      var fresh = form.cloneNode(true);  // the values are in its attributes: the copy keeps them
      form.replaceWith(fresh);
      if (window.htmx) window.htmx.process(fresh);
    });
  });
  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); watchScrollers(document); });
  document.addEventListener("htmx:afterSwap", function (event) { renderCharts(event.target); watchScrollers(event.target); });
  // content swapped in with hx-swap="outerHTML" (the workshops' live parts) replaces its
  // target: htmx:load names the new element, whose charts are drawn here
  document.addEventListener("htmx:load", function (event) { renderCharts(event.detail.elt); });
  window.addEventListener("resize", function () { document.querySelectorAll(SCROLLERS).forEach(markEdges); });
})();
