/**
 * Numbers for reasons and tables: short, but never so rounded that two different numbers read
 * the same ("0.85 is below the minimum 0.85" would be a lie).
 */
export function formatNumber(n: number, significant = 6): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const text = n.toPrecision(significant);
  // Numbers with more integer digits than `significant` read better whole (699, not 7e+2).
  if (text.includes("e") && Math.abs(n) >= 1 && Math.abs(n) < 1e15) return String(Math.round(n));
  if (text.includes("e")) {
    const [mant = "", exp = ""] = text.split("e");
    return `${trimZeros(mant)}e${exp}`;
  }
  return trimZeros(text);
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/**
 * Formats two numbers with the fewest significant digits (at least `min`) that keep them apart.
 * Stops at 15 digits: what differs only beyond that is floating-point noise
 * (0.85 - 0.84 = 0.010000000000000009), shown as equal.
 */
export function formatDistinct(a: number, b: number, min = 4): [string, string] {
  let fa = formatNumber(a, min);
  let fb = formatNumber(b, min);
  for (let p = min + 1; p <= 15 && fa === fb && a !== b; p++) {
    fa = formatNumber(a, p);
    fb = formatNumber(b, p);
  }
  return [fa, fb];
}

/** A fraction as a percentage: 0.0269 -> "2.7%", 0.15 -> "15%". */
export function formatPercent(fraction: number, significant = 2): string {
  const pct = fraction * 100;
  if (Math.abs(pct) >= 100 && Number.isFinite(pct)) return `${Math.round(pct)}%`;
  return `${formatNumber(pct, significant)}%`;
}
