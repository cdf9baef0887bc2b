// Charts with the vendored Chart.js: <canvas data-chart="ID">, its data in a json_script
// element ID holding {type, labels, values, label} for one series, or {type, labels,
// datasets: [{label, values, dashed}]} for several (then with a legend). A dashed series
// is also drawn with square points and lighter, so series differ without colour; pages
// that chart put the numbers in a table too. `horizontal: true` lays bars sideways.
(function () {
  "use strict";
  if (!window.Chart) return;
  var style = getComputedStyle(document.documentElement);
  var color = style.getPropertyValue("--bs-primary").trim() || "#4f46e5";
  var muted = style.getPropertyValue("--bs-secondary-color").trim() || "#6c757d";
  var text = style.getPropertyValue("--bs-body-color").trim();
  function dataset(series, type) {
    var line = type === "line";
    var shade = series.dashed ? muted : color;
    return {
      label: series.label,
      data: series.values,
      backgroundColor: shade,
      borderColor: shade,
      borderWidth: line ? 2 : 0,
      borderDash: series.dashed ? [6, 4] : [],
      pointStyle: series.dashed ? "rect" : "circle",
      pointRadius: line ? 3 : 0,
      borderRadius: line ? 0 : 4,
    };
  }
  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var type = spec.type || "bar";
    var series = spec.datasets || [{ label: spec.label, values: spec.values }];
    var valueAxis = { beginAtZero: true, ticks: { color: text, precision: 0 } };
    // Sideways bars name every bar (Chart.js would skip labels it finds crowded).
    var labelAxis = { ticks: { color: text, autoSkip: !spec.horizontal } };
    var existing = Chart.getChart(canvas);
    if (existing) existing.destroy();
    new Chart(canvas, {
      type: type,
      data: { labels: spec.labels, datasets: series.map(function (s) { return dataset(s, type); }) },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: spec.horizontal ? "y" : "x",
        plugins: { legend: { display: series.length > 1, labels: { color: text, usePointStyle: true } } },
        scales: spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      },
    });
  }
  function drawAll(root) { (root || document).querySelectorAll("canvas[data-chart]").forEach(draw); }
  drawAll();
  // Charts swapped in by htmx (a page changing its range in place) are drawn too.
  document.addEventListener("htmx:afterSettle", function (event) { drawAll(event.target); });
})();
