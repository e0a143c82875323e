/* The roadmap page: the Gantt chart (frappe-gantt: month, quarter and year zoom; read-only
   bars) and the scenario picker. No inline script on the page: data comes through
   json_script and data attributes. */
(function () {
  "use strict";

  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  // frappe-gantt writes a task's name and description into the page as HTML (the bar label,
  // the popup): what people typed must reach it as text
  var AS_HTML = ["name", "description"];
  function ganttTask(row) {
    var task = Object.assign({}, row);
    AS_HTML.forEach(function (key) { if (key in task) task[key] = escapeHtml(task[key]); });
    return task;
  }

  // the page's language names the months; the quarter's letter comes from the page
  // (data-quarter-prefix: "Q" in English, "T" for trimestre in French …)
  var LANGUAGE = document.documentElement.lang || "en";
  function quarter(date) {
    var el = document.querySelector("[data-gantt]");
    var prefix = (el && el.dataset.quarterPrefix) || "Q";
    return prefix + (Math.floor(date.getMonth() / 3) + 1);
  }
  function newYear(date, last) { return !last || date.getFullYear() !== last.getFullYear() ? String(date.getFullYear()) : ""; }

  var VIEW_MODES = [
    { name: "Month", padding: "2m", step: "1m", column_width: 46, date_format: "YYYY-MM",
      lower_text: function (d) { return d.toLocaleString(LANGUAGE, { month: "short" }); }, upper_text: newYear,
      thick_line: function (d) { return d.getMonth() === 0; }, snap_at: "1m" },
    { name: "Quarter", padding: "3m", step: "3m", column_width: 54, date_format: "YYYY-MM",
      lower_text: quarter, upper_text: newYear,
      thick_line: function (d) { return d.getMonth() === 0; }, snap_at: "1m" },
    { name: "Year", padding: "1y", step: "1y", column_width: 110, date_format: "YYYY",
      lower_text: "YYYY", snap_at: "1m",
      // frappe-gantt needs an upper header; the decade, shown when it changes
      upper_text: function (d, last) {
        var decade = Math.floor(d.getFullYear() / 10) * 10;
        return !last || Math.floor(last.getFullYear() / 10) * 10 !== decade ? decade + "–" + (decade + 9) : "";
      } }
  ];

  // the popup: name, what the bar's colours say (the description, in the page's language) and
  // the months it runs, with their years (frappe-gantt's own popup gave "Jan 01 - Dec 31" for
  // three years, and a progress figure the chart does not track)
  function monthYear(date) { return date.toLocaleDateString(LANGUAGE, { month: "short", year: "numeric" }); }
  function popup(p) {
    p.set_title(p.task.name);
    p.set_subtitle(p.task.description || "");
    var last = new Date(p.task._end.getTime() - 1000);  // frappe-gantt's end is the next day's start
    p.set_details(escapeHtml(monthYear(p.task._start) + " – " + monthYear(last)));
  }

  function draw(el) {
    var source = document.getElementById(el.dataset.gantt);
    if (!source || typeof Gantt === "undefined") return;
    var tasks = JSON.parse(source.textContent).map(ganttTask);
    if (!tasks.length) return;
    // frappe-gantt draws in the first of its view modes (whatever view_mode says): the one
    // asked for goes first, so that the chart is drawn once, not drawn and drawn again
    var zoom = el.dataset.zoom || "Quarter";
    var modes = VIEW_MODES.filter(function (m) { return m.name === zoom; })
      .concat(VIEW_MODES.filter(function (m) { return m.name !== zoom; }));
    var chart = new Gantt(el, tasks, {
      view_modes: modes,
      view_mode: zoom,
      readonly: true,
      language: LANGUAGE,
      bar_height: 16,
      padding: 12,
      upper_header_height: 28,
      lower_header_height: 24,
      today_button: false,
      view_mode_select: false,
      scroll_to: "start",
      infinite_padding: false,
      container_height: Math.min(720, 80 + tasks.length * 28),
      popup_on: "click",
      popup: popup,
      // no shading of weekends: the chart is read in months, and shading each day of a
      // five-year plan took 0.7 to 1.9 s in frappe-gantt at every draw and change of zoom
      holidays: null
    });
    document.querySelectorAll("[data-gantt-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        chart.change_view_mode(button.dataset.ganttZoom);
        document.querySelectorAll("[data-gantt-zoom]").forEach(function (b) {
          b.classList.toggle("active", b === button);
          b.setAttribute("aria-pressed", b === button ? "true" : "false");
        });
      });
    });
    el.dataset.drawn = "1";
    window.waypointGantt = chart;  // for the browser test and the console
  }

  document.addEventListener("DOMContentLoaded", function () {
    // (choosing another scenario submits its form: data-submit-on-change, in app.js)
    document.querySelectorAll("[data-gantt]").forEach(draw);
  });
})();
