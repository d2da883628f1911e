// A seeded CSV like the benchmark file: an id, 8 float columns of different distributions
// with about 1% empty cells, 2 integer columns, categories of 5, 50 and 5,000 values, an ISO
// timestamp and a 0/1 label. 8 million rows make about 1.16 GB. The first n rows are the same
// whatever the total, so a larger file extends a smaller one.
import { createReadStream, createWriteStream, renameSync } from "node:fs";

export const HEADER = "id,f1,f2,f3,f4,f5,f6,f7,f8,i1,i2,c5,c50,c5000,ts,label";

/** mulberry32: small, fast, seeded. */
function generator(seed) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `rows` rows to `path` (through a temporary file, renamed at the end). */
export async function generateCsv(path, rows, seed = 42) {
  const rnd = generator(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const cats5 = ["A", "B", "C", "D", "E"];
  const cats50 = Array.from({ length: 50 }, (_, i) => `city_${i}`);
  const t0 = Date.UTC(2024, 0, 1);
  const cell = (x) => (rnd() < 0.01 ? "" : x.toFixed(6));
  const tmp = `${path}.partial`;
  const out = createWriteStream(tmp, { highWaterMark: 1 << 20 });
  let buf = `${HEADER}\n`;
  for (let i = 0; i < rows; i++) {
    const f1 = cell(normal()); // standard normal
    const f2 = cell(normal() * 10 + 100); // shifted, scaled normal
    const f3 = cell(-Math.log(1 - rnd())); // exponential
    const f4 = cell(rnd()); // uniform 0..1
    const f5 = cell(rnd() * 1000); // uniform 0..1000
    const f6 = cell(Math.exp(normal())); // log-normal
    const f7 = cell(normal() ** 2); // chi-square, 1 degree of freedom
    const f8 = cell((rnd() - 0.5) * 1e6); // wide uniform
    const i1 = Math.floor(rnd() * 100);
    const i2 = Math.floor(rnd() * 1e6) - 500_000;
    const c5 = cats5[Math.floor(rnd() * 5)];
    const c50 = cats50[Math.floor(rnd() * 50)];
    const c5000 = `item_${Math.floor(rnd() * 5000)}`;
    const ts = new Date(t0 + Math.floor(rnd() * 3e10)).toISOString();
    const label = rnd() < 0.3 ? 1 : 0;
    buf += `${i},${f1},${f2},${f3},${f4},${f5},${f6},${f7},${f8},${i1},${i2},${c5},${c50},${c5000},${ts},${label}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once("drain", r));
      buf = "";
    }
  }
  await new Promise((resolve, reject) => {
    out.on("error", reject);
    out.end(buf, resolve);
  });
  renameSync(tmp, path);
}

/** Copies the header and the first `rows` rows of a CSV without quoted newlines (ours). */
export async function headRows(from, to, rows) {
  const tmp = `${to}.partial`;
  const out = createWriteStream(tmp, { highWaterMark: 1 << 20 });
  let lines = -1; // the header is not a row
  for await (const chunk of createReadStream(from, { highWaterMark: 1 << 20 })) {
    let end = chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === 10 && ++lines === rows) {
        end = i + 1;
        break;
      }
    }
    if (!out.write(chunk.subarray(0, end))) await new Promise((r) => out.once("drain", r));
    if (lines === rows) break;
  }
  await new Promise((resolve, reject) => {
    out.on("error", reject);
    out.end(resolve);
  });
  renameSync(tmp, to);
}
