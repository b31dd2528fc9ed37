// Statements run from this browser, newest first, in localStorage (SQL text only; never the token).

const KEY = 'iot-console.history';
const MAX = 50;

export function load() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || '[]');
    return Array.isArray(list) ? list.filter((entry) => typeof entry === 'string') : [];
  } catch (e) {
    // Not JSON (written by something else): start a new history rather than fail the page.
    return [];
  }
}

export function remember(sql) {
  const text = sql.trim();
  if (!text) {
    return load();
  }
  const list = [text, ...load().filter((entry) => entry !== text)].slice(0, MAX);
  localStorage.setItem(KEY, JSON.stringify(list));
  return list;
}
