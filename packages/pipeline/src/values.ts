/**
 * The data model for values read from YAML, JSON and TOML files (params, vars, dvc.yaml, dvc.lock).
 *
 * DVC reads these files with Python, and the lock and the commands it writes show Python's view
 * of them: `1.0` stays a float (`1.0`, not `1`), `1e-5` prints as `1e-05`, integer keys stay
 * integers and mappings keep their order. Plain JS objects lose all of that, so mappings are
 * `Map`s and floats with an integral value are wrapped in {@link PyFloat}.
 */

/** A float whose value is integral or not finite (`1.0`, `1e5`, `.inf`), which JS would print as an int. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A YAML timestamp (`2024-01-31`), kept as written. */
export class Timestamp {
  constructor(readonly text: string) {}
}

export type Scalar = string | number | boolean | null | PyFloat | Timestamp;
export type Key = string | number | boolean | null;
export type Value = Scalar | Value[] | ValueMap;
export type ValueMap = Map<Key, Value>;

export function isMap(v: unknown): v is ValueMap {
  return v instanceof Map;
}

export function isSeq(v: unknown): v is Value[] {
  return Array.isArray(v);
}

/** Python's `float.__repr__` (also its `str()`): shortest round-trip digits, Python's layout. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mant = "", expText = "0"] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "");
  const decpt = Number(expText) + 1; // value = 0.DIGITS * 10^decpt
  if (decpt <= -4 || decpt > 16) {
    const e = decpt - 1;
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const es = Math.abs(e).toString().padStart(2, "0");
    return `${sign}${m}e${e < 0 ? "-" : "+"}${es}`;
  }
  if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

function pyIntStr(n: number): string {
  return Math.abs(n) >= 1e21 ? BigInt(n).toString() : String(n);
}

/** Python's `str()` of a value, as DVC uses it when interpolating (booleans handled by the caller). */
export function pyStr(v: Value): string {
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return Number.isInteger(v) ? pyIntStr(v) : pyFloatRepr(v);
  if (typeof v === "string") return v;
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (v instanceof Timestamp) return v.text;
  return pyRepr(v);
}

/** Python's `repr()` (for lists and dicts inside messages and interpolated lists). */
export function pyRepr(v: Value): string {
  if (typeof v === "string") return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  if (isSeq(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (isMap(v)) return `{${[...v].map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
  return pyStr(v);
}

/** The numeric value of a number-like scalar, or undefined. */
export function numericValue(v: Value): number | undefined {
  if (typeof v === "number") return v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === "boolean") return v ? 1 : 0; // Python: True == 1
  return undefined;
}

/** Python's `==` on loaded data: 1 == 1.0, mappings compare without order, sequences with it. */
export function pyEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  const na = numericValue(a);
  const nb = numericValue(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (a instanceof Timestamp && b instanceof Timestamp) return a.text === b.text;
  if (isSeq(a) && isSeq(b)) return a.length === b.length && a.every((x, i) => pyEqual(x, b[i] as Value));
  if (isMap(a) && isMap(b)) {
    if (a.size !== b.size) return false;
    for (const [k, x] of a) {
      if (!b.has(k)) return false;
      if (!pyEqual(x, b.get(k) as Value)) return false;
    }
    return true;
  }
  return false;
}

/** Convert to plain JSON-able data (for reports and JSON output); floats become numbers. */
export function toPlain(v: Value): unknown {
  if (v instanceof PyFloat) return v.value;
  if (v instanceof Timestamp) return v.text;
  if (isSeq(v)) return v.map(toPlain);
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[k === null ? "null" : String(k)] = toPlain(x);
    return out;
  }
  return v;
}

/** Build a value from plain JS data (objects become Maps). Numbers stay numbers. */
export function fromPlain(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof PyFloat || v instanceof Timestamp) return v;
  if (v instanceof Date) return new Timestamp(v.toISOString());
  if (Array.isArray(v)) return v.map(fromPlain);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k as Key, fromPlain(x)]));
  if (typeof v === "object") {
    return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromPlain(x)]));
  }
  return String(v);
}
