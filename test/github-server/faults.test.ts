import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "./index";
import { call } from "./test-client";

const REPO = "octo-org/models";
const COMMENTS = `/repos/${REPO}/issues/1/comments`;
const ROUTE = "/repos/{owner}/{repo}/issues/{issue_number}/comments";

let server: GitHubTestServer;

beforeEach(async () => {
  server = await startGitHubServer();
  server.state.addRepo(REPO);
  server.state.addIssue(REPO, { title: "Tracking" });
});

afterEach(async () => {
  await server.close();
});

describe("faults", () => {
  it("answers a status with GitHub's error body, `times` times, then behaves again", async () => {
    const fault = server.fault({
      method: "GET",
      route: ROUTE,
      times: 2,
      effect: { kind: "status", status: 503 },
    });
    const a = await call(server, "GET", COMMENTS);
    expect(a.status).toBe(503);
    expect(a.json).toMatchObject({ message: "Service Unavailable", status: "503" });
    expect(a.json.documentation_url).toContain("docs.github.com");
    expect((await call(server, "GET", COMMENTS)).status).toBe(503);
    expect((await call(server, "GET", COMMENTS)).status).toBe(200);
    expect(fault.fired).toBe(2);
    expect(fault.seen).toBe(3);
  });

  it("fires on the nth matching call only, and only for its method and route", async () => {
    server.fault({ method: "POST", route: ROUTE, nth: 2, effect: { kind: "status", status: 500 } });
    expect((await call(server, "GET", COMMENTS)).status).toBe(200);
    expect((await call(server, "POST", COMMENTS, { body: { body: "1" } })).status).toBe(201);
    expect((await call(server, "POST", COMMENTS, { body: { body: "2" } })).status).toBe(500);
    expect((await call(server, "POST", COMMENTS, { body: { body: "3" } })).status).toBe(201);
    expect(server.state.issueComments(REPO, 1).map((c) => c.body)).toEqual(["1", "3"]);
  });

  it("answers 403 and 404 with a chosen message, and stops once removed", async () => {
    const f = server.fault({
      method: "*",
      route: "*",
      effect: { kind: "status", status: 403, message: "Resource not accessible by integration" },
    });
    const res = await call(server, "GET", `/repos/${REPO}`);
    expect(res.status).toBe(403);
    expect(res.json.message).toBe("Resource not accessible by integration");
    f.remove();
    server.fault({ method: "GET", route: "/repos/{owner}/{repo}", effect: { kind: "status", status: 404 } });
    expect((await call(server, "GET", `/repos/${REPO}`)).status).toBe(404);
    server.clearFaults();
    expect((await call(server, "GET", `/repos/${REPO}`)).status).toBe(200);
  });

  it("applies the write and then answers 502", async () => {
    server.fault({ method: "POST", route: ROUTE, times: 1, effect: { kind: "apply-then-502" } });
    const res = await call(server, "POST", COMMENTS, { body: { body: "stored anyway" } });
    expect(res.status).toBe(502);
    expect(res.json.message).toBe("Server Error");
    expect(server.state.issueComments(REPO, 1).map((c) => c.body)).toEqual(["stored anyway"]);
  });

  it("answers a secondary rate limit with retry-after and GitHub's message", async () => {
    server.fault({
      method: "POST",
      route: ROUTE,
      times: 1,
      effect: { kind: "secondary-rate-limit", retryAfter: 7 },
    });
    const res = await call(server, "POST", COMMENTS, { body: { body: "x" } });
    expect(res.status).toBe(403);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.json.message).toMatch(/^You have exceeded a secondary rate limit/);
    expect(server.state.issueComments(REPO, 1)).toHaveLength(0);
  });

  it("can send a secondary rate limit as 429 with x-ratelimit-reset instead of retry-after", async () => {
    server.fault({
      method: "POST",
      route: ROUTE,
      effect: { kind: "secondary-rate-limit", resetInSeconds: 30, status: 429 },
    });
    const res = await call(server, "POST", COMMENTS, { body: { body: "x" } });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBeNull();
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
    const reset = Number(res.headers.get("x-ratelimit-reset"));
    expect(reset - Date.now() / 1000).toBeGreaterThan(25);
  });

  it("answers the primary rate limit", async () => {
    server.fault({ method: "GET", route: ROUTE, effect: { kind: "rate-limit", resetInSeconds: 60 } });
    const res = await call(server, "GET", COMMENTS);
    expect(res.status).toBe(403);
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(res.json.message).toMatch(/API rate limit exceeded/);
  });

  it("answers slowly, then normally", async () => {
    server.fault({ method: "GET", route: ROUTE, times: 1, effect: { kind: "delay", ms: 300 } });
    const started = Date.now();
    const res = await call(server, "GET", COMMENTS);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(res.status).toBe(200);
  });

  it("enforces the token's hourly rate limit with GitHub's headers", async () => {
    server.tokens.add("ghs_tiny", { login: "github-actions[bot]", kind: "installation", rateLimit: 2 });
    const first = await call(server, "GET", COMMENTS, { token: "ghs_tiny" });
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    await call(server, "GET", COMMENTS, { token: "ghs_tiny" });
    const third = await call(server, "GET", COMMENTS, { token: "ghs_tiny" });
    expect(third.status).toBe(403);
    expect(third.headers.get("x-ratelimit-remaining")).toBe("0");
  });
});
