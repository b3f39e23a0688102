// Draws the charts of a page with uPlot (served from the project, loaded
// before this file), from the JSON in each `figure[data-chart]`'s attribute.
// Every chart's numbers are also in a table beside it: without JavaScript
// the table is all there is, and the chart is hidden from screen readers.
//
// Kinds:
// - "bars": { labels: string[], values: number[], label }
// - "history": { x: number[] (seconds), series: [{ label, values, style }],
//   percent: boolean } where style is "line", "dashed" or "points".
(function () {
  "use strict";
  const uPlot = globalThis.uPlot;
  if (!uPlot) return;

  const COLORS = ["#0b4f9c", "#b35900", "#1b5e20", "#6a1b9a", "#a31515"];
  const HEIGHT = 260;

  function percentValues(_u, splits) {
    return splits.map((v) => v == null ? "" : `${Math.round(v * 100)}%`);
  }

  function barsChart(spec, width) {
    const xs = spec.labels.map((_, i) => i);
    return {
      options: {
        width,
        height: HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: {
            time: false,
            range: () => [-0.5, spec.labels.length - 0.5],
          },
          y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        },
        axes: [
          {
            splits: () => xs,
            values: (_u, splits) => splits.map((i) => spec.labels[i] ?? ""),
            rotate: -30,
            size: 90,
          },
          {},
        ],
        series: [
          {},
          {
            label: spec.label,
            stroke: COLORS[0],
            fill: `${COLORS[0]}cc`,
            paths: uPlot.paths.bars({ size: [0.6, 60] }),
            points: { show: false },
          },
        ],
      },
      data: [xs, spec.values],
    };
  }

  function historyChart(spec, width) {
    const series = [{
      label: "Time (UTC)",
      value: (_u, v) =>
        v == null
          ? "—"
          : new Date(v * 1000).toISOString().slice(0, 16).replace("T", " "),
    }];
    spec.series.forEach((s, i) => {
      const color = COLORS[i % COLORS.length];
      if (s.style === "points") {
        series.push({
          label: s.label,
          stroke: COLORS[4],
          paths: () => null,
          points: { show: true, size: 12, fill: COLORS[4] },
        });
      } else if (s.style === "dashed") {
        series.push({
          label: s.label,
          stroke: COLORS[0],
          width: 1,
          dash: [4, 4],
          points: { show: false },
          value: (_u, v) => v == null ? "—" : `${(v * 100).toFixed(1)}%`,
        });
      } else {
        series.push({
          label: s.label,
          stroke: color,
          width: 2,
          points: { show: true, size: 6 },
          value: spec.percent
            ? (_u, v) => v == null ? "—" : `${(v * 100).toFixed(1)}%`
            : undefined,
        });
      }
    });
    return {
      options: {
        width,
        height: HEIGHT,
        // Every time on the site is UTC, the axes too.
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        scales: {
          // One run alone: an hour either side, not two days of nothing.
          x: spec.x.length === 1
            ? { time: true, range: [spec.x[0] - 3600, spec.x[0] + 3600] }
            : { time: true },
          y: spec.percent ? { range: [0, 1] } : {},
        },
        axes: [
          { label: "UTC", values: utcValues },
          spec.percent ? { values: percentValues } : {},
        ],
        series,
      },
      data: [spec.x, ...spec.series.map((s) => s.values)],
    };
  }

  // Time ticks written as the tables write times: ISO, 24-hour, UTC.
  function utcValues(_u, splits) {
    const span = splits.length > 1 ? splits[splits.length - 1] - splits[0] : 0;
    return splits.map((s) => {
      const iso = new Date(s * 1000).toISOString();
      return span >= 2 * 86400
        ? iso.slice(0, 10)
        : iso.slice(5, 16).replace("T", " ");
    });
  }

  function draw(figure) {
    let spec;
    try {
      spec = JSON.parse(figure.dataset.chart);
    } catch {
      return;
    }
    const target = figure.querySelector(".chart-canvas");
    if (!target) return;
    const widthOf = () => Math.max(240, Math.floor(target.clientWidth || 600));
    const built = spec.kind === "bars"
      ? barsChart(spec, widthOf())
      : historyChart(spec, widthOf());
    const plot = new uPlot(built.options, built.data, target);
    if (typeof ResizeObserver === "function") {
      new ResizeObserver(() => {
        plot.setSize({ width: widthOf(), height: HEIGHT });
      }).observe(target);
    }
  }

  document.querySelectorAll("figure[data-chart]").forEach(draw);
})();
