/**
 * How long to wait after GitHub refuses a request for rate limiting, following GitHub's guidance:
 * honour `retry-after`; else, when `x-ratelimit-remaining` is 0, wait until `x-ratelimit-reset`;
 * else (a secondary limit without headers) wait at least a minute, doubling on each retry.
 */

export type RateLimitKind = "primary" | "secondary";

export interface RateLimitWait {
  kind: RateLimitKind;
  ms: number;
}

/** The parts of an Octokit RequestError this module reads. */
export interface HttpErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, string | number | undefined> } | undefined;
}

const SECONDARY = /secondary rate limit/i;
const MINUTE = 60_000;

function header(err: HttpErrorLike, name: string): string | undefined {
  const v = err.response?.headers?.[name];
  return v === undefined ? undefined : String(v);
}

/**
 * The wait before retry number `attempt` (1-based), or undefined when the error is not a rate
 * limit (a 403 such as "Resource not accessible by integration" must not be retried).
 */
export function rateLimitWait(err: HttpErrorLike, attempt: number, now: number): RateLimitWait | undefined {
  if (err.status !== 403 && err.status !== 429) return undefined;
  const secondary = SECONDARY.test(String(err.message ?? ""));
  const retryAfter = header(err, "retry-after");
  const remaining = header(err, "x-ratelimit-remaining");
  const reset = header(err, "x-ratelimit-reset");
  const exhausted = remaining === "0";
  if (!secondary && !exhausted && retryAfter === undefined && err.status !== 429) return undefined;
  const kind: RateLimitKind = secondary || !exhausted ? "secondary" : "primary";

  if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())) {
    return { kind, ms: Number(retryAfter) * 1000 };
  }
  if (exhausted && reset !== undefined && /^\d+$/.test(reset)) {
    // One more second so the retry lands after the reset, not on it.
    return { kind, ms: Math.max(0, Number(reset) * 1000 - now) + 1000 };
  }
  return { kind, ms: MINUTE * 2 ** Math.max(0, attempt - 1) };
}
