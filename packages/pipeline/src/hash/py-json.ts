/**
 * Python's `json.dumps(obj, sort_keys=True)` for the plain data DVC serialises (strings,
 * numbers, lists, objects): separators `", "` and `": "`, non-ASCII escaped as lowercase
 * `\uXXXX` (astral characters as surrogate pairs), keys sorted by code point.
 */

/** Compare two strings by Unicode code point, as Python does (JS compares UTF-16 code units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}

// Surrogates (astral characters) sort after U+E000..U+FFFF in code point order.
function rank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

export function pyJsonString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => {
    const code = c.charCodeAt(0);
    return code === 0x7f ? c : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

export type JsonData = string | number | boolean | null | JsonData[] | { [key: string]: JsonData };

export function pyJsonDumps(v: JsonData): string {
  if (v === null) return "null";
  if (typeof v === "string") return pyJsonString(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(pyJsonDumps).join(", ")}]`;
  const keys = Object.keys(v).sort(compareCodePoints);
  return `{${keys.map((k) => `${pyJsonString(k)}: ${pyJsonDumps(v[k] as JsonData)}`).join(", ")}}`;
}
