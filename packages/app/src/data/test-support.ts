import { Rng } from "@mlci/data";

/**
 * Seeded data sets for the data tests (unit and end to end): a CSV with an id, a normal float
 * `x` (1% empty), an exponential `amount`, a `segment` category, an integer `age` and a 0/1
 * `label`. `shift` moves `x` and `amount` and skews the categories, for drift.
 */
export function dataCsv(rows: number, o: { seed?: number; shift?: number; start?: number } = {}): string {
  const rng = new Rng(o.seed ?? 1);
  const shift = o.shift ?? 0;
  const start = o.start ?? 0;
  const segments = ["retail", "smb", "enterprise", "public"];
  const lines = ["id,x,amount,segment,age,label"];
  for (let i = 0; i < rows; i++) {
    const u = rng.nextOpenFloat();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat()) + shift;
    const x = rng.nextFloat() < 0.01 ? "" : normal.toFixed(4);
    const amount = (-Math.log(rng.nextOpenFloat()) * 100 * (1 + shift)).toFixed(2);
    const segment = segments[Math.min(3, Math.floor(rng.nextFloat() ** (1 + shift) * 4))]!;
    const age = 18 + rng.nextInt(60);
    const label = rng.nextFloat() < 0.3 ? 1 : 0;
    lines.push(`${start + i},${x},${amount},${segment},${age},${label}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A schema the clean data passes. */
export const DATA_SCHEMA = `# yaml-language-server: $schema=https://mlci.dev/schemas/schema.schema.json
version: 1
columns:
  id: { type: integer, unique: true, nullable: false }
  x: { type: number, maxNullFraction: 0.05 }
  amount: { type: number, min: 0 }
  segment: { type: category, allowed: [retail, smb, enterprise, public] }
  age: { type: integer, min: 18, max: 120 }
  label: { type: integer, allowed: [0, 1], severity: warn }
dataset: { minRows: 10 }
`;

/**
 * Breaks clean data the way real data breaks: a duplicated id, text in a number column, a
 * negative amount, an unknown category, an age out of range, a label of 2 and a row with a
 * missing field. Line numbers (1 = the header) are in the returned `lines`.
 */
export function breakData(csv: string): { text: string; lines: Record<string, number> } {
  const rows = csv.split("\n");
  const set = (line: number, f: (cells: string[]) => void): void => {
    const cells = rows[line - 1]!.split(",");
    f(cells);
    rows[line - 1] = cells.join(",");
  };
  const lines = { duplicate: 40, type: 12, negative: 25, category: 31, age: 33, label: 50, malformed: 60 };
  set(lines.duplicate, (c) => {
    c[0] = "5";
  });
  set(lines.type, (c) => {
    c[1] = "oops";
  });
  set(lines.negative, (c) => {
    c[2] = "-3.5";
  });
  set(lines.category, (c) => {
    c[3] = "<b>vip</b>";
  });
  set(lines.age, (c) => {
    c[4] = "130";
  });
  set(lines.label, (c) => {
    c[5] = "2";
  });
  rows[lines.malformed - 1] = "99999,1.0";
  return { text: rows.join("\n"), lines };
}
