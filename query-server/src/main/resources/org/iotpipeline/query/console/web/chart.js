// Draws a result with uPlot (from its WebJar): lines over time, or bars per category. Drag across
// the plot to zoom into a time range, double-click to zoom out. Axis labels and the legend are
// uPlot's, set as text.

import uPlot from './vendor/uPlot.esm.js';
import { barData, chartKind, lineData } from './chart-model.js';

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b',
  '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#ad494a'];
const HEIGHT = 380;

export class Chart {
  constructor(container) {
    this.container = container;
    this.plot = null;
    this.resizeObserver = new ResizeObserver(() => {
      if (this.plot && this.container.clientWidth > 0) {
        this.plot.setSize({ width: this.container.clientWidth, height: HEIGHT });
      }
    });
    this.resizeObserver.observe(container);
  }

  /** Whether the result can be drawn. */
  static fits(columns) {
    return chartKind(columns) !== null;
  }

  clear() {
    if (this.plot) {
      this.plot.destroy();
      this.plot = null;
    }
    this.container.textContent = '';
    delete this.container.dataset.kind;
    delete this.container.dataset.series;
    delete this.container.dataset.colors;
  }

  /** Draws columns/rows (rows as arrays); returns a note for the page ("24 of 40 series shown"). */
  show(columns, rows) {
    this.clear();
    const kind = chartKind(columns);
    if (!kind) {
      return '';
    }
    const width = Math.max(this.container.clientWidth, 320);
    const note = document.createElement('p');
    note.className = 'chart-note';
    const holder = document.createElement('div');
    this.container.appendChild(note);
    this.container.appendChild(holder);
    let message;
    if (kind.kind === 'line') {
      const data = lineData(columns, rows, kind);
      this.plot = new uPlot(lineOptions(data, columns[kind.time].name, width),
        [data.x, ...data.series.map((s) => s.values)], holder);
      message = 'Drag across the plot to zoom, double-click to zoom out.';
      this.describe('line', data.series.length);
      note.textContent = data.dropped ? `${message} ${data.series.length} series shown, ${data.dropped} more left out.` : message;
    } else {
      const data = barData(columns, rows, kind);
      this.plot = new uPlot(barOptions(data, kind.keys.map((k) => columns[k].name).join(', '), width),
        [data.labels.map((_, i) => i), ...data.series.map((s) => s.values)], holder);
      this.describe('bar', data.series.length);
      note.textContent = data.dropped ? `The first ${data.labels.length} rows are shown.` : '';
    }
    return note.textContent;
  }

  describe(kind, series) {
    this.container.dataset.kind = kind;
    this.container.dataset.series = String(series);
    this.container.dataset.colors = PALETTE.slice(0, Math.min(series, PALETTE.length)).join(',');
  }
}

function color(i) {
  return PALETTE[i % PALETTE.length];
}

function utc(seconds) {
  return uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');
}

function lineOptions(data, timeName, width) {
  return {
    width,
    height: HEIGHT,
    tzDate: utc,
    scales: { x: { time: true } },
    cursor: { drag: { x: true, y: false, setScale: true } },
    legend: { live: true },
    axes: [{ label: `${timeName} (UTC)` }, {}],
    series: [
      { label: timeName },
      ...data.series.map((s, i) => ({
        label: s.label,
        stroke: color(i),
        width: 2,
        spanGaps: true,
        points: { show: data.x.length <= 60 },
      })),
    ],
  };
}

function barOptions(data, categoryName, width) {
  const count = Math.max(1, data.series.length);
  return {
    width,
    height: HEIGHT,
    scales: { x: { time: false, distr: 2 } },
    cursor: { drag: { x: true, y: false, setScale: true } },
    axes: [
      { label: categoryName, values: (u, splits) => splits.map((i) => data.labels[i] ?? '') },
      {},
    ],
    series: [
      { label: categoryName, value: (u, i) => (i === null ? '' : data.labels[i] ?? '') },
      ...data.series.map((s, i) => ({
        label: s.label,
        stroke: color(i),
        fill: `${color(i)}b0`,
        width: 1,
        // Several numeric columns: narrower bars on top of wider ones, all visible.
        paths: uPlot.paths.bars({ size: [0.8 * (1 - i / (count + 1)), 120] }),
        points: { show: false },
      })),
    ],
  };
}
