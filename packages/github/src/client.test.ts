import { MlciError } from "@mlci/common";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOctokit, type RateLimitEvent } from "./client";
import { isForkPermissionError, statusOf } from "./errors";

const TOKEN = "ghs_secretTokenThatMustNeverBeLogged0001";
let hostCounter = 0;

/** A fresh API host per test: the throttling plugin paces writes per host, across instances. */
function setup(
  options: {
    retries?: number;
    maxRateLimitWaitSeconds?: number;
    onRateLimit?: (e: RateLimitEvent) => boolean | undefined;
  } = {},
) {
  const baseUrl = `https://api-${++hostCounter}.github.test`;
  const logs: string[] = [];
  // Everything a logger is handed, not just the message: nothing may carry the token.
  const log = (...args: unknown[]) => {
    logs.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
  };
  const octokit = createOctokit({
    token: TOKEN,
    baseUrl,
    log: { debug: log, info: log, warn: log, error: log },
    ...options,
  });
  return { octokit, logs, api: nock(baseUrl) };
}

const secondary = {
  message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
  documentation_url:
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
};

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

afterAll(() => {
  nock.enableNetConnect();
});

describe("createOctokit", () => {
  it("retries a 5xx answer and returns the success, sending the token but never logging it", async () => {
    const { octokit, logs, api } = setup();
    // The token goes to GitHub (nock only matches with it) but never into the log.
    api
      .get("/repos/o/r")
      .matchHeader("authorization", `token ${TOKEN}`)
      .reply(502, { message: "Server Error" })
      .get("/repos/o/r")
      .matchHeader("authorization", `token ${TOKEN}`)
      .reply(200, { full_name: "o/r" });
    const started = Date.now();
    const res = await octokit.rest.repos.get({ owner: "o", repo: "r" });
    expect(res.data.full_name).toBe("o/r");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(logs.join("\n")).toContain("502");
    expect(logs.join("\n")).not.toContain(TOKEN);
    expect(api.isDone()).toBe(true);
  });

  it("gives up after `retries` and surfaces the last error", async () => {
    const { octokit, api } = setup({ retries: 1 });
    let calls = 0;
    api
      .get("/repos/o/r")
      .times(3)
      .reply(() => {
        calls++;
        return [503, { message: "Service Unavailable" }];
      });
    const err = await octokit.rest.repos.get({ owner: "o", repo: "r" }).catch((e: unknown) => e);
    expect(statusOf(err)).toBe(503);
    expect(calls).toBe(2);
  });

  it("honours retry-after on a secondary rate limit, then sends the request again", async () => {
    const events: RateLimitEvent[] = [];
    const { octokit, api } = setup({ onRateLimit: (e) => void events.push(e) });
    api
      .post("/repos/o/r/issues/1/comments")
      .reply(403, secondary, { "retry-after": "1" })
      .post("/repos/o/r/issues/1/comments")
      .reply(201, { id: 7 });
    const started = Date.now();
    const res = await octokit.rest.issues.createComment({
      owner: "o",
      repo: "r",
      issue_number: 1,
      body: "x",
    });
    expect(res.data.id).toBe(7);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(events).toEqual([
      {
        kind: "secondary",
        waitMs: 1000,
        attempt: 1,
        method: "POST",
        path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      },
    ]);
  });

  it("waits for x-ratelimit-reset when the primary limit is exhausted", async () => {
    const events: RateLimitEvent[] = [];
    const { octokit, api } = setup({ onRateLimit: (e) => void events.push(e) });
    const reset = Math.floor(Date.now() / 1000) + 1;
    api
      .get("/repos/o/r")
      .reply(
        403,
        { message: "API rate limit exceeded for installation ID 1." },
        { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      )
      .get("/repos/o/r")
      .reply(200, { full_name: "o/r" });
    const res = await octokit.rest.repos.get({ owner: "o", repo: "r" });
    expect(res.status).toBe(200);
    expect(events[0]?.kind).toBe("primary");
    expect(Date.now()).toBeGreaterThanOrEqual(reset * 1000);
  });

  it("fails at once when the wait is longer than allowed or the caller declines", async () => {
    const long = setup({ maxRateLimitWaitSeconds: 5 });
    long.api.get("/repos/o/r").reply(403, secondary, { "retry-after": "3600" });
    const started = Date.now();
    expect(
      statusOf(await long.octokit.rest.repos.get({ owner: "o", repo: "r" }).catch((e: unknown) => e)),
    ).toBe(403);
    expect(Date.now() - started).toBeLessThan(1000);
    const declined = setup({ onRateLimit: () => false });
    declined.api.get("/repos/o/r").reply(429, secondary, { "retry-after": "1" });
    expect(
      statusOf(await declined.octokit.rest.repos.get({ owner: "o", repo: "r" }).catch((e: unknown) => e)),
    ).toBe(429);
  });

  it("does not retry a 403 that is not a rate limit", async () => {
    const { octokit, api } = setup();
    api
      .post("/repos/o/r/issues/1/comments")
      .once()
      .reply(403, { message: "Resource not accessible by integration" });
    const err = await octokit.rest.issues
      .createComment({ owner: "o", repo: "r", issue_number: 1, body: "x" })
      .catch((e: unknown) => e);
    expect(isForkPermissionError(err)).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it("does not retry creates that could duplicate, unless the caller asks", async () => {
    const { octokit, api } = setup();
    let posts = 0;
    api
      .post("/repos/o/r/issues/1/comments")
      .times(4)
      .reply(() => {
        posts++;
        return [502, { message: "Server Error" }];
      });
    const err = await octokit.rest.issues
      .createComment({ owner: "o", repo: "r", issue_number: 1, body: "x" })
      .catch((e: unknown) => e);
    expect(statusOf(err)).toBe(502);
    expect(posts).toBe(1);
    await octokit.rest.issues
      .createComment({ owner: "o", repo: "r", issue_number: 1, body: "x", request: { retries: 1 } })
      .catch(() => undefined);
    expect(posts).toBe(3);
  });

  it("refuses an empty token with a usage error", () => {
    expect(() => createOctokit({ token: "" })).toThrow(MlciError);
  });
});
