// LinkTracking dashboard: draws the per-day charts (uPlot) from their JSON blocks and wires the copy buttons.
// Loaded as a file (the pages' Content-Security-Policy allows no inline script).
(function () {
  "use strict";

  function drawChart(figure) {
    var data = JSON.parse(figure.querySelector("script.chart-data").textContent);
    var target = figure.querySelector(".chart-canvas");
    var raw = data.series.map(function (s) { return s.values; });
    // Stacked bars: series i is drawn as the sum of series 0..i, the tallest first, so each shows its own band
    // (the first series at the bottom). The legend shows each series' own figure.
    var cumulative = raw.map(function (values, i) {
      if (!data.stacked) { return values; }
      return values.map(function (_, day) {
        var sum = 0;
        for (var j = 0; j <= i; j++) { sum += raw[j][day]; }
        return sum;
      });
    });
    var order = raw.map(function (_, i) { return i; });
    if (data.stacked) { order.reverse(); }
    var bars = uPlot.paths.bars({ size: [0.8, 40] });
    var series = [{ label: "Day", value: function (u, v) { return v == null ? "" : new Date(v * 1000).toISOString().slice(0, 10); } }];
    order.forEach(function (i) {
      var s = data.series[i];
      series.push({
        label: s.label,
        stroke: s.color,
        fill: s.color,
        width: 0,
        paths: bars,
        points: { show: false },
        value: function (u, v, si, idx) { return idx == null ? "" : String(raw[i][idx]); }
      });
    });
    var drawn = order.map(function (i) { return cumulative[i]; });
    var width = function () { return Math.max(280, target.clientWidth); };
    var plot = new uPlot({
      width: width(),
      height: 240,
      series: series,
      // Half a day of room each side, so the first and last bars show whole.
      scales: { x: { time: true, range: function (u, min, max) { return [min - 43200, max + 43200]; } }, y: { range: function (u, min, max) { return [0, Math.max(1, max)]; } } },
      axes: [{ stroke: "#374151" }, { stroke: "#374151", values: function (u, vals) { return vals.map(function (v) { return Number.isInteger(v) ? v : ""; }); } }],
      cursor: { drag: { x: false, y: false } },
      legend: { live: true }
    }, [data.days].concat(drawn), target);
    window.addEventListener("resize", function () { plot.setSize({ width: width(), height: 240 }); });
  }

  function wireCopy(button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy"));
      var status = button.closest("section").querySelector(".copy-status");
      var done = function (ok) { if (status) { status.textContent = ok ? "Copied." : "Select the address and copy it."; } };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () { input.select(); done(false); });
      } else {
        input.select();
        done(document.execCommand && document.execCommand("copy"));
      }
    });
  }

  document.querySelectorAll("figure[data-chart]").forEach(drawChart);
  document.querySelectorAll("button[data-copy]").forEach(wireCopy);
})();
