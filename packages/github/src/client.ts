import { MlciError } from "@mlci/common";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";
import { type RateLimitKind, rateLimitWait } from "./rate-limit";

/** The Octokit the helpers of this package take. */
export type GitHubClient = Octokit;

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RateLimitEvent {
  kind: RateLimitKind;
  /** How long we are about to wait. */
  waitMs: number;
  /** Retry number about to happen (1-based). */
  attempt: number;
  method: string;
  /** The endpoint's path, without the host (never a token). */
  path: string;
}

export interface CreateOctokitOptions {
  token: string;
  /** GITHUB_API_URL; default https://api.github.com. */
  baseUrl?: string;
  fetch?: typeof globalThis.fetch;
  userAgent?: string;
  log?: Partial<Logger>;
  /** Retries for 5xx answers, network errors and rate limits (default 3). */
  retries?: number;
  /** Told before each wait for a rate limit; return false to give up instead of waiting. */
  onRateLimit?: (event: RateLimitEvent) => boolean | undefined;
  /** Longest rate-limit wait we accept before failing instead (default 300 s). */
  maxRateLimitWaitSeconds?: number;
}

const VERSION = "0.1.0";

/**
 * Creates that would duplicate something if a request that GitHub stored but answered 5xx were
 * sent again. The retry plugin leaves them alone; the helpers that make them (sticky comments,
 * check runs) look before they retry. A caller may still opt in with `request: { retries: n }`.
 */
const NON_IDEMPOTENT: Array<[method: string, path: RegExp]> = [
  ["POST", /\/repos\/[^/]+\/[^/]+\/issues\/[^/]+\/comments$/],
  ["POST", /\/repos\/[^/]+\/[^/]+\/commits\/[^/]+\/comments$/],
  ["POST", /\/repos\/[^/]+\/[^/]+\/check-runs$/],
  ["POST", /\/repos\/[^/]+\/[^/]+\/deployments$/],
  ["POST", /\/repos\/[^/]+\/[^/]+\/deployments\/[^/]+\/statuses$/],
  ["POST", /\/repos\/[^/]+\/[^/]+\/actions\/workflows\/[^/]+\/dispatches$/],
  ["POST", /\/repos\/[^/]+\/[^/]+\/dispatches$/],
];

/** A route template or full URL, reduced to its path. */
export function pathOf(url: string): string {
  return url.replace(/^[a-z]+:\/\/[^/]+/i, "").split("?")[0] ?? "";
}

function isNonIdempotent(method: string, path: string, params: Record<string, unknown>): boolean {
  // A check-run update appends its annotations: sent twice, they would be there twice.
  if (method === "PATCH" && /\/check-runs\/[^/]+$/.test(path)) {
    const output = params.output as { annotations?: unknown[] } | undefined;
    return (output?.annotations?.length ?? 0) > 0;
  }
  return NON_IDEMPOTENT.some(([m, re]) => m === method && re.test(path));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Octokit with retries (5xx, network errors) and throttling (write pacing), plus rate-limit
 * handling that follows GitHub's guidance. Tokens never reach the log: only methods and paths do.
 */
export function createOctokit(options: CreateOctokitOptions): GitHubClient {
  if (!options.token) {
    throw new MlciError("INPUT", "No GitHub token was given", {
      hint: "pass `github-token` (the workflow's GITHUB_TOKEN works) or set GITHUB_TOKEN for the CLI",
    });
  }
  const retries = options.retries ?? 3;
  const maxWaitMs = (options.maxRateLimitWaitSeconds ?? 300) * 1000;
  const baseUrl = (options.baseUrl ?? "https://api.github.com").replace(/\/+$/, "");
  const log: Logger = {
    debug: options.log?.debug ?? (() => {}),
    info: options.log?.info ?? (() => {}),
    warn: options.log?.warn ?? ((m) => console.warn(m)),
    error: options.log?.error ?? ((m) => console.error(m)),
  };
  const userFetch = options.fetch;
  // Resolved per call, so a fetch patched after construction (as nock does) is honoured.
  const loggingFetch: typeof globalThis.fetch = async (input, init) => {
    const res = await (userFetch ?? globalThis.fetch)(input, init);
    if (res.status >= 500) {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      log.warn(`GitHub answered ${res.status} to ${init?.method ?? "GET"} ${pathOf(url)}`);
    }
    return res;
  };

  // Octokit logs `debug("request", options)` with the headers (the token) as a second argument,
  // and every failed request at error level, though callers often expect a 404. Only the first
  // argument goes on, and request failures become debug lines: callers report what matters.
  const octokitLog = {
    debug: (m: unknown) => log.debug(String(m)),
    info: (m: unknown) => log.debug(String(m)),
    warn: (m: unknown) => log.warn(String(m)),
    error: (m: unknown) => log.debug(String(m)),
  };
  const MlciOctokit = Octokit.plugin(retry, throttling);
  const octokit = new MlciOctokit({
    auth: options.token,
    baseUrl,
    userAgent: options.userAgent ?? `mlci/${VERSION}`,
    log: octokitLog,
    request: { fetch: loggingFetch },
    retry: { retries, doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451] },
    throttle: {
      // Write pacing is kept per API server; rate limits are handled below, not by the plugin,
      // because its secondary-limit wait ignores x-ratelimit-reset.
      id: baseUrl,
      onRateLimit: () => false,
      onSecondaryRateLimit: () => false,
    },
  });

  octokit.hook.wrap("request", async (request, opts) => {
    const method = String(opts.method).toUpperCase();
    if (isNonIdempotent(method, pathOf(String(opts.url)), opts as Record<string, unknown>)) {
      opts.request = { ...opts.request, retries: opts.request?.retries ?? 0 };
    }
    return request(opts);
  });

  octokit.hook.wrap("request", async (request, opts) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(opts);
      } catch (err) {
        const wait = rateLimitWait(err as Parameters<typeof rateLimitWait>[0], attempt, Date.now());
        if (!wait || attempt > retries || wait.ms > maxWaitMs) throw err;
        const event: RateLimitEvent = {
          kind: wait.kind,
          waitMs: wait.ms,
          attempt,
          method: String(opts.method).toUpperCase(),
          path: pathOf(String(opts.url)),
        };
        if (options.onRateLimit?.(event) === false) throw err;
        log.warn(
          `GitHub ${wait.kind} rate limit on ${event.method} ${event.path}: waiting ${Math.ceil(wait.ms / 1000)} s (retry ${attempt} of ${retries})`,
        );
        await sleep(wait.ms);
      }
    }
  });

  return octokit;
}
