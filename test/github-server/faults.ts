import { randomBytes } from "node:crypto";
import { errorBody, type Reply } from "./http";

/** Faults injected on demand: the failures GitHub really produces, when a test asks for them. */

export type FaultEffect =
  /** Answer this status with a GitHub-style error body instead of handling the request. */
  | { kind: "status"; status: 403 | 404 | 409 | 422 | 500 | 502 | 503 | 504; message?: string }
  /** Handle the request (the write is stored) and then answer 502, as a flaky proxy does. */
  | { kind: "apply-then-502" }
  /**
   * GitHub's secondary rate limit: 403 (or 429) "You have exceeded a secondary rate limit".
   * `retryAfter` sets the `retry-after` header (seconds); without it, `resetInSeconds` sets
   * `x-ratelimit-remaining: 0` and `x-ratelimit-reset`; without both, neither header is sent.
   */
  | { kind: "secondary-rate-limit"; retryAfter?: number; resetInSeconds?: number; status?: 403 | 429 }
  /** The primary rate limit: 403 with `x-ratelimit-remaining: 0` and a reset time. */
  | { kind: "rate-limit"; resetInSeconds: number }
  /** Wait this long, then handle the request normally. */
  | { kind: "delay"; ms: number };

export interface FaultRule {
  /** HTTP method, or "*" for any. */
  method: string;
  /** The OpenAPI route template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`, or "*". */
  route: string;
  /** Fire only on the nth matching call (1-based), counted from when the rule was added. */
  nth?: number;
  /** Fire on at most this many matching calls (default: every matching call, or once with `nth`). */
  times?: number;
  effect: FaultEffect;
}

export interface Fault {
  readonly rule: FaultRule;
  /** Matching calls seen since the rule was added. */
  readonly seen: number;
  /** Times the fault fired. */
  readonly fired: number;
  remove(): void;
}

class ActiveFault implements Fault {
  seen = 0;
  fired = 0;
  removed = false;

  constructor(
    readonly rule: FaultRule,
    private readonly onRemove: (f: ActiveFault) => void,
  ) {}

  remove(): void {
    this.removed = true;
    this.onRemove(this);
  }

  /** Count a matching call and say whether the fault fires on it. */
  take(): boolean {
    this.seen++;
    const limit = this.rule.times ?? (this.rule.nth !== undefined ? 1 : Number.POSITIVE_INFINITY);
    if (this.fired >= limit) return false;
    if (this.rule.nth !== undefined && this.seen < this.rule.nth) return false;
    this.fired++;
    return true;
  }
}

export class FaultBook {
  private faults: ActiveFault[] = [];

  add(rule: FaultRule): Fault {
    const f = new ActiveFault(rule, (x) => {
      this.faults = this.faults.filter((y) => y !== x);
    });
    this.faults.push(f);
    return f;
  }

  clear(): void {
    this.faults = [];
  }

  /** The effects that fire for this call; every matching rule counts the call. */
  take(method: string, route: string): FaultEffect[] {
    const out: FaultEffect[] = [];
    for (const f of this.faults) {
      const r = f.rule;
      if (r.method !== "*" && r.method.toUpperCase() !== method) continue;
      if (r.route !== "*" && r.route !== route) continue;
      if (f.take()) out.push(r.effect);
    }
    return out;
  }
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
  "If you reach out to GitHub Support for help, please include the request ID";

const STATUS_MESSAGES: Record<number, string> = {
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Validation Failed",
  500: "Server Error",
  502: "Server Error",
  503: "Service Unavailable",
  504: "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.",
};

/** The answer a fault gives in place of handling the request; undefined for delay and apply-then-502. */
export function faultReply(effect: FaultEffect, docUrl: string): Reply | undefined {
  const now = Math.floor(Date.now() / 1000);
  switch (effect.kind) {
    case "status":
      return {
        status: effect.status,
        body: errorBody(effect.status, effect.message ?? STATUS_MESSAGES[effect.status] ?? "Error", docUrl),
      };
    case "secondary-rate-limit": {
      const headers: Record<string, string> = {};
      if (effect.retryAfter !== undefined) headers["retry-after"] = String(effect.retryAfter);
      else if (effect.resetInSeconds !== undefined) {
        headers["x-ratelimit-remaining"] = "0";
        headers["x-ratelimit-reset"] = String(now + effect.resetInSeconds);
      }
      const requestId = randomBytes(8).toString("hex").toUpperCase();
      const status = effect.status ?? 403;
      return {
        status,
        headers,
        body: errorBody(
          status,
          `${SECONDARY_RATE_LIMIT_MESSAGE} ${requestId}.`,
          "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        ),
      };
    }
    case "rate-limit":
      return {
        status: 403,
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now + effect.resetInSeconds) },
        body: errorBody(
          403,
          "API rate limit exceeded for installation ID 1.",
          "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        ),
      };
    default:
      return undefined;
  }
}
