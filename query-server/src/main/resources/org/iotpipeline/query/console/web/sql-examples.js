// Example statements for each table GET /tables lists, built from its columns (no table name or
// column is assumed to exist: new tables get examples as they appear).

const TIME = /^(timestamp|timestamp_ntz|date)$/;
const NUMBER = /^(tinyint|smallint|int|bigint|float|double|decimal(\(\d+,\s*\d+\))?)$/;

function quote(name) {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replaceAll('`', '``')}\``;
}

/** [{table, label, sql}] for every table. */
export function examplesFor(tables) {
  const examples = [];
  for (const table of tables) {
    const name = quote(table.name);
    const columns = table.columns || [];
    const has = (column) => columns.some((c) => c.name === column);
    const time = columns.find((c) => TIME.test(c.type));
    const key = columns.find((c) => c.name === 'device_id');
    const values = columns.filter((c) => NUMBER.test(c.type) && !/(^|_)id$/.test(c.name)
      && !(table.partitionColumns || []).includes(c.name));
    const value = values.find((c) => c.name === 'value_avg') || values.find((c) => c.name === 'value') || values[0];

    examples.push({ table: table.name, label: `${table.name}: first 100 rows`, sql: `SELECT *\nFROM ${name}\nLIMIT 100` });
    if (time && key && value) {
      const metric = has('metric_id') ? ' AND metric_id = 0' : '';
      examples.push({
        table: table.name,
        label: `${table.name}: ${value.name} of devices 0-2 over time (chart)`,
        sql: `SELECT ${quote(time.name)}, device_id, ${quote(value.name)}\nFROM ${name}\n`
          + `WHERE device_id < 3${metric}\nORDER BY ${quote(time.name)}\nLIMIT 10000`,
      });
    }
    if (time && has('value_sum') && has('event_count')) {
      examples.push({
        table: table.name,
        label: `${table.name}: hourly exact averages (chart)`,
        sql: `SELECT date_trunc('hour', ${quote(time.name)}) AS hour,\n`
          + '       sum(value_sum) / sum(event_count) AS avg_value,\n'
          + '       min(value_min) AS min_value, max(value_max) AS max_value\n'
          + `FROM ${name}\nGROUP BY 1\nORDER BY 1`,
      });
    }
    if (key && value) {
      const peak = has('value_max') ? 'value_max' : value.name;
      examples.push({
        table: table.name,
        label: `${table.name}: top 10 devices by maximum (bars)`,
        sql: `SELECT device_id, max(${quote(peak)}) AS peak\nFROM ${name}\nGROUP BY device_id\nORDER BY peak DESC\nLIMIT 10`,
      });
    }
    if (time) {
      examples.push({
        table: table.name,
        label: `${table.name}: newest ${time.name}`,
        sql: `SELECT max(${quote(time.name)}) AS newest, count(*) AS row_count\nFROM ${name}`,
      });
    }
  }
  return examples;
}
