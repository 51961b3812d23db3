/* A coaching plan's progress: one line chart per goal (Chart.js from npm), the figure over time from
   the snapshots with today's last, the start and the target as dashed lines, the due date marked.
   Data come from the page's json_script "coaching-chart"; no inline script (CSP). */
(function () {
  "use strict";
  var source = document.getElementById("coaching-chart");
  if (!source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var day = function (iso) {
    var p = iso.split("-");
    return parseInt(p[2], 10) + " " + months[parseInt(p[1], 10) - 1] + " " + p[0];
  };
  var font = { size: 12 };
  (data.goals || []).forEach(function (goal) {
    var canvas = document.querySelector('canvas[data-goal="' + goal.id + '"]');
    if (!canvas) return;
    var points = goal.points.slice();
    var labels = points.map(function (p) { return p.on; });
    if (labels.indexOf(goal.due_on) < 0) labels.push(goal.due_on);
    labels.sort();
    var at = function (on) {
      for (var k = 0; k < points.length; k++) if (points[k].on === on) return points[k].value;
      return null;
    };
    var flat = function (v) { return labels.map(function () { return v; }); };
    var chart = new Chart(canvas, {
      type: "line",
      data: {
        labels: labels.map(day),
        datasets: [
          { label: goal.label, data: labels.map(at), borderColor: "#1f5fbf", backgroundColor: "#1f5fbf", spanGaps: true, tension: 0.2, pointRadius: 3 },
          { label: "Target", data: flat(goal.target), borderColor: "#17784a", borderDash: [6, 4], pointRadius: 0, fill: false },
          { label: "Start", data: flat(goal.start), borderColor: "#9aa3af", borderDash: [2, 3], pointRadius: 0, fill: false }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { labels: { font: font, boxWidth: 14 } },
          tooltip: { titleFont: font, bodyFont: font },
          title: { display: true, text: "Due " + day(goal.due_on), font: font, align: "end" }
        },
        scales: {
          x: { title: { display: true, text: "Date", font: font }, ticks: { font: font, maxTicksLimit: 6, maxRotation: 0 } },
          y: { title: { display: true, text: goal.label, font: font }, ticks: { font: font }, beginAtZero: true }
        }
      }
    });
    canvas.dataset.drawn = chart ? "true" : "false";
  });
})();
