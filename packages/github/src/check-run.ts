import { randomUUID } from "node:crypto";
import type { GitHubClient } from "./client";
import { isServerError, toApiError } from "./errors";
import { truncateUtf8 } from "./truncate";

/**
 * Check runs with GitHub's limits applied: `summary` and `text` cut to 65,535 (bytes, which
 * GitHub also enforces) with a note, annotations sent 50 per request (the create takes the first
 * 50, later updates append the rest). Neither the create nor an annotation batch is retried
 * blindly: after a 5xx we look at what GitHub stored (by `external_id`, by annotation count).
 */

export const CHECK_OUTPUT_LIMIT = 65535;
export const ANNOTATIONS_PER_REQUEST = 50;

export type CheckStatus = "queued" | "in_progress" | "completed";
export type CheckConclusion =
  | "action_required"
  | "cancelled"
  | "failure"
  | "neutral"
  | "success"
  | "skipped"
  | "timed_out";

export interface CheckAnnotation {
  path: string;
  startLine: number;
  endLine: number;
  /** Only kept when the annotation is on one line, as GitHub requires. */
  startColumn?: number;
  endColumn?: number;
  level: "notice" | "warning" | "failure";
  message: string;
  title?: string;
  rawDetails?: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

interface CheckFields {
  owner: string;
  repo: string;
  status?: CheckStatus;
  conclusion?: CheckConclusion;
  detailsUrl?: string;
  startedAt?: string;
  completedAt?: string;
  output?: CheckOutput;
  /** Create attempts or batch attempts when GitHub answers 5xx (default 3). */
  attempts?: number;
  retryDelayMs?: number;
}

export interface CreateCheckRunOptions extends CheckFields {
  name: string;
  headSha: string;
  /** Our reference for the run; one is generated so that a retried create can find its first try. */
  externalId?: string;
}

export interface UpdateCheckRunOptions extends CheckFields {
  checkRunId: number;
}

export interface CheckRunResult {
  id: number;
  url: string;
  /** Annotations sent. */
  annotations: number;
  /** Output fields that were cut to fit. */
  truncated: Array<"summary" | "text">;
}

const TRUNCATION_NOTE = "\n\n> [!NOTE]\n> Cut to fit GitHub's 65,535-character limit for check run output.";

/** Cut text to GitHub's check-run limit (UTF-8 bytes, which also bounds characters), with a note. */
export function truncateForCheckRun(
  text: string,
  limit = CHECK_OUTPUT_LIMIT,
): { text: string; truncated: boolean } {
  return truncateUtf8(text, limit, TRUNCATION_NOTE);
}

function annotationJson(a: CheckAnnotation) {
  const oneLine = a.startLine === a.endLine;
  return {
    path: a.path,
    start_line: a.startLine,
    end_line: a.endLine,
    ...(oneLine && a.startColumn !== undefined ? { start_column: a.startColumn } : {}),
    ...(oneLine && a.endColumn !== undefined ? { end_column: a.endColumn } : {}),
    annotation_level: a.level,
    message: a.message,
    ...(a.title !== undefined ? { title: a.title } : {}),
    ...(a.rawDetails !== undefined ? { raw_details: a.rawDetails } : {}),
  };
}

interface Prepared {
  fields: Record<string, unknown>;
  output: { title: string; summary: string; text?: string } | undefined;
  batches: ReturnType<typeof annotationJson>[][];
  truncated: Array<"summary" | "text">;
}

function prepare(o: CheckFields): Prepared {
  const truncated: Array<"summary" | "text"> = [];
  let output: Prepared["output"];
  if (o.output) {
    const summary = truncateForCheckRun(o.output.summary);
    if (summary.truncated) truncated.push("summary");
    output = { title: o.output.title, summary: summary.text };
    if (o.output.text !== undefined) {
      const text = truncateForCheckRun(o.output.text);
      if (text.truncated) truncated.push("text");
      output.text = text.text;
    }
  }
  const all = (o.output?.annotations ?? []).map(annotationJson);
  const batches: Prepared["batches"] = [];
  for (let i = 0; i < all.length; i += ANNOTATIONS_PER_REQUEST)
    batches.push(all.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const fields: Record<string, unknown> = {
    ...(o.status ? { status: o.status } : {}),
    ...(o.conclusion ? { conclusion: o.conclusion } : {}),
    ...(o.detailsUrl ? { details_url: o.detailsUrl } : {}),
    ...(o.startedAt ? { started_at: o.startedAt } : {}),
    ...(o.completedAt ? { completed_at: o.completedAt } : {}),
  };
  return { fields, output, batches, truncated };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Send the remaining annotation batches; `sent` is the run's annotation count before them. */
async function appendBatches(
  octokit: GitHubClient,
  o: CheckFields & { checkRunId: number },
  p: Prepared,
  batches: Prepared["batches"],
  sent: number,
): Promise<number> {
  const attempts = o.attempts ?? 3;
  for (const batch of batches) {
    const expected = sent + batch.length;
    for (let attempt = 1; ; attempt++) {
      try {
        await octokit.rest.checks.update({
          owner: o.owner,
          repo: o.repo,
          check_run_id: o.checkRunId,
          output: { ...(p.output ?? { title: "", summary: "" }), annotations: batch },
          request: { retries: 0 },
        });
        break;
      } catch (err) {
        if (!isServerError(err) || attempt >= attempts) throw err;
        await sleep((o.retryDelayMs ?? 1000) * attempt);
        const run = await octokit.rest.checks.get({
          owner: o.owner,
          repo: o.repo,
          check_run_id: o.checkRunId,
        });
        // Stored despite the error: sending it again would duplicate the batch.
        if ((run.data.output.annotations_count ?? 0) >= expected) break;
      }
    }
    sent = expected;
  }
  return sent;
}

/** Create a check run (GITHUB_TOKEN needs `checks: write`). */
export async function createCheckRun(
  octokit: GitHubClient,
  o: CreateCheckRunOptions,
): Promise<CheckRunResult> {
  const p = prepare(o);
  const externalId = o.externalId ?? `mlci-${randomUUID()}`;
  const [first = [], ...rest] = p.batches;
  const attempts = o.attempts ?? 3;
  try {
    let created: { id: number; html_url: string | null } | undefined;
    for (let attempt = 1; !created; attempt++) {
      try {
        const res = await octokit.rest.checks.create({
          owner: o.owner,
          repo: o.repo,
          name: o.name,
          head_sha: o.headSha,
          external_id: externalId,
          ...p.fields,
          ...(p.output ? { output: { ...p.output, ...(first.length ? { annotations: first } : {}) } } : {}),
          request: { retries: 0 },
        });
        created = res.data;
      } catch (err) {
        if (!isServerError(err) || attempt >= attempts) throw err;
        await sleep((o.retryDelayMs ?? 1000) * attempt);
        const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
          owner: o.owner,
          repo: o.repo,
          ref: o.headSha,
          check_name: o.name,
          filter: "all",
          per_page: 100,
        });
        created = runs.find((r) => r.external_id === externalId);
      }
    }
    const total = await appendBatches(octokit, { ...o, checkRunId: created.id }, p, rest, first.length);
    return { id: created.id, url: created.html_url ?? "", annotations: total, truncated: p.truncated };
  } catch (err) {
    throw toApiError(err, `create the check run "${o.name}"`);
  }
}

/** Update a check run; annotations are appended to those it has, 50 per request. */
export async function updateCheckRun(
  octokit: GitHubClient,
  o: UpdateCheckRunOptions,
): Promise<CheckRunResult> {
  const p = prepare(o);
  try {
    // Status and output without annotations are safe to retry; annotation batches go separately.
    const res = await octokit.rest.checks.update({
      owner: o.owner,
      repo: o.repo,
      check_run_id: o.checkRunId,
      ...p.fields,
      ...(p.output ? { output: p.output } : {}),
    });
    const before = res.data.output.annotations_count ?? 0;
    const after = await appendBatches(octokit, o, p, p.batches, before);
    return {
      id: res.data.id,
      url: res.data.html_url ?? "",
      annotations: after - before,
      truncated: p.truncated,
    };
  } catch (err) {
    throw toApiError(err, `update check run ${o.checkRunId}`);
  }
}
