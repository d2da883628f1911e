import { MlciError } from "@mlci/common";
import { pathOf } from "./client";

/**
 * Octokit's RequestError, read by shape: the adapter must not depend on which copy of
 * @octokit/request-error a bundle ends up with.
 */
export interface RequestErrorLike {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> };
}

export function isRequestError(err: unknown): err is RequestErrorLike {
  return err instanceof Error && typeof (err as { status?: unknown }).status === "number" && "request" in err;
}

/** The request error itself, or the one an MlciError from this module wraps. */
function requestErrorOf(err: unknown): RequestErrorLike | undefined {
  if (isRequestError(err)) return err;
  if (err instanceof MlciError && isRequestError(err.cause)) return err.cause;
  return undefined;
}

export function statusOf(err: unknown): number | undefined {
  return requestErrorOf(err)?.status;
}

/** GitHub's own message (without Octokit's documentation suffix) plus any field errors. */
export function githubMessage(err: RequestErrorLike): string {
  const data = err.response?.data as { message?: unknown; errors?: unknown } | undefined;
  let message =
    typeof data?.message === "string" ? data.message : err.message.replace(/ - https:\/\/\S+$/, "");
  if (Array.isArray(data?.errors)) {
    const details = data.errors
      .map((e) => (typeof e === "string" ? e : ((e as { message?: string }).message ?? JSON.stringify(e))))
      .filter(Boolean);
    if (details.length) message += `: ${details.join("; ")}`;
  }
  return message.replace(/\s*\n+\s*/g, " ").trim();
}

/**
 * A 403 "Resource not accessible by integration": the GITHUB_TOKEN lacks a permission, which is
 * always the case for writes from a pull request opened from a fork (its token is read-only).
 */
export function isForkPermissionError(err: unknown): boolean {
  const e = requestErrorOf(err);
  return e?.status === 403 && /Resource not accessible by integration/i.test(githubMessage(e));
}

export function isRateLimitError(err: unknown): boolean {
  const e = requestErrorOf(err);
  if (!e || (e.status !== 403 && e.status !== 429)) return false;
  return (
    e.status === 429 ||
    /rate limit/i.test(e.message) ||
    e.response?.headers?.["x-ratelimit-remaining"] === "0"
  );
}

export function isNotFound(err: unknown): boolean {
  return statusOf(err) === 404;
}

/** A failure that may not have reached GitHub's storage, or did and was answered badly: worth a look and a retry. */
export function isServerError(err: unknown): boolean {
  const s = statusOf(err);
  return s !== undefined && s >= 500;
}

function hintFor(e: RequestErrorLike): string | undefined {
  if (isForkPermissionError(e)) {
    return (
      "the token may not write here. Pull requests from forks get a read-only GITHUB_TOKEN: compute in the " +
      "`pull_request` workflow and post from a `workflow_run` workflow. For same-repository runs, grant the job " +
      "the permission it needs (e.g. `permissions: pull-requests: write`, `checks: write`)."
    );
  }
  if (isRateLimitError(e)) {
    const reset = Number(e.response?.headers?.["x-ratelimit-reset"]);
    const when =
      Number.isFinite(reset) && reset > 0 ? ` after ${new Date(reset * 1000).toISOString()}` : " later";
    return `GitHub rate-limited this token; try again${when}.`;
  }
  switch (e.status) {
    case 401:
      return "the token is missing, expired or not valid for this GitHub server.";
    case 403:
      return "the token lacks a permission for this request; check the job's `permissions:`.";
    case 404:
      return "the repository or resource does not exist, or the token cannot see it.";
    default:
      return e.status >= 500 ? "GitHub failed after several retries; try again later." : undefined;
  }
}

/**
 * An Octokit error as MlciError("API"), saying what we were doing, the endpoint, the status and
 * GitHub's message. Anything that is not a request error is returned unchanged (it is a bug or
 * already ours). The message never contains a token: Octokit redacts it and we print no headers.
 */
export function toApiError(err: unknown, doing?: string): Error {
  if (err instanceof MlciError) return err;
  if (!isRequestError(err)) return err instanceof Error ? err : new Error(String(err));
  const method = err.request?.method ?? "";
  const path = err.request?.url ? pathOf(err.request.url) : "";
  const endpoint = [method, path].filter(Boolean).join(" ");
  const what = `GitHub answered ${err.status}${endpoint ? ` to ${endpoint}` : ""}: ${githubMessage(err)}`;
  const hint = hintFor(err);
  return new MlciError("API", doing ? `Could not ${doing}: ${what}` : what, {
    cause: err,
    ...(hint ? { hint } : {}),
  });
}
