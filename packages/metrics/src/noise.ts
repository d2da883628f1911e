import { ruleMatcher } from "./metric-rules";

/** A band around the old value within which a change counts as unchanged. */
export type NoiseBand = { kind: "absolute"; value: number } | { kind: "relative"; fraction: number };

/** `0.001` is absolute; `"2%"` is relative to the old value's magnitude. */
export function parseNoiseBand(spec: number | string): NoiseBand {
  if (typeof spec === "number") return { kind: "absolute", value: spec };
  const pct = Number.parseFloat(spec.replace("%", "").trim());
  return { kind: "relative", fraction: Number.isFinite(pct) ? pct / 100 : 0 };
}

/** The band's half-width for a given old value (a relative band around 0 is 0). */
export function bandWidth(band: NoiseBand, old: number): number {
  return band.kind === "absolute" ? band.value : Math.abs(old) * band.fraction;
}

/**
 * The noise band of a metric: its own rule (exact key or `path:key`, then globs in order), else
 * `default`, else none (0, so any change counts).
 */
export function noiseResolver(
  rules: Readonly<Record<string, number | string>> = {},
): (path: string, key: string) => NoiseBand {
  const match = ruleMatcher(rules, ["default"]);
  const fallback = rules.default === undefined ? 0 : rules.default;
  return (path, key) => parseNoiseBand(match(path, key) ?? fallback);
}
