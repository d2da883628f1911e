/** One line of `mlci doctor`: what was checked, how it went, and what to do about it. */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface DoctorCheck {
  /** Stable id for scripts (`node`, `git`, `history`, `gpu`, `token`, `config:dvc.yaml`). */
  id: string;
  /** What the table shows in its second column. */
  label: string;
  /** `fail` means something mlci needs is broken: doctor exits 1. */
  status: CheckStatus;
  /** One line, or several for a file with several problems. */
  detail: string;
  hint?: string;
}

export interface DoctorReport {
  version: 1;
  /** No check failed. */
  ok: boolean;
  checks: DoctorCheck[];
}

export function check(
  id: string,
  label: string,
  status: CheckStatus,
  detail: string,
  hint?: string,
): DoctorCheck {
  return hint === undefined ? { id, label, status, detail } : { id, label, status, detail, hint };
}
