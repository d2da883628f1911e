import type { Example, RuleResult } from "@mlci/data";
import type { DataResult } from "./data-result";

/** One workflow annotation (`::error file=…,line=…::message`). */
export interface DataAnnotation {
  level: "error" | "warning";
  title: string;
  message: string;
  /** Relative to the repository root. */
  file?: string;
  line?: number;
}

/** GitHub shows at most this many error and this many warning annotations per step. */
export const ANNOTATIONS_PER_LEVEL = 10;

export interface AnnotationOptions {
  /** A path of the result (relative to the working directory) as a path in the repository. */
  repoPath: (path: string) => string;
  maxErrors?: number;
  maxWarnings?: number;
}

function messageOf(r: RuleResult, e: Example | undefined): string {
  const base = r.message.replace(/`/g, "");
  if (!e) return base;
  const detail =
    e.value !== undefined ? `value ${JSON.stringify(e.value)}` : (e.message?.replace(/`/g, "") ?? "");
  return detail ? `${base} (here: ${detail})` : base;
}

/**
 * Annotations for the first failures, within GitHub's per-step limits: the failing rules take
 * turns (each rule's first example row, then each rule's second, …) so that every failing rule
 * shows up before any shows twice. A rule without example rows (a null share, a row count) points
 * at its line in the schema file when it has one.
 */
export function dataAnnotations(result: DataResult, o: AnnotationOptions): DataAnnotation[] {
  const out: DataAnnotation[] = [];
  const failed = result.check.results.filter((r) => !r.passed);
  for (const level of ["error", "warning"] as const) {
    const budget =
      level === "error" ? (o.maxErrors ?? ANNOTATIONS_PER_LEVEL) : (o.maxWarnings ?? ANNOTATIONS_PER_LEVEL);
    const rules = failed.filter((r) => (r.severity === "error") === (level === "error"));
    const picked: DataAnnotation[] = [];
    const title = (r: RuleResult) => `mlci data: ${r.rule}${r.column === undefined ? "" : ` (${r.column})`}`;
    for (let round = 0; picked.length < budget; round++) {
      let any = false;
      for (const r of rules) {
        if (picked.length >= budget) break;
        const e = r.examples[round];
        if (e) {
          picked.push({
            level,
            title: title(r),
            message: messageOf(r, e),
            file: o.repoPath(e.file),
            line: e.line,
          });
          any = true;
        } else if (round === 0) {
          const at = r.schema.file
            ? { file: o.repoPath(r.schema.file), ...(r.schema.line ? { line: r.schema.line } : {}) }
            : {};
          picked.push({ level, title: title(r), message: messageOf(r, undefined), ...at });
          any = true;
        }
      }
      if (!any) break;
    }
    out.push(...picked);
  }
  return out;
}
