import { formatDistinct, formatNumber, formatPercent } from "./format-number";
import type { Direction } from "./metric-types";
import type { Amount, Rule } from "./policy";
import type { CheckResult } from "./types";

/**
 * The checks of one rule against one finite head value. Reasons name the metric by `name`
 * (`eval.f1`, or `metrics.json:eval.f1`).
 */

// A change within this fraction of the numbers' scale counts as equal to the limit: 0.85 - 0.84
// is 0.010000000000000009 in binary floating point, and a drop "of at most 0.01" must pass it.
const ROUNDING = 1e-12;

function exceeds(x: number, limit: number, scale: number): boolean {
  return x - limit > ROUNDING * Math.max(1, Math.abs(scale), Math.abs(limit));
}

export function boundChecks(rule: Rule, name: string, head: number): CheckResult[] {
  const out: CheckResult[] = [];
  if (rule.min !== undefined) {
    const [h, m] = formatDistinct(head, rule.min);
    out.push(
      head < rule.min
        ? { kind: "min", ok: false, reason: `${name} ${h} is below the minimum ${m}` }
        : { kind: "min", ok: true, reason: `${name} ${h} is at least the minimum ${m}` },
    );
  }
  if (rule.max !== undefined) {
    const [h, m] = formatDistinct(head, rule.max);
    out.push(
      head > rule.max
        ? { kind: "max", ok: false, reason: `${name} ${h} is above the maximum ${m}` }
        : { kind: "max", ok: true, reason: `${name} ${h} is at most the maximum ${m}` },
    );
  }
  return out;
}

export interface ChangeContext {
  name: string;
  head: number;
  baseline: number;
  direction: Direction;
  /** Where the baseline came from, for the reason: `base`, `registry:model#prod`. */
  label: string;
}

/** head - baseline, and over |baseline| when that is not 0. */
export function changeOf(head: number, baseline: number): { abs: number; rel?: number } {
  const abs = head - baseline;
  return baseline === 0 ? { abs } : { abs, rel: abs / Math.abs(baseline) };
}

/**
 * max_drop limits the worsening: baseline - head for higher-is-better metrics, head - baseline
 * for lower-is-better ones. max_rise limits the improvement, the same change the other way.
 * A percentage is of |baseline|. Moves in the other direction always pass.
 */
export function changeChecks(rule: Rule, c: ChangeContext): CheckResult[] {
  const out: CheckResult[] = [];
  const { abs } = changeOf(c.head, c.baseline);
  const worsening = c.direction === "higher" ? -abs : abs;
  if (rule.maxDrop !== undefined) out.push(limitCheck("max_drop", rule.maxDrop, worsening, c));
  if (rule.maxRise !== undefined) out.push(limitCheck("max_rise", rule.maxRise, -worsening, c));
  return out;
}

function limitCheck(
  kind: "max_drop" | "max_rise",
  limit: Amount,
  amount: number,
  c: ChangeContext,
): CheckResult {
  const moved = describeMove(c, limit);
  const what = kind === "max_drop" ? "a worsening" : "an improvement";
  if (amount <= 0) {
    const other = kind === "max_drop" ? "no worsening" : "no improvement";
    return { kind, ok: true, reason: `${moved}; ${other}` };
  }
  if (limit.kind === "absolute") {
    const [a, l] = formatDistinct(amount, limit.value);
    return exceeds(amount, limit.value, Math.max(Math.abs(c.head), Math.abs(c.baseline)))
      ? { kind, ok: false, reason: `${moved}; ${what} of at most ${l} allowed` }
      : { kind, ok: true, reason: `${moved}; within the allowed ${l}${a === l ? " (at the limit)" : ""}` };
  }
  if (c.baseline === 0) {
    return {
      kind,
      ok: false,
      reason: `${moved}; a percentage limit (${limit.percent}%) cannot apply to a baseline of 0`,
    };
  }
  const pct = (amount / Math.abs(c.baseline)) * 100;
  const limitText = `${formatNumber(limit.percent)}%`;
  return exceeds(pct, limit.percent, limit.percent)
    ? { kind, ok: false, reason: `${moved}; ${what} of at most ${limitText} allowed` }
    : { kind, ok: true, reason: `${moved}; within the allowed ${limitText}` };
}

/**
 * "eval.f1 dropped 0.024 (2.7%) from 0.892 at base" (+ ", worse as lower is better" for
 * lower-is-better metrics). The change is printed with enough digits to differ from the limit.
 */
function describeMove(c: ChangeContext, limit: Amount): string {
  const { abs, rel } = changeOf(c.head, c.baseline);
  const [, base] = formatDistinct(c.head, c.baseline);
  if (abs === 0) return `${c.name} is unchanged at ${base} from ${c.label}`;
  const verb = abs < 0 ? "dropped" : "rose";
  const absText =
    limit.kind === "absolute"
      ? formatDistinct(Math.abs(abs), limit.value, 3)[0]
      : formatNumber(Math.abs(abs), 4);
  let pct = "";
  if (rel !== undefined) {
    pct =
      limit.kind === "relative"
        ? ` (${formatDistinct(Math.abs(rel) * 100, limit.percent, 2)[0]}%)`
        : ` (${formatPercent(Math.abs(rel))})`;
  }
  const worse = c.direction === "higher" ? abs < 0 : abs > 0;
  const note = c.direction === "lower" ? `, ${worse ? "worse" : "better"} as lower is better` : "";
  return `${c.name} ${verb} ${absText}${pct} from ${base} at ${c.label}${note}`;
}

export function formatAmount(a: Amount): string {
  return a.kind === "absolute" ? formatNumber(a.value) : `${formatNumber(a.percent)}%`;
}
