#!/usr/bin/env node
// Runs every benchmark: each bench/<name>/run.mjs, in name order, as its own Node process.
// `npm run bench` runs them all; `npm run bench -- pipeline` runs the ones named.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const benchDir = join(root, "bench");
const only = process.argv.slice(2);
const names = existsSync(benchDir)
  ? readdirSync(benchDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(benchDir, e.name, "run.mjs")))
      .map((e) => e.name)
      .filter((n) => only.length === 0 || only.includes(n))
      .sort()
  : [];
if (names.length === 0) {
  console.error(only.length ? `no benchmark named ${only.join(", ")} in bench/` : "no bench/*/run.mjs found");
  process.exit(2);
}
const failed = [];
for (const name of names) {
  console.log(`\n=== bench/${name} ===`);
  const res = spawnSync(process.execPath, [join(benchDir, name, "run.mjs")], { cwd: root, stdio: "inherit" });
  if (res.status !== 0) failed.push(`${name} (exit ${res.status ?? res.signal})`);
}
if (failed.length) {
  console.error(`\nbenchmarks that failed to run: ${failed.join(", ")}`);
  process.exit(1);
}
