/**
 * What a cell holds. Text cells (CSV/TSV) are classified from their bytes without decoding:
 * integers and decimals are parsed in place (Clinger's fast path, exact for up to 15 digits
 * and exponents up to 22; longer numbers fall back to the engine's own parser), ISO 8601
 * dates and date-times become epoch milliseconds (UTC unless an offset is given), and
 * `true`/`false` in any of three casings are booleans. Typed cells (JSON Lines, Parquet) keep
 * their type; their strings are only checked for the timestamp form.
 */
export const CellType = {
  Null: 0,
  Integer: 1,
  Number: 2,
  Boolean: 3,
  Timestamp: 4,
  String: 5,
} as const;
export type CellType = (typeof CellType)[keyof typeof CellType];

export const CELL_TYPE_NAMES = ["null", "integer", "number", "boolean", "timestamp", "string"] as const;
export type CellTypeName = (typeof CELL_TYPE_NAMES)[number];

/** Unquoted text read as a missing value (quoted, it is a string). */
export const DEFAULT_NULL_VALUES: readonly string[] = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"];

/** The numeric value of the last classified cell (number, epoch ms, or 1/0 for booleans). */
export const cellValue = { num: 0 };

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/** Classifies `buf[s, e)`; numbers, timestamps and booleans leave their value in `cellValue.num`. */
export function classifyBytes(buf: Uint8Array, s: number, e: number): CellType {
  if (s >= e) return CellType.String;
  const c0 = buf[s]!;
  if ((c0 >= 0x30 && c0 <= 0x39) || c0 === 0x2d || c0 === 0x2b || c0 === 0x2e) {
    const t = parseNumber(buf, s, e);
    if (t !== CellType.String) return t;
    if (c0 >= 0x30 && c0 <= 0x39 && e - s >= 10) return parseTimestamp(buf, s, e);
    return CellType.String;
  }
  if (e - s === 4 && (c0 === 0x74 || c0 === 0x54) && isWord(buf, s, "true")) {
    cellValue.num = 1;
    return CellType.Boolean;
  }
  if (e - s === 5 && (c0 === 0x66 || c0 === 0x46) && isWord(buf, s, "false")) {
    cellValue.num = 0;
    return CellType.Boolean;
  }
  return CellType.String;
}

/** `true`, `True` or `TRUE` (the same for false). */
function isWord(buf: Uint8Array, s: number, word: string): boolean {
  let lower = true;
  let upper = true;
  for (let i = 1; i < word.length; i++) {
    const c = buf[s + i]!;
    const w = word.charCodeAt(i);
    if (c !== w) lower = false;
    if (c !== w - 32) upper = false;
  }
  const c0 = buf[s]!;
  return (c0 === word.charCodeAt(0) && lower) || (c0 === word.charCodeAt(0) - 32 && (lower || upper));
}

function parseNumber(buf: Uint8Array, s: number, e: number): CellType {
  let i = s;
  const c0 = buf[i]!;
  const neg = c0 === 0x2d;
  if (neg || c0 === 0x2b) i++;
  // Leading zeros do not count towards the 15 significant digits of the fast path.
  const intStart = i;
  while (i < e && buf[i] === 0x30) i++;
  let lead = i - intStart;
  let mant = 0;
  for (; i < e; i++) {
    const d = buf[i]! - 0x30;
    if (d >>> 0 > 9) break;
    mant = mant * 10 + d;
  }
  let digits = i - intStart;
  let sig = digits - lead;
  let scale = 0;
  let isInt = true;
  if (i < e && buf[i] === 0x2e) {
    isInt = false;
    const fracStart = ++i;
    if (sig === 0) {
      while (i < e && buf[i] === 0x30) i++;
      lead = i - fracStart;
    } else lead = 0;
    for (; i < e; i++) {
      const d = buf[i]! - 0x30;
      if (d >>> 0 > 9) break;
      mant = mant * 10 + d;
    }
    const fracDigits = i - fracStart;
    digits += fracDigits;
    sig += fracDigits - lead;
    scale = -fracDigits;
  }
  if (digits === 0) return CellType.String;
  if (i < e && (buf[i] === 0x65 || buf[i] === 0x45)) {
    isInt = false;
    i++;
    let eneg = false;
    if (i < e && (buf[i] === 0x2d || buf[i] === 0x2b)) {
      eneg = buf[i] === 0x2d;
      i++;
    }
    let exp = 0;
    const expStart = i;
    for (; i < e; i++) {
      const d = buf[i]! - 0x30;
      if (d >>> 0 > 9) break;
      exp = exp * 10 + d;
    }
    if (i === expStart) return CellType.String;
    scale += eneg ? -exp : exp;
  }
  if (i !== e) return CellType.String;
  if (sig <= 15 && scale >= -22 && scale <= 22) {
    const v = scale < 0 ? mant / POW10[-scale]! : mant * POW10[scale]!;
    cellValue.num = neg ? -v : v;
  } else cellValue.num = Number(Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString("latin1"));
  return isInt ? CellType.Integer : CellType.Number;
}

function digitsAt(buf: Uint8Array, i: number, count: number, e: number): number {
  if (i + count > e) return -1;
  let v = 0;
  for (let k = 0; k < count; k++) {
    const d = buf[i + k]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** `YYYY-MM-DD`, optionally `[T ]HH:MM[:SS[.fff…]]` and `Z` or `±HH[:]MM`. */
export function parseTimestamp(buf: Uint8Array, s: number, e: number): CellType {
  const len = e - s;
  if (len < 10 || buf[s + 4] !== 0x2d || buf[s + 7] !== 0x2d) return CellType.String;
  const y = digitsAt(buf, s, 4, e);
  const mo = digitsAt(buf, s + 5, 2, e);
  const d = digitsAt(buf, s + 8, 2, e);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31) return CellType.String;
  let h = 0;
  let mi = 0;
  let sec = 0;
  let ms = 0;
  let offsetMin = 0;
  let i = s + 10;
  if (i < e) {
    const sep = buf[i];
    if ((sep !== 0x54 && sep !== 0x20) || e - i < 6 || buf[i + 3] !== 0x3a) return CellType.String;
    h = digitsAt(buf, i + 1, 2, e);
    mi = digitsAt(buf, i + 4, 2, e);
    if (h < 0 || h > 23 || mi < 0 || mi > 59) return CellType.String;
    i += 6;
    if (i < e && buf[i] === 0x3a) {
      sec = digitsAt(buf, i + 1, 2, e);
      if (sec < 0 || sec > 60) return CellType.String;
      i += 3;
      if (i < e && (buf[i] === 0x2e || buf[i] === 0x2c)) {
        i++;
        let scale = 100;
        const start = i;
        for (; i < e; i++) {
          const dd = buf[i]! - 0x30;
          if (dd < 0 || dd > 9) break;
          ms += dd * scale;
          scale /= 10;
        }
        if (i === start) return CellType.String;
      }
    }
    if (i < e) {
      const z = buf[i];
      if (z === 0x5a && i + 1 === e) i++;
      else if (z === 0x2b || z === 0x2d) {
        const oh = digitsAt(buf, i + 1, 2, e);
        const colon = buf[i + 3] === 0x3a ? 1 : 0;
        const om = digitsAt(buf, i + 3 + colon, 2, e);
        if (oh < 0 || om < 0 || i + 5 + colon !== e) return CellType.String;
        offsetMin = (z === 0x2d ? -1 : 1) * (oh * 60 + om);
        i = e;
      } else return CellType.String;
    }
  }
  if (i !== e) return CellType.String;
  if (d > 28 && d > daysInMonth(y, mo)) return CellType.String;
  cellValue.num =
    (daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec) * 1000 + ms - offsetMin * 60_000;
  return CellType.Timestamp;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const scratch = Buffer.alloc(64);

/** Classifies a typed value (JSON Lines, Parquet); numbers and timestamps go to `cellValue`. */
export function classifyValue(v: unknown): CellType {
  switch (typeof v) {
    case "number":
      if (Number.isNaN(v)) return CellType.Null;
      cellValue.num = v;
      return Number.isInteger(v) ? CellType.Integer : CellType.Number;
    case "bigint":
      cellValue.num = Number(v);
      return CellType.Integer;
    case "boolean":
      cellValue.num = v ? 1 : 0;
      return CellType.Boolean;
    case "string": {
      if (v.length >= 10 && v.length <= 40 && v.charCodeAt(4) === 0x2d) {
        const n = scratch.write(v, 0, "latin1");
        return parseTimestamp(scratch, 0, n);
      }
      return CellType.String;
    }
    case "undefined":
      return CellType.Null;
    default:
      if (v === null) return CellType.Null;
      if (v instanceof Date) {
        cellValue.num = v.getTime();
        return Number.isNaN(cellValue.num) ? CellType.Null : CellType.Timestamp;
      }
      return CellType.String;
  }
}

/** The text of a typed value that is not a number, boolean or timestamp. */
export function valueText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString("utf8");
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x)) ?? String(v);
}
