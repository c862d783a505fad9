// The dashboard's charts, from the JSON the page embeds (no inline script under the CSP). A bar of
// the sub-region chart opens that region's dashboard (the drill-down).
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var red = "#b42318", blue = "#1f5f99";
  var charts = [];

  function draw(id, option) {
    var holder = document.getElementById(id);
    if (!holder) { return null; }
    var chart = window.echarts.init(holder);
    chart.setOption(Object.assign({ animation: false, tooltip: { trigger: "axis" } }, option));
    holder.dataset.ready = "true";
    charts.push(chart);
    return chart;
  }

  function bars(labels, values, rotate) {
    return {
      grid: { left: 48, right: 16, top: 16, bottom: rotate ? 96 : 40 },
      xAxis: { type: "category", data: labels, axisLabel: { rotate: rotate, interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", barMaxWidth: 40, data: values, itemStyle: { color: red } }]
    };
  }

  function funnel(rows) {
    return {
      tooltip: { trigger: "item" },
      series: [{
        type: "funnel", sort: "none", left: "10%", width: "80%", minSize: "8%",
        label: { formatter: "{b}：{c}" },
        data: rows.map(function (r) { return { name: r[0], value: r[1] }; })
      }]
    };
  }

  draw("program-chart", bars(data.programs.labels, data.programs.households, 30));
  var parts = draw("part-chart", bars(data.parts.labels, data.parts.households, 30));
  if (parts) {
    parts.on("click", function (event) { window.location.href = data.parts.links[event.dataIndex]; });
  }
  draw("trend-chart", {
    legend: { top: 0, data: ["在保户次", "当月金额（元）"] },
    grid: { left: 56, right: 72, top: 40, bottom: 32 },
    xAxis: { type: "category", data: data.trend.labels },
    yAxis: [{ type: "value", minInterval: 1 }, { type: "value" }],
    series: [
      { name: "在保户次", type: "line", data: data.trend.households, itemStyle: { color: red } },
      { name: "当月金额（元）", type: "bar", yAxisIndex: 1, data: data.trend.amounts.map(Number),
        itemStyle: { color: blue, opacity: 0.5 } }
    ]
  });
  draw("funnel-chart", funnel(data.funnel));
  draw("outreach-chart", funnel(data.outreach));
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
