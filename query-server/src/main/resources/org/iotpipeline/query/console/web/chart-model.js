// Which chart a result makes, and its data in uPlot's shape. Pure functions, no DOM.
//
// * a time column (timestamp, timestamp_ntz, date) and numeric columns: lines over time, one
//   series per numeric column, or per value of the key columns (strings, or integer columns named
//   *id such as device_id) and numeric column;
// * no time column, category columns (the same key columns) and numeric columns: bars, one bar
//   group per category, one series per numeric column.

const TIME = /^(timestamp|timestamp_ntz|date)$/;
const NUMBER = /^(tinyint|smallint|int|bigint|float|double|decimal(\(\d+,\s*\d+\))?)$/;
const INTEGER = /^(tinyint|smallint|int|bigint)$/;
export const MAX_SERIES = 24;
export const MAX_BARS = 500;

function isKey(column) {
  return column.type === 'string' || (INTEGER.test(column.type) && /(^|_)id$/i.test(column.name));
}

/** {kind: 'line'|'bar', time?, keys, values} with column indexes, or null when no chart fits. */
export function chartKind(columns) {
  const time = columns.findIndex((c) => TIME.test(c.type));
  const keys = [];
  const values = [];
  columns.forEach((column, i) => {
    if (i === time) {
      return;
    }
    if (isKey(column)) {
      keys.push(i);
    } else if (NUMBER.test(column.type)) {
      values.push(i);
    }
  });
  if (values.length === 0) {
    return null;
  }
  if (time >= 0) {
    return { kind: 'line', time, keys, values };
  }
  if (keys.length > 0) {
    return { kind: 'bar', keys, values };
  }
  return null;
}

/** A numeric cell as a number, or null (SQL NULL, "NaN", "Infinity"). */
function numeric(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Seconds since the epoch of a timestamp/date cell (naive timestamps read as UTC), or null. */
export function epochSeconds(value, type) {
  if (typeof value !== 'string') {
    return null;
  }
  const text = type === 'timestamp_ntz' ? `${value}Z` : value;
  const millis = Date.parse(text);
  return Number.isNaN(millis) ? null : millis / 1000;
}

/** "device_id=7" (named: a legend entry), or "7" (bare: an axis label when there is one key). */
function keyLabel(row, columns, keys, named) {
  return keys.map((k) => (named || keys.length > 1 ? `${columns[k].name}=${row[k]}` : String(row[k]))).join(', ');
}

/**
 * Lines: {x: [seconds...], series: [{label, values: [...]}], dropped} with x ascending and every
 * series aligned to it (null where a series has no point).
 */
export function lineData(columns, rows, kind) {
  const byKey = new Map();
  const times = new Set();
  for (const row of rows) {
    const t = epochSeconds(row[kind.time], columns[kind.time].type);
    if (t === null) {
      continue;
    }
    times.add(t);
    const key = kind.keys.length ? keyLabel(row, columns, kind.keys, true) : '';
    if (!byKey.has(key)) {
      byKey.set(key, new Map());
    }
    const points = byKey.get(key);
    points.set(t, row);
  }
  const x = [...times].sort((a, b) => a - b);
  const series = [];
  let total = 0;
  // Series in the order of their key (device_id=2 before device_id=10), whatever the row order.
  const keys = [...byKey.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  for (const key of keys) {
    const points = byKey.get(key);
    for (const v of kind.values) {
      total++;
      if (series.length >= MAX_SERIES) {
        continue;
      }
      const name = columns[v].name;
      const label = key === '' ? name : (kind.values.length > 1 ? `${key} · ${name}` : key);
      series.push({ label, values: x.map((t) => (points.has(t) ? numeric(points.get(t)[v]) : null)) });
    }
  }
  return { x, series, dropped: total - series.length };
}

/** Bars: {labels: [...], series: [{label, values}], dropped} in the result's row order. */
export function barData(columns, rows, kind) {
  const shown = rows.slice(0, MAX_BARS);
  const labels = shown.map((row) => keyLabel(row, columns, kind.keys, false));
  const series = kind.values.slice(0, MAX_SERIES).map((v) => ({
    label: columns[v].name,
    values: shown.map((row) => numeric(row[v])),
  }));
  return { labels, series, dropped: Math.max(0, rows.length - shown.length) };
}
