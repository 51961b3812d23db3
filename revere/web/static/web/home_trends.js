/* My network: one small trend chart per network, from the snapshots (Chart.js from npm). */
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
    var labels = points.map(function (p) { return p.on; });
    var series = function (measure) { return points.map(function (p) { return p[measure] === undefined ? null : p[measure]; }); };
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
        plugins: { legend: { labels: { boxWidth: 10, font: { size: 10 } } } },
        scales: {
          x: { ticks: { maxTicksLimit: 4, font: { size: 10 } } },
          y: { beginAtZero: true, ticks: { font: { size: 10 }, precision: 0 } },
          y1: { position: "right", min: 0, max: 1, grid: { drawOnChartArea: false }, ticks: { font: { size: 10 } } }
        }
      }
    });
    canvas.dataset.drawn = chart ? "true" : "false";
  });
})();
