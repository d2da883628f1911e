import { Rng } from "../sketch/prng";

export interface GeneratedTable {
  header: string;
  /** One CSV line per row (a few hold quoted newlines), without the line end. */
  lines: string[];
  text: string;
}

/**
 * A seeded CSV table with the kinds of columns profiles care about: an id, a normal float
 * with 2% empty cells, a small-integer code, a category, a boolean, a timestamp, free text
 * (sometimes quoted, with commas, doubled quotes or newlines) and a 0/1 label.
 */
export function generateTable(rows: number, seed = 1, shift = 0): GeneratedTable {
  const rng = new Rng(seed);
  const header = "id,x,code,cat,flag,ts,note,label";
  const cats = ["red", "green", "blue", "cyan", "magenta"];
  const lines: string[] = [];
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < rows; i++) {
    const u = rng.nextOpenFloat();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat()) + shift;
    const x = rng.nextFloat() < 0.02 ? "" : normal.toFixed(4);
    const code = rng.nextInt(10);
    const cat = cats[Math.min(4, Math.floor(rng.nextFloat() ** (1 + shift) * 5))]!;
    const flag = rng.nextBit() ? "true" : "false";
    const ts = new Date(t0 + rng.nextInt(365 * 86_400) * 1000).toISOString();
    const r = rng.nextFloat();
    const note =
      r < 0.01
        ? '"multi\nline, ""quoted"""'
        : r < 0.05
          ? `"a, ${rng.nextInt(100)}"`
          : `n${rng.nextInt(1000)}`;
    const label = rng.nextFloat() < 0.3 + shift * 0.1 ? 1 : 0;
    lines.push(`${i},${x},${code},${cat},${flag},${ts},${note},${label}`);
  }
  return { header, lines, text: `${header}\n${lines.join("\n")}\n` };
}
