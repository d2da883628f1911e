import { ruleMatcher } from "./metric-rules";
import type { Direction, DirectionSource } from "./types";

/** Name words that mean lower is better. */
const LOWER_WORDS = new Set([
  "loss",
  "losses",
  "error",
  "errors",
  "err",
  "mae",
  "mse",
  "rmse",
  "msle",
  "rmsle",
  "mape",
  "smape",
  "wape",
  "logloss",
  "nll",
  "perplexity",
  "ppl",
  "latency",
  "duration",
  "time",
  "runtime",
  "seconds",
  "wer",
  "cer",
  "fpr",
  "fnr",
  "fdr",
  "eer",
  "brier",
  "distance",
  "divergence",
  "regret",
  "cost",
]);

/** Word sequences that mean lower is better. */
const LOWER_PHRASES = [
  ["cross", "entropy"],
  ["false", "positive"],
  ["false", "positives"],
  ["false", "negative"],
  ["false", "negatives"],
  ["miss", "rate"],
];

// `bias` is left out on purpose: a signed bias is best near zero, so neither direction is right.

/**
 * The words of a metric name, lower-cased: split on `.`, `_`, `-`, `/`, `:`, spaces and camelCase
 * (`val_loss` -> val, loss; `latencyMs` -> latency, ms; `HTTPLatency` -> http, latency).
 */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[._\-/:\s]+/)
    .filter(Boolean)
    .map((t) => t.toLowerCase());
}

/**
 * lower when a word of the name says so (`val_loss`, `eval.rmse`, `latencyMs`), else undefined.
 * Words after `per` name a unit of a rate, not the metric: `samples_per_second` stays higher.
 */
export function inferDirection(key: string): Direction | undefined {
  const all = nameTokens(key);
  const per = all.indexOf("per");
  const tokens = per > 0 ? all.slice(0, per) : all;
  if (tokens.some((t) => LOWER_WORDS.has(t))) return "lower";
  for (const phrase of LOWER_PHRASES) {
    for (let i = 0; i + phrase.length <= tokens.length; i++) {
      if (phrase.every((w, j) => tokens[i + j] === w)) return "lower";
    }
  }
  return undefined;
}

export type DirectionResolver = (
  path: string,
  key: string,
) => { direction: Direction; source: DirectionSource };

/**
 * A metric's direction: from the config (exact key or `path:key`, then globs in the order
 * written), else inferred from its name, else higher is better.
 */
export function directionResolver(rules: Readonly<Record<string, Direction>> = {}): DirectionResolver {
  const fromConfig = ruleMatcher(rules);
  return (path, key) => {
    const configured = fromConfig(path, key);
    if (configured) return { direction: configured, source: "config" };
    const inferred = inferDirection(key);
    if (inferred) return { direction: inferred, source: "inferred" };
    return { direction: "higher", source: "default" };
  };
}
