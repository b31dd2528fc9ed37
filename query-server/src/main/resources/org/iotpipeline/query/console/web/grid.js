// The result grid: a header with each column's name and type, and only the rows in view in the
// DOM (a pool of row elements moved as the user scrolls), so 10,000 rows scroll as smoothly as 10.
// Values are set with textContent: a result holding markup shows it as text.

import { cellText } from './format.js';

const ROW_HEIGHT = 24;
const OVERSCAN = 8;
const CHAR_WIDTH = 7.6;
const MIN_WIDTH = 56;
const MAX_WIDTH = 360;
const MAX_CELL_CHARS = 500;
const NUMERIC = /^(tinyint|smallint|int|bigint|float|double|decimal)/;

export class Grid {
  constructor(container) {
    this.container = container;
    this.columns = [];
    this.rows = [];
    this.pool = [];
    this.frame = 0;
  }

  /** Shows rows (arrays in column order) under columns [{name, type}]. */
  show(columns, rows) {
    this.columns = columns;
    this.rows = rows;
    this.pool = [];
    this.container.textContent = '';

    const widths = [rowNumberWidth(rows.length), ...columns.map((column, i) => columnWidth(column, rows, i))];
    const template = widths.map((w) => `${w}px`).join(' ');
    const total = widths.reduce((a, b) => a + b, 0);

    this.scroller = element('div', 'grid-scroller');
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'grid');
    this.scroller.setAttribute('aria-rowcount', String(rows.length + 1));
    this.scroller.style.setProperty('--grid-columns', template);

    const header = element('div', 'grid-row grid-header');
    header.style.width = `${total}px`;
    header.appendChild(element('div', 'grid-cell grid-rownum', '#'));
    columns.forEach((column) => {
      const cell = element('div', 'grid-cell grid-head-cell');
      cell.setAttribute('role', 'columnheader');
      cell.appendChild(element('span', 'grid-col-name', column.name));
      cell.appendChild(element('span', 'grid-col-type', column.type));
      cell.title = `${column.name}: ${column.type}`;
      header.appendChild(cell);
    });
    this.scroller.appendChild(header);

    this.body = element('div', 'grid-body');
    this.body.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.body.style.width = `${total}px`;
    this.scroller.appendChild(this.body);
    this.container.appendChild(this.scroller);

    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    if (!this.resizeObserver) {
      this.resizeObserver = new ResizeObserver(() => this.schedule());
    }
    this.resizeObserver.disconnect();
    this.resizeObserver.observe(this.container);
    this.render();
  }

  clear() {
    this.container.textContent = '';
    this.rows = [];
    this.pool = [];
  }

  schedule() {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    }
  }

  render() {
    if (!this.scroller) {
      return;
    }
    const view = Math.max(this.scroller.clientHeight, ROW_HEIGHT * 10);
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const wanted = Math.min(this.rows.length, Math.ceil(view / ROW_HEIGHT) + 2 * OVERSCAN);
    while (this.pool.length < wanted) {
      this.pool.push(this.newRow());
    }
    for (let j = 0; j < this.pool.length; j++) {
      const row = this.pool[j];
      const index = first + j;
      if (j >= wanted || index >= this.rows.length) {
        row.hidden = true;
        continue;
      }
      row.hidden = false;
      if (row.dataset.row !== String(index)) {
        this.fill(row, index);
      }
    }
  }

  newRow() {
    const row = element('div', 'grid-row');
    row.setAttribute('role', 'row');
    row.appendChild(element('div', 'grid-cell grid-rownum'));
    this.columns.forEach(() => {
      const cell = element('div', 'grid-cell');
      cell.setAttribute('role', 'gridcell');
      row.appendChild(cell);
    });
    this.body.appendChild(row);
    return row;
  }

  fill(row, index) {
    row.dataset.row = String(index);
    row.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    const cells = row.children;
    cells[0].textContent = String(index + 1);
    const values = this.rows[index];
    for (let i = 0; i < this.columns.length; i++) {
      const cell = cells[i + 1];
      const text = cellText(values[i]);
      const type = this.columns[i].type;
      if (text === null) {
        cell.textContent = 'NULL';
        cell.className = 'grid-cell null';
        cell.title = 'SQL NULL';
      } else {
        const nested = typeof values[i] === 'object';
        cell.textContent = text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS)}…` : text;
        cell.className = `grid-cell${nested ? ' nested' : ''}${NUMERIC.test(type) ? ' num' : ''}`;
        cell.title = nested ? JSON.stringify(values[i], null, 2).slice(0, 4000) : text.slice(0, 4000);
      }
    }
  }
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function rowNumberWidth(count) {
  return Math.max(40, String(count).length * CHAR_WIDTH + 16);
}

/** Wide enough for the header and the first 200 values, within bounds. */
function columnWidth(column, rows, index) {
  let chars = Math.max(column.name.length, column.type.length);
  const sample = Math.min(rows.length, 200);
  for (let r = 0; r < sample; r++) {
    const text = cellText(rows[r][index]);
    chars = Math.max(chars, text === null ? 4 : Math.min(text.length, 60));
  }
  return Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, chars * CHAR_WIDTH + 18)));
}
