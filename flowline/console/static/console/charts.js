// Charts with the vendored Chart.js: <canvas data-chart="ID">, its data in a json_script
// element ID holding {type, labels, values, label}. Pages that chart load this file.
(function () {
  "use strict";
  if (!window.Chart) return;
  var style = getComputedStyle(document.documentElement);
  var color = style.getPropertyValue("--bs-primary").trim() || "#4f46e5";
  var text = style.getPropertyValue("--bs-body-color").trim();
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: spec.type || "bar",
      data: { labels: spec.labels, datasets: [{ label: spec.label, data: spec.values, backgroundColor: color, borderRadius: 4 }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { x: { ticks: { color: text } }, y: { beginAtZero: true, ticks: { color: text, precision: 0 } } },
      },
    });
  });
})();
