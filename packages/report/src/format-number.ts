/**
 * Human formatting of metric values and changes. Everything returned here is made of digits,
 * `.`, `e`, `+`, `-`, `%`, `∞` and `—`, so it is safe in markdown without escaping.
 */

/** Shown where a value or change does not apply (a missing side, a non-numeric value, old = 0). */
export const NOT_APPLICABLE = "—";

/** Significant digits, as `dvc metrics diff` shows them. */
const SIGNIFICANT_DIGITS = 5;

/** Integers up to this magnitude print in full; beyond it they lose precision anyway. */
const MAX_PLAIN_INTEGER = 1e15;

/** `1.2340e+5` -> `1.234e+5`, `0.50000` -> `0.5`. */
function trimZeros(text: string): string {
  const [mantissa = "", exponent] = text.split("e");
  const trimmed = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
  return exponent === undefined ? trimmed : `${trimmed}e${exponent}`;
}

/**
 * A value with 5 significant digits; integers without decimals; exponent form below 1e-4 and,
 * for non-integers, from 1e5 up (like Python's `.5g`, which DVC uses).
 */
export function formatNumber(value: number | undefined | null): string {
  if (value === undefined || value === null) return NOT_APPLICABLE;
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (Number.isInteger(value) && magnitude < MAX_PLAIN_INTEGER) return String(value);
  const exponent = Math.floor(Math.log10(magnitude));
  if (exponent < -4 || exponent >= SIGNIFICANT_DIGITS) {
    return trimZeros(value.toExponential(SIGNIFICANT_DIGITS - 1));
  }
  // toPrecision can still round up into exponent form (99999.5 -> "1.0000e+5").
  return trimZeros(value.toPrecision(SIGNIFICANT_DIGITS));
}

/** `+0.012`, `-3`, `0`: the absolute change with an explicit sign. */
export function formatChange(change: number | undefined | null): string {
  if (change === undefined || change === null) return NOT_APPLICABLE;
  if (change === 0 || Object.is(change, -0)) return "0";
  const text = formatNumber(change);
  return change > 0 ? `+${text}` : text;
}

/**
 * A relative change (0.0123 = 1.23 %) as a signed percent: whole numbers from 100 %, one decimal
 * from 10 %, two from 1 %, two significant digits below that.
 */
export function formatPercent(relative: number | undefined | null): string {
  if (relative === undefined || relative === null || Number.isNaN(relative)) return NOT_APPLICABLE;
  if (!Number.isFinite(relative)) return relative > 0 ? "+∞%" : "-∞%";
  const percent = relative * 100;
  if (percent === 0) return "0%";
  const magnitude = Math.abs(percent);
  let text: string;
  if (magnitude >= 1e6) text = trimZeros(magnitude.toExponential(2));
  else if (magnitude >= 100) text = Math.round(magnitude).toString();
  else if (magnitude >= 10) text = trimZeros(magnitude.toFixed(1));
  else if (magnitude >= 1) text = trimZeros(magnitude.toFixed(2));
  else text = plainNumber(magnitude, 2);
  return `${percent > 0 ? "+" : "-"}${text}%`;
}

/** `5000` -> `5,000`; grouping done by hand so the output does not depend on ICU data. */
export function formatCount(count: number): string {
  const text = String(Math.trunc(count));
  return text.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * A plain decimal (no exponent, no grouping) for places whose grammar accepts nothing else,
 * such as mermaid's `[+-]?\d+(\.\d+)?`. Rounded to `digits` significant digits.
 */
export function plainNumber(value: number, digits = 6): string {
  if (!Number.isFinite(value) || value === 0) return "0";
  const rounded = Number(value.toPrecision(digits));
  const magnitude = Math.abs(rounded);
  if (magnitude >= 1e21) return BigInt(Math.round(rounded)).toString();
  const text = String(rounded);
  if (!text.includes("e")) return text;
  // Small magnitudes: enough decimals to keep `digits` significant ones.
  const decimals = Math.min(100, digits - Math.floor(Math.log10(magnitude)));
  return trimZeros(rounded.toFixed(decimals));
}

/** `850 ms`, `12.3 s`, `4m 12s`, `1h 02m`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return NOT_APPLICABLE;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${trimZeros(seconds.toFixed(1))} s`;
  const totalSeconds = Math.round(seconds);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const secs = totalSeconds % 60;
  if (hours === 0) return `${minutes}m ${String(secs).padStart(2, "0")}s`;
  return `${hours}h ${String(minutes).padStart(2, "0")}m`;
}

/** An ISO timestamp as `2026-11-26 10:00 UTC`; undefined when it does not parse. */
export function formatTimestamp(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return undefined;
  return `${new Date(time).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
