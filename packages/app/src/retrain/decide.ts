import type { DriftReport } from "@mlci/data";

/** The JSON `mlci retrain --json` prints (docs/retrain.md). */
export const RETRAIN_DECISION_VERSION = 1;

export interface RetrainColumn {
  column: string;
  kind: "numeric" | "categorical";
  method: string;
  /** p-value (ks, chisquare, z) or distance (wasserstein, jensenshannon). */
  score: number;
  threshold: number;
  drifted: boolean;
  psi: number;
}

export interface RetrainDecision {
  version: typeof RETRAIN_DECISION_VERSION;
  retrain: boolean;
  /** `drift: …`, `forced …` or `no drift: …`, for a person. */
  reason: string;
  drifted: boolean;
  driftShare: number;
  driftShareThreshold: number;
  columns: RetrainColumn[];
  skipped: Array<{ column: string; reason: string }>;
  reference: { spec: string; path: string; version?: string; commit?: string; rows: number };
  current: { rows: number; malformedRows: number; profilePath?: string };
}

const share = (x: number) => (Math.round(x * 100) / 100).toFixed(2);

/** What the drift says, in one line: "3 of 8 columns drifted (share 0.38 < 0.50)". */
export function describeDrift(d: DriftReport): string {
  const n = d.columns.length;
  const k = d.columns.filter((c) => c.drifted).length;
  const cmp = d.driftShare >= d.driftShareThreshold ? "≥" : "<";
  const names = d.columns.filter((c) => c.drifted).map((c) => c.column);
  const which = names.length ? `: ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}` : "";
  const skipped = d.skipped.length ? `; ${d.skipped.length} not compared` : "";
  return `${k} of ${n} column${n === 1 ? "" : "s"} drifted (share ${share(d.driftShare)} ${cmp} ${share(d.driftShareThreshold)})${which}${skipped}`;
}

/**
 * Retrain when the data set drifted (Evidently's rule: at least half of the compared columns),
 * or always when forced. Pure: the caller profiles the data and compares it.
 */
export function decideRetrain(
  drift: DriftReport,
  o: {
    always?: boolean;
    reference: RetrainDecision["reference"];
    current: RetrainDecision["current"];
  },
): RetrainDecision {
  const detail = describeDrift(drift);
  const reason = drift.drifted
    ? `drift: ${detail}`
    : o.always
      ? `forced (--always); no drift: ${detail}`
      : `no drift: ${detail}`;
  return {
    version: RETRAIN_DECISION_VERSION,
    retrain: drift.drifted || o.always === true,
    reason,
    drifted: drift.drifted,
    driftShare: drift.driftShare,
    driftShareThreshold: drift.driftShareThreshold,
    columns: drift.columns.map((c) => ({
      column: c.column,
      kind: c.kind,
      method: c.method,
      score: c.score,
      threshold: c.threshold,
      drifted: c.drifted,
      psi: c.psi,
    })),
    skipped: drift.skipped,
    reference: o.reference,
    current: o.current,
  };
}
