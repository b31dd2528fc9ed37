// Formatting of values for display. Everything here returns plain strings: callers put them into
// the page with textContent only.

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ONE_DECIMAL = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** A result cell: null when the value is SQL NULL (shown as a NULL marker by the caller). */
export function cellText(value) {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'object') {
    return JSON.stringify(value);
  }
  return String(value);
}

/** A per-second rate, or an em dash when not known (yet). */
export function rate(value) {
  if (value === null || value === undefined) {
    return '—';
  }
  return value < 100 ? ONE_DECIMAL.format(value) : INTEGER.format(value);
}

/** A count, or an em dash. */
export function count(value) {
  return value === null || value === undefined ? '—' : INTEGER.format(value);
}

/** 42 s, 3 min 5 s, 2 h 4 min, 3 d 2 h; negative as "ahead". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return '—';
  }
  const ahead = seconds < 0;
  let s = Math.round(Math.abs(seconds));
  let text;
  if (s < 60) {
    text = `${s} s`;
  } else if (s < 3600) {
    text = `${Math.floor(s / 60)} min ${s % 60} s`;
  } else if (s < 86400) {
    text = `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  } else {
    text = `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
  }
  return ahead ? `${text} ahead` : text;
}

/** An ISO-8601 instant as "2026-11-29 03:05:00 UTC", or an em dash. */
export function instant(iso) {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Milliseconds as "87 ms" or "1.25 s". */
export function millis(ms) {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
