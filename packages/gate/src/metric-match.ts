import picomatch from "picomatch";
import type { FlatValues, MetricValue, ValuesFile } from "./metric-types";
import type { Rule } from "./policy";

/**
 * Metrics as the gate takes them: flattened values (file unknown), or the files the metrics
 * package read (so a rule can name a file and a missing file can be named in the reason).
 */
export type MetricsInput = FlatValues | readonly ValuesFile[];

export interface MetricEntry {
  file?: string;
  /** What pairs the file with the other side's: the metrics package's `id` (MLflow runs), else the path. */
  pairId?: string;
  key: string;
  value: MetricValue;
}

/** A file that could not be read, as the metrics package reported it. */
export interface SourceProblem {
  path: string;
  pairId: string;
  kind: string;
  message: string;
}

export interface MetricSource {
  entries: MetricEntry[];
  problems: SourceProblem[];
  /** false for plain FlatValues: rules that name a file cannot match them. */
  hasFiles: boolean;
}

export function toMetricSource(input: MetricsInput): MetricSource {
  if (isFileList(input)) {
    const entries: MetricEntry[] = [];
    const problems: SourceProblem[] = [];
    for (const f of input) {
      const path = normalizePath(f.path);
      const pairId = f.id ?? path;
      if (f.problem) problems.push({ path, pairId, kind: f.problem.kind, message: f.problem.message });
      for (const [key, value] of Object.entries(f.values)) entries.push({ file: path, pairId, key, value });
    }
    return { entries, problems, hasFiles: true };
  }
  return {
    entries: Object.entries(input).map(([key, value]) => ({ key, value })),
    problems: [],
    hasFiles: false,
  };
}

function isFileList(input: MetricsInput): input is readonly ValuesFile[] {
  return Array.isArray(input);
}

function normalizePath(p: string): string {
  return p.replace(/\\/g, "/").replace(/^\.\//, "");
}

export function isGlob(pattern: string): boolean {
  return picomatch.scan(pattern).isGlob;
}

/**
 * Globs over keys follow the metrics config (picomatch on the flattened key): `*` matches dots
 * but not `/`, so `eval.*` matches `eval.acc` and `eval.test.acc`; `**` also crosses `/`.
 */
function keyMatcher(pattern: string): (key: string) => boolean {
  if (!isGlob(pattern)) return (key) => key === pattern;
  // `s`: a key with a line break in it must not slip past `**`.
  const m = picomatch(pattern, { dot: true, flags: "s" });
  return (key) => m(key);
}

function fileMatcher(pattern: string): (file: string | undefined) => boolean {
  if (!isGlob(pattern)) return (file) => file === pattern;
  const m = picomatch(pattern, { dot: true, flags: "s" });
  return (file) => file !== undefined && m(file);
}

export interface RuleMatch {
  entries: MetricEntry[];
  /** Problems of the files the rule could have read its metric from. */
  problems: SourceProblem[];
}

export function matchRule(rule: Pick<Rule, "metric" | "file">, source: MetricSource): RuleMatch {
  const keyOk = keyMatcher(rule.metric);
  const fileOk = rule.file === undefined ? () => true : fileMatcher(rule.file);
  return {
    entries: source.entries.filter((e) => fileOk(e.file) && keyOk(e.key)),
    problems: source.problems.filter((p) => fileOk(p.path)),
  };
}

export type BaselineLookup =
  | { found: true; value: MetricValue; file?: string }
  | { found: false; why?: string };

/**
 * The baseline value for a head entry: the same file and key when both sides know their files,
 * else the same key. Several different values for one key (from different files) are ambiguous,
 * and an ambiguous baseline is treated as missing.
 */
export function lookupBaseline(entry: MetricEntry, baseline: MetricSource): BaselineLookup {
  if (entry.file !== undefined && baseline.hasFiles) {
    const hit = baseline.entries.find((e) => e.pairId === entry.pairId && e.key === entry.key);
    if (hit) return withFile(hit);
    const problem = baseline.problems.find((p) => p.pairId === entry.pairId);
    return problem ? { found: false, why: describeProblem(problem) } : { found: false };
  }
  const hits = baseline.entries.filter((e) => e.key === entry.key);
  const first = hits[0];
  if (!first) {
    const why = baseline.problems.map(describeProblem).join("; ");
    return why ? { found: false, why } : { found: false };
  }
  if (hits.some((h) => !Object.is(h.value, first.value))) {
    return {
      found: false,
      why: `${entry.key} has different values in ${hits.map((h) => h.file ?? "?").join(", ")}`,
    };
  }
  return withFile(first);
}

function withFile(e: MetricEntry): BaselineLookup {
  return e.file === undefined
    ? { found: true, value: e.value }
    : { found: true, value: e.value, file: e.file };
}

export function describeProblem(p: SourceProblem): string {
  const what =
    p.kind === "missing"
      ? "is missing"
      : p.kind === "not-in-cache"
        ? "is not in the cache"
        : p.kind === "parse-error"
          ? "could not be parsed"
          : "could not be read";
  return p.message ? `${p.path} ${what}: ${p.message}` : `${p.path} ${what}`;
}
