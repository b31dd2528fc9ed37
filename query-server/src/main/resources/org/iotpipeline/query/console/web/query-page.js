// The query page: editor (Ctrl/Cmd-Enter runs), examples per table, history, run and cancel,
// the result as a grid or a chart, downloads through the server's CSV/NDJSON formats, and errors
// with their problem body.

import { ProblemError, getJson, problemOf, request } from './api.js';
import { Chart } from './chart.js';
import { Grid } from './grid.js';
import { millis } from './format.js';
import * as history from './history.js';
import { examplesFor } from './sql-examples.js';

const MAX_ROWS = 10000;
const $ = (id) => document.getElementById(id);

export class QueryPage {
  constructor() {
    this.sql = $('sql');
    this.grid = new Grid($('grid'));
    this.chart = new Chart($('chart'));
    this.running = null;
    this.result = null;
    this.examples = [];

    $('run').addEventListener('click', () => this.run());
    $('cancel').addEventListener('click', () => this.cancel());
    $('download-csv').addEventListener('click', () => this.download('csv'));
    $('download-ndjson').addEventListener('click', () => this.download('ndjson'));
    $('show-table').addEventListener('click', () => this.view('table'));
    $('show-chart').addEventListener('click', () => this.view('chart'));
    this.sql.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.run();
      }
    });
    this.sql.addEventListener('input', () => this.updateButtons());
    $('examples').addEventListener('change', (event) => {
      const example = this.examples[Number(event.target.value)];
      if (example) {
        this.sql.value = example.sql;
        this.updateButtons();
        this.sql.focus();
      }
      event.target.value = '';
    });
    $('history').addEventListener('change', (event) => {
      if (event.target.value !== '') {
        this.sql.value = history.load()[Number(event.target.value)] || '';
        this.updateButtons();
        this.sql.focus();
      }
      event.target.value = '';
    });
    const last = history.load()[0];
    this.sql.value = last || 'SELECT 1 AS one';
    this.showHistory(history.load());
    this.updateButtons();
  }

  /** Loads the table list for the examples (asks for the token first if the server wants one). */
  async loadTables() {
    const select = $('examples');
    try {
      const body = await getJson('tables');
      this.examples = examplesFor(body.tables || []);
      select.textContent = '';
      select.appendChild(option('', this.examples.length ? '(choose an example)' : '(no tables)'));
      let group = null;
      this.examples.forEach((example, i) => {
        if (!group || group.label !== example.table) {
          group = document.createElement('optgroup');
          group.label = example.table;
          select.appendChild(group);
        }
        group.appendChild(option(String(i), example.label));
      });
    } catch (error) {
      select.textContent = '';
      select.appendChild(option('', '(tables could not be listed)'));
      if (error instanceof ProblemError) {
        this.showError(error.problem);
      } else {
        this.showError({ status: 0, title: 'Network error', detail: String(error.message || error) });
      }
    }
  }

  showHistory(list) {
    const select = $('history');
    select.textContent = '';
    select.appendChild(option('', list.length ? `(${list.length} recent)` : '(none yet)'));
    list.forEach((sql, i) => select.appendChild(option(String(i), sql.replace(/\s+/g, ' ').slice(0, 120))));
  }

  updateButtons() {
    const busy = this.running !== null;
    const empty = this.sql.value.trim() === '';
    $('run').disabled = busy || empty;
    $('cancel').disabled = !busy;
    $('download-csv').disabled = busy || empty;
    $('download-ndjson').disabled = busy || empty;
  }

  async run() {
    const sql = this.sql.value;
    if (this.running || sql.trim() === '') {
      return;
    }
    this.showHistory(history.remember(sql));
    const queryId = `console-${crypto.randomUUID()}`;
    const started = performance.now();
    this.running = { queryId, started };
    this.hideError();
    this.updateButtons();
    const ticker = setInterval(() => this.status(`Running… ${millis(performance.now() - started)}`), 100);
    this.status('Running…');
    try {
      const response = await request('query', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ sql, queryId, rows: 'arrays', maxRows: MAX_ROWS }),
      });
      if (!response.ok) {
        const problem = await problemOf(response);
        this.status(problem.type === 'query-cancelled' ? 'Cancelled.' : `Failed after ${millis(performance.now() - started)}.`);
        $('result').hidden = true;
        this.showError(problem);
        return;
      }
      const result = await response.json();
      this.showResult(result, performance.now() - started);
    } catch (error) {
      this.status('Failed.');
      this.showError(error instanceof ProblemError ? error.problem
        : { status: 0, title: 'Network error', detail: String(error.message || error) });
    } finally {
      clearInterval(ticker);
      this.running = null;
      this.updateButtons();
    }
  }

  async cancel() {
    if (!this.running) {
      return;
    }
    this.status('Cancelling…');
    try {
      const response = await request(`query/${encodeURIComponent(this.running.queryId)}`, { method: 'DELETE' });
      if (!response.ok && response.status !== 404) {
        this.showError(await problemOf(response));
      }
    } catch (error) {
      this.showError({ status: 0, title: 'Network error', detail: String(error.message || error) });
    }
  }

  showResult(result, elapsed) {
    this.result = result;
    $('result').hidden = false;
    const rows = result.rowCount === 1 ? '1 row' : `${result.rowCount.toLocaleString('en-US')} rows`;
    const more = result.truncated ? ` (the first ${result.rowCount.toLocaleString('en-US')}: download for all)` : '';
    this.status(`${rows}${more} in ${millis(elapsed)} (server ${millis(result.elapsedMs)}).`);
    $('result-info').textContent = `${result.columns.length} columns · query ${result.queryId}`;
    this.grid.show(result.columns, result.rows);
    const chartable = Chart.fits(result.columns) && result.rows.length > 0;
    $('show-chart').disabled = !chartable;
    this.chart.clear();
    this.view(chartable ? 'chart' : 'table');
  }

  view(which) {
    const chart = which === 'chart' && this.result && Chart.fits(this.result.columns);
    $('grid').hidden = chart;
    $('chart').hidden = !chart;
    $('show-table').setAttribute('aria-pressed', String(!chart));
    $('show-chart').setAttribute('aria-pressed', String(chart));
    if (chart && !this.chart.plot) {
      this.chart.show(this.result.columns, this.result.rows);
    }
    if (!chart) {
      this.grid.render();
    }
  }

  /** The whole result through the server's own streamed format, saved as a file. */
  async download(format) {
    const sql = this.sql.value;
    this.status(`Preparing ${format.toUpperCase()}…`);
    try {
      const response = await request(`query?format=${format}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
        body: sql,
      });
      if (!response.ok) {
        this.showError(await problemOf(response));
        this.status('Download failed.');
        return;
      }
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `result.${format === 'csv' ? 'csv' : 'ndjson'}`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      this.status(`Downloaded ${(blob.size / 1024).toFixed(1)} KiB as ${format.toUpperCase()}.`);
    } catch (error) {
      // A stream that failed part-way ends without its last chunk: fetch reports it here.
      this.status('Download failed.');
      this.showError(error instanceof ProblemError ? error.problem
        : { status: 0, title: 'Download incomplete', detail: String(error.message || error) });
    }
  }

  status(text) {
    $('status').textContent = text;
  }

  showError(problem) {
    $('error').hidden = false;
    $('error-status').textContent = problem.status ? String(problem.status) : '';
    $('error-title').textContent = problem.title || '';
    $('error-type').textContent = problem.type || '';
    $('error-class').textContent = [problem.errorClass, problem.sqlState].filter(Boolean).join(' · ');
    $('error-detail').textContent = problem.detail || '';
    const where = $('error-where');
    if (Number.isInteger(problem.line) && Number.isInteger(problem.position)) {
      where.hidden = false;
      where.textContent = `at line ${problem.line}, position ${problem.position}`;
      this.select(problem.line, problem.position);
    } else {
      where.hidden = true;
      where.textContent = '';
    }
  }

  hideError() {
    $('error').hidden = true;
  }

  /** Puts the cursor where the server says the statement went wrong (line 1-based, position 0-based). */
  select(line, position) {
    const lines = this.sql.value.split('\n');
    if (line < 1 || line > lines.length) {
      return;
    }
    let offset = 0;
    for (let i = 0; i < line - 1; i++) {
      offset += lines[i].length + 1;
    }
    const start = offset + Math.min(position, lines[line - 1].length);
    const rest = lines[line - 1].slice(Math.min(position, lines[line - 1].length));
    const word = /^\S*/.exec(rest)[0].length || 1;
    this.sql.setSelectionRange(start, Math.min(start + word, this.sql.value.length));
  }
}

function option(value, text) {
  const node = document.createElement('option');
  node.value = value;
  node.textContent = text;
  return node;
}
