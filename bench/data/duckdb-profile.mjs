// The DuckDB side of bench/data: profiles a CSV in one query (per column: count, nulls, min,
// max, avg, stddev, approximate quantiles, approximate distinct count) with `threads` threads.
// Usage: node duckdb-profile.mjs <file.csv> <threads> <out.json>
import { writeFileSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";

const [file, threads = "2", out] = process.argv.slice(2);
const db = await DuckDBInstance.create(":memory:");
const con = await db.connect();
await con.run(`SET threads=${Number(threads)}`);
const source = `read_csv('${file.replace(/'/g, "''")}', header = true)`;
const columns = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjects();
const numeric = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|FLOAT|DOUBLE|DECIMAL)/;
const q = (name) => `"${String(name).replace(/"/g, '""')}"`;
const parts = [];
for (const c of columns) {
  const col = q(c.column_name);
  const p = (what) => `${what} AS ${q(`${c.column_name}:${what.replace(/\(.*/, "")}`)}`;
  parts.push(p(`count(${col})`), `count(*) - count(${col}) AS ${q(`${c.column_name}:nulls`)}`);
  parts.push(p(`min(${col})`), p(`max(${col})`), p(`approx_count_distinct(${col})`));
  if (numeric.test(String(c.column_type))) {
    parts.push(p(`avg(${col})`), p(`stddev_samp(${col})`));
    parts.push(p(`approx_quantile(${col}, [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])`));
  }
}
const reader = await con.runAndReadAll(`SELECT count(*) AS rows, ${parts.join(", ")} FROM ${source}`);
const [row] = reader.getRowObjectsJson();
if (out) writeFileSync(out, `${JSON.stringify({ columns, row }, null, 1)}\n`);
console.log(`duckdb: ${row.rows} rows, ${columns.length} columns`);
