/** Shorthands for evaluating a workflow's job and step conditions in the routing tests. */
import { type ExpressionContexts, evaluateIf, type NeedsResult } from "./expressions";
import { type Json, workflowFile } from "./files";

export const pr = workflowFile(".github/workflows/mlci-pr.yml").doc;
export const deploy = workflowFile(".github/workflows/mlci-deploy.yml").doc;
export const retrain = workflowFile(".github/workflows/mlci-retrain.yml").doc;
export const comment = workflowFile(".github/workflows/mlci-pr-comment.yml").doc;
export const sweep = workflowFile(".github/workflows/mlci-sweep.yml").doc;

export const ok = (outputs: Record<string, string> = {}): NeedsResult => ({ result: "success", outputs });
export const skipped: NeedsResult = { result: "skipped", outputs: {} };
export const failed: NeedsResult = { result: "failure", outputs: {} };

/** Whether GitHub would run the job, given its `needs` and the run's contexts. */
export function jobRuns(doc: Json, job: string, ctx: ExpressionContexts): boolean {
  return evaluateIf(doc.jobs[job].if, ctx, "job");
}

/** A step of a job, by its id or name. */
export function step(doc: Json, job: string, idOrName: string): Json {
  const found = (doc.jobs[job].steps as Json[]).find((s) => s.id === idOrName || s.name === idOrName);
  if (!found) throw new Error(`no step ${idOrName} in ${job}`);
  return found;
}
