// A target's progress over time against its target value (data embedded as JSON; no inline
// script under the Content-Security-Policy).
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("history-chart");
  var source = document.getElementById("history-data");
  if (!holder || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var target = Number(data.target);
  var points = data.points.map(function (p) { return [p[0], Number(p[1])]; });
  var chart = window.echarts.init(holder);
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    grid: { left: 56, right: 16, top: 24, bottom: 32 },
    xAxis: { type: "time" },
    yAxis: { type: "value", max: function (v) { return Math.max(v.max, target); } },
    series: [{
      type: "line", step: "end", data: points, itemStyle: { color: "#b42318" },
      markLine: { symbol: "none", data: [{ yAxis: target, name: "目标值" }],
                  lineStyle: { color: "#127a3a", type: "dashed" } }
    }]
  });
  holder.dataset.ready = "true";
  window.addEventListener("resize", function () { chart.resize(); });
});
