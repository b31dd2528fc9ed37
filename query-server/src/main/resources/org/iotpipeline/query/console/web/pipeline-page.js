// The pipeline page: is data flowing? Tiles from GET /pipeline (the query server reads the
// gateway's and the ETL's own endpoints), refreshed every few seconds while the page is shown.

import { ProblemError, getJson } from './api.js';
import * as fmt from './format.js';

const REFRESH_MS = 3000;

const GATEWAY_TILES = [
  { id: 'gateway-accepted', title: 'Accepted events/s', value: (g) => fmt.rate(g.acceptedPerSecond),
    sub: (g) => `${fmt.count(g.acceptedTotal)} since start` },
  { id: 'gateway-rejected', title: 'Rejected events/s (400)', value: (g) => fmt.rate(g.rejectedPerSecond),
    sub: (g) => `${fmt.count(g.rejectedTotal)} since start`, warn: (g) => g.rejectedPerSecond > 0 },
  { id: 'gateway-503', title: '503 answers/s', value: (g) => fmt.rate(g.responses503PerSecond),
    sub: (g) => `${fmt.rate(g.unavailablePerSecond)} events/s not taken · ${fmt.count(g.responses503Total)} since start`,
    warn: (g) => g.responses503PerSecond > 0 },
  { id: 'gateway-in-flight', title: 'Events in flight', value: (g) => fmt.count(g.inFlight),
    sub: () => 'sent to Kafka, not yet answered' },
];

const ETL_TILES = [
  { id: 'etl-input', title: 'ETL input records/s', value: (e) => fmt.rate(e.recordsReadPerSecond),
    sub: (e) => `last batch: ${fmt.rate(e.inputRowsPerSecond)} in, ${fmt.rate(e.processedRowsPerSecond)} processed rows/s` },
  { id: 'etl-lag', title: 'Kafka lag', value: (e) => fmt.count(e.kafkaLag),
    sub: () => 'records not processed yet', warn: (e) => e.kafkaLag > 100000 },
  { id: 'etl-freshness', title: 'Freshness (now − watermark)', value: (e) => fmt.duration(e.freshnessSeconds),
    sub: (e) => `watermark ${fmt.instant(e.watermark)}`, warn: (e) => e.freshnessSeconds > 900 },
  { id: 'etl-last-batch', title: 'Last batch', value: (e) => fmt.instant(e.lastBatchAt).replace(' UTC', ''),
    sub: () => 'UTC' },
  { id: 'etl-dead-letters', title: 'Dead letters', value: (e) => fmt.count(e.deadLetters),
    sub: (e) => `${fmt.rate(e.deadLettersPerSecond)}/s now`, warn: (e) => e.deadLettersPerSecond > 0 },
  { id: 'etl-late', title: 'Late events dropped', value: (e) => fmt.count(e.droppedLate),
    sub: (e) => `${fmt.count(e.lateEvents)} late events stored`, warn: (e) => e.droppedLate > 0 },
  { id: 'etl-compaction', title: 'Compaction runs / failures',
    value: (e) => `${fmt.count(e.compactionRuns)} / ${fmt.count(e.compactionFailures)}`,
    sub: (e) => (e.lastCompactionError ? `last error: ${e.lastCompactionError}`
      : `last run ${fmt.instant(e.lastCompactionAt)}`),
    warn: (e) => e.compactionFailures > 0 },
];

export class PipelinePage {
  constructor() {
    this.timer = 0;
    this.active = false;
    this.services = document.getElementById('services');
    this.gateway = service('gateway', 'Event gateway', GATEWAY_TILES);
    this.etl = service('etl', 'ETL', ETL_TILES);
    this.services.append(this.gateway.root, this.etl.root);
  }

  start() {
    if (!this.active) {
      this.active = true;
      this.refresh();
    }
  }

  stop() {
    this.active = false;
    clearTimeout(this.timer);
  }

  async refresh() {
    clearTimeout(this.timer);
    const message = document.getElementById('pipeline-message');
    try {
      const view = await getJson('pipeline');
      message.textContent = '';
      document.getElementById('pipeline-at').textContent =
        `Read ${fmt.instant(view.at)}; refreshes every ${REFRESH_MS / 1000} s.`;
      render(this.gateway, view.gateway, GATEWAY_TILES, (g) => (g.up ? 'up' : 'down'));
      render(this.etl, view.etl, ETL_TILES, (e) => (!e.up ? 'down' : e.healthy === false ? 'degraded' : 'up'));
    } catch (error) {
      message.textContent = error instanceof ProblemError
        ? `${error.problem.status} ${error.problem.title}: ${error.problem.detail || ''}`
        : `The query server did not answer: ${error.message || error}`;
    }
    if (this.active) {
      this.timer = setTimeout(() => this.refresh(), REFRESH_MS);
    }
  }
}

function service(id, title, tiles) {
  const root = document.createElement('section');
  root.className = 'service';
  root.id = `service-${id}`;
  const head = document.createElement('h2');
  head.textContent = `${title} `;
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.state = 'unknown';
  badge.textContent = '…';
  head.appendChild(badge);
  const where = document.createElement('p');
  where.className = 'service-url';
  const error = document.createElement('p');
  error.className = 'service-error';
  error.hidden = true;
  const grid = document.createElement('div');
  grid.className = 'tiles';
  const cells = {};
  for (const tile of tiles) {
    const box = document.createElement('div');
    box.className = 'tile';
    box.dataset.tile = tile.id;
    const label = document.createElement('div');
    label.className = 'tile-title';
    label.textContent = tile.title;
    const value = document.createElement('div');
    value.className = 'tile-value';
    value.textContent = '—';
    const sub = document.createElement('div');
    sub.className = 'tile-sub';
    box.append(label, value, sub);
    grid.appendChild(box);
    cells[tile.id] = { box, value, sub };
  }
  root.append(head, where, error, grid);
  return { root, badge, where, error, cells };
}

function render(part, data, tiles, state) {
  const now = state(data);
  part.badge.dataset.state = now;
  part.badge.textContent = now;
  part.where.textContent = data.url;
  part.error.hidden = !data.error;
  part.error.textContent = data.error ? (data.up ? data.error : `not reachable: ${data.error}`) : '';
  part.root.classList.toggle('down', !data.up);
  for (const tile of tiles) {
    const cell = part.cells[tile.id];
    cell.value.textContent = data.up ? tile.value(data) : '—';
    cell.sub.textContent = data.up ? tile.sub(data) : '';
    cell.box.classList.toggle('warn', Boolean(data.up && tile.warn && tile.warn(data)));
  }
}
