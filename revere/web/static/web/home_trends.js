/* My network: one small trend chart per network, from the snapshots (Chart.js from npm).
 * Text at 12 px or more, both axes titled, dates as people write them ("3 Nov"; with the year when
 * the history spans two years). */
(function () {
  "use strict";
  var source = document.getElementById("network-trends");
  if (!source || typeof Chart === "undefined") return;
  var trends = JSON.parse(source.textContent);
  var css = getComputedStyle(document.documentElement);
  var colour = function (name, fallback) { return (css.getPropertyValue("--" + name) || fallback).trim(); };

  document.querySelectorAll("canvas[data-network]").forEach(function (canvas) {
    var key = canvas.dataset.network;
    var points = trends[key] || [];
    var line = colour(key, "#1f5fbf");
    var years = new Set(points.map(function (p) { return String(p.on).slice(0, 4); }));
    var format = new Intl.DateTimeFormat(undefined, years.size > 1 ? { day: "numeric", month: "short", year: "numeric" } : { day: "numeric", month: "short" });
    var labels = points.map(function (p) {
      var parts = String(p.on).split("-").map(Number);  // "YYYY-MM-DD", a calendar day (no time zone)
      return parts.length === 3 ? format.format(new Date(parts[0], parts[1] - 1, parts[2])) : p.on;
    });
    var series = function (measure) { return points.map(function (p) { return p[measure] === undefined ? null : p[measure]; }); };
    Chart.defaults.color = colour("muted", "#5a6575");
    var chart = new Chart(canvas, {
      type: "line",
      data: {
        labels: labels,
        datasets: [
          { label: "Size", data: series("size"), borderColor: line, backgroundColor: line, yAxisID: "y", tension: 0.25, pointRadius: points.length > 1 ? 1.5 : 4 },
          { label: "Effective size", data: series("effective_size"), borderColor: line, borderDash: [4, 3], backgroundColor: "transparent", yAxisID: "y", tension: 0.25, pointRadius: points.length > 1 ? 1.5 : 4 },
          { label: "Constraint", data: series("constraint"), borderColor: "#9aa3af", backgroundColor: "#9aa3af", yAxisID: "y1", tension: 0.25, pointRadius: points.length > 1 ? 1.5 : 4 }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { labels: { boxWidth: 12, font: { size: 12 } } }, tooltip: { titleFont: { size: 13 }, bodyFont: { size: 12 } } },
        scales: {
          x: { title: { display: true, text: "Snapshot date", font: { size: 12 } }, ticks: { maxTicksLimit: 4, font: { size: 12 }, maxRotation: 0 } },
          y: { beginAtZero: true, title: { display: true, text: "Contacts", font: { size: 12 } }, ticks: { font: { size: 12 }, precision: 0 } },
          y1: { position: "right", min: 0, max: 1, title: { display: true, text: "Constraint", font: { size: 12 } }, grid: { drawOnChartArea: false }, ticks: { font: { size: 12 }, maxTicksLimit: 3 } }
        }
      }
    });
    canvas.dataset.drawn = chart ? "true" : "false";
  });
})();
