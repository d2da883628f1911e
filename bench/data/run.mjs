#!/usr/bin/env node
// Data benchmark (`npm run bench`, or `npm run bench -- data`; not part of the tests).
// Profiles a generated CSV of about 1.16 GB (8 million rows, seeded) with mlci (the bundled CLI,
// 2 worker threads) and with DuckDB (@duckdb/node-api, SET threads=2: count, nulls, min, max,
// avg, stddev, approximate quantiles and distinct counts per column) in the same run, and prints
// the wall-time ratio and both peak memories. Then profiles the first half of the file with
// mlci, to check that memory stays flat when the file doubles.
//
// Targets: mlci's wall time at most DuckDB's; mlci's peak RSS under 256 MB, and flat (within
// 25%) from half the file to all of it.
//
//   node bench/data/run.mjs [--rows 8000000] [--double]
//   --double  also generate and profile a file twice as large (16 million rows, ~2.3 GB)
//   MLCI_BENCH_DATA_DIR  where the generated files are kept and reused (default: $TMPDIR/mlci-bench-data)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generateCsv, headRows } from "./generate.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const cli = join(root, "packages", "cli", "dist", "mlci.js");
const args = process.argv.slice(2);
const rowsArg = args.indexOf("--rows");
const ROWS = rowsArg >= 0 ? Number(args[rowsArg + 1]) : 8_000_000;
const DOUBLE = args.includes("--double");
const THREADS = 2;
const SEED = 42;
const MB = 1024 * 1024;

if (!existsSync(cli) || !existsSync(join(dirname(cli), "mlci-data-worker.mjs"))) {
  console.error("packages/cli/dist/mlci.js or its data worker is missing: run `npm run build` first");
  process.exit(2);
}
try {
  await import("@duckdb/node-api");
} catch {
  console.error("@duckdb/node-api is not installed: run `npm install` (it is a devDependency)");
  process.exit(2);
}

const dir = process.env.MLCI_BENCH_DATA_DIR ?? join(tmpdir(), "mlci-bench-data");
mkdirSync(dir, { recursive: true });
const fileFor = (rows) => join(dir, `data-${rows}-seed${SEED}.csv`);

async function ensure(rows, from) {
  const path = fileFor(rows);
  if (existsSync(path)) return path;
  const t = performance.now();
  if (from && existsSync(from)) await headRows(from, path, rows);
  else await generateCsv(path, rows, SEED);
  console.log(
    `generated ${path} (${(statSync(path).size / 1e9).toFixed(2)} GB) in ${((performance.now() - t) / 1000).toFixed(0)} s`,
  );
  return path;
}

/** Runs `node --import peak-rss.mjs <argv>`; wall time and peak RSS of the whole process. */
function measure(label, argv) {
  const rssFile = join(dir, `rss-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  const t = performance.now();
  const res = spawnSync(
    process.execPath,
    ["--import", pathToFileURL(join(here, "peak-rss.mjs")).href, ...argv],
    {
      cwd: dir,
      env: { ...process.env, MLCI_BENCH_RSS_FILE: rssFile },
      encoding: "utf8",
      maxBuffer: 64 * MB,
    },
  );
  const wall = (performance.now() - t) / 1000;
  if (res.status !== 0) {
    console.error(`${label} failed (exit ${res.status ?? res.signal}):\n${res.stderr}${res.stdout}`);
    process.exit(1);
  }
  const { rss, cpu } = JSON.parse(readFileSync(rssFile, "utf8"));
  rmSync(rssFile, { force: true });
  console.log(
    `${label.padEnd(30)} wall ${wall.toFixed(1).padStart(5)} s   CPU ${cpu.toFixed(1).padStart(5)} s   peak RSS ${(rss / MB).toFixed(0).padStart(4)} MB`,
  );
  return { wall, rss, cpu };
}

/** Reads the file once so that both tools start from a warm page cache. */
function warm(path) {
  spawnSync(process.execPath, [
    "-e",
    `const fs=require("fs");const b=Buffer.allocUnsafe(1<<22);const fd=fs.openSync(${JSON.stringify(path)});while(fs.readSync(fd,b)>0);`,
  ]);
}

const mlci = (path, out) => [cli, "profile", path, "-o", join(dir, out), "--parallel", String(THREADS)];
const duck = (path, out) => [join(here, "duckdb-profile.mjs"), path, String(THREADS), join(dir, out)];

const full = await ensure(ROWS);
const half = await ensure(ROWS / 2, full);
const size = statSync(full).size;
console.log(
  `\n${ROWS.toLocaleString("en")} rows, ${(size / 1e9).toFixed(2)} GB; ${THREADS} threads each; this machine has ${availableParallelism()} cores; Node ${process.version}\n`,
);
warm(full);
const load = loadavg()
  .map((x) => x.toFixed(2))
  .join(", ");
const d = measure("DuckDB (threads=2)", duck(full, "duckdb.json"));
const m = measure("mlci profile (--parallel 2)", mlci(full, "mlci-profile.json"));
warm(half);
const h = measure("mlci profile, first half", mlci(half, "half.json"));
let dbl;
if (DOUBLE) {
  const twice = await ensure(ROWS * 2);
  warm(twice);
  dbl = measure("mlci profile, twice the rows", mlci(twice, "double.json"));
}

// Same answers: rows, and per column the nulls, and min and max of the numeric columns.
const ours = JSON.parse(readFileSync(join(dir, "mlci-profile.json"), "utf8"));
const theirs = JSON.parse(readFileSync(join(dir, "duckdb.json"), "utf8")).row;
const disagree = [];
if (ours.dataset.rows !== Number(theirs.rows)) disagree.push(`rows ${ours.dataset.rows} vs ${theirs.rows}`);
for (const c of ours.columns) {
  if (c.nulls !== Number(theirs[`${c.name}:nulls`])) disagree.push(`${c.name} nulls`);
  if (
    typeof c.min === "number" &&
    (c.min !== Number(theirs[`${c.name}:min`]) || c.max !== Number(theirs[`${c.name}:max`]))
  )
    disagree.push(`${c.name} min/max`);
}
console.log(
  disagree.length
    ? `\nmlci and DuckDB disagree: ${disagree.join(", ")}`
    : "\nmlci and DuckDB agree on rows, nulls, min and max",
);

const profileBytes = statSync(join(dir, "mlci-profile.json")).size;
const ratio = m.wall / d.wall;
const flat = m.rss / h.rss;
const verdict = (ok) => (ok ? "MET" : "MISSED");
console.log(`\nwall time mlci / DuckDB: ${ratio.toFixed(2)}  (${verdict(ratio <= 1)}: at most 1)`);
// On a shared machine, CPU time is the steadier measure of the work done.
console.log(`CPU time mlci / DuckDB: ${(m.cpu / d.cpu).toFixed(2)}  (load average before the runs: ${load})`);
console.log(
  `peak memory: mlci ${(m.rss / MB).toFixed(0)} MB, DuckDB ${(d.rss / MB).toFixed(0)} MB  (${verdict(m.rss < 256 * MB)}: mlci under 256 MB)`,
);
console.log(
  `memory from half the file to all of it: x${flat.toFixed(2)}  (${verdict(flat <= 1.25)}: flat, within 25%)`,
);
if (dbl) {
  const f2 = dbl.rss / m.rss;
  console.log(
    `memory from the file to twice the file: x${f2.toFixed(2)}  (${verdict(f2 <= 1.25)}: flat, within 25%)`,
  );
}
console.log(`profile size: ${(profileBytes / 1024).toFixed(0)} KB for 16 columns`);
