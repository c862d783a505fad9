// Home page bar chart: persons per sub-region, from the JSON the page embeds (no inline script,
// so the strict Content-Security-Policy holds).
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("subregion-chart");
  var source = document.getElementById("subregion-data");
  if (!holder || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(holder);
  chart.setOption({
    animation: false,
    grid: { left: 48, right: 16, top: 16, bottom: 72 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: data.labels, axisLabel: { rotate: 30, interval: 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", barMaxWidth: 48, data: data.values, itemStyle: { color: "#b42318" } }]
  });
  holder.dataset.ready = "true";
  window.addEventListener("resize", function () { chart.resize(); });
});
