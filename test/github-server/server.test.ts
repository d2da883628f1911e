import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "./index";
import { call, linkPages } from "./test-client";

const REPO = "octo-org/models";
const COMMENTS = `/repos/${REPO}/issues/1/comments`;
const COMMENTS_ROUTE = "/repos/{owner}/{repo}/issues/{issue_number}/comments";

let server: GitHubTestServer;

beforeEach(async () => {
  server = await startGitHubServer();
  server.state.addRepo(REPO);
  server.state.addPullRequest(REPO, { head: "feature", title: "Better model" });
});

afterEach(async () => {
  await server.close();
});

describe("routing", () => {
  it("answers 404 like GitHub for an unknown route and for a wrong method", async () => {
    const unknown = await call(server, "GET", "/repos/octo-org/models/no-such-thing");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest",
      status: "404",
    });
    const wrongMethod = await call(server, "PUT", COMMENTS, { body: { body: "x" } });
    expect(wrongMethod.status).toBe(404);
    expect(server.calls.at(-1)?.route).toBeNull();
  });

  it("answers 404 for a missing repository or issue and for a path id that is not a number", async () => {
    expect((await call(server, "GET", "/repos/octo-org/nope")).status).toBe(404);
    expect((await call(server, "GET", `/repos/${REPO}/issues/99/comments`)).status).toBe(404);
    expect((await call(server, "GET", `/repos/${REPO}/issues/comments/abc`)).status).toBe(404);
  });

  it("answers 501 with the operation's name for a route GitHub has but the server does not implement", async () => {
    const res = await call(server, "GET", `/repos/${REPO}/contents/README.md`);
    expect(res.status).toBe(501);
    expect(res.json.message).toContain("repos/get-content");
  });

  it("matches git refs that contain slashes and prefers literal routes over multi-segment ones", async () => {
    server.state.addBranch(REPO, "feature/deep/branch");
    const ref = await call(server, "GET", `/repos/${REPO}/git/ref/heads/feature/deep/branch`);
    expect(ref.status).toBe(200);
    expect(ref.json.ref).toBe("refs/heads/feature/deep/branch");
    const sha = server.state.repo(REPO).refs.get("refs/heads/main") ?? "";
    expect((await call(server, "GET", `/repos/${REPO}/commits/${sha}/comments`)).json).toEqual([]);
    expect(server.calls.at(-1)?.operationId).toBe("repos/list-comments-for-commit");
  });

  it("leaves room for GraphQL with a clear 501", async () => {
    const res = await call(server, "POST", "/graphql", { body: { query: "{ viewer { login } }" } });
    expect(res.status).toBe(501);
    expect(res.json.message).toMatch(/GraphQL is not implemented/);
  });
});

describe("request validation", () => {
  it("rejects a body that breaks the operation's schema with GitHub's 422", async () => {
    const wrongType = await call(server, "POST", COMMENTS, { body: { body: 123 } });
    expect(wrongType.status).toBe(422);
    expect(wrongType.json.message).toBe("Invalid request.\n\nFor 'properties/body', 123 is not a string.");
    const missing = await call(server, "POST", COMMENTS, { body: {} });
    expect(missing.json.message).toBe(`Invalid request.\n\n"body" wasn't supplied.`);
    const badEnum = await call(server, "POST", `/repos/${REPO}/check-runs`, {
      body: { name: "x", head_sha: "a".repeat(40), status: "done" },
    });
    expect(badEnum.status).toBe(422);
    expect(badEnum.json.message).toContain(`"done" is not a member of`);
    expect(server.state.issueComments(REPO, 1)).toHaveLength(0);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const res = await call(server, "POST", COMMENTS, { rawBody: "{not json" });
    expect(res.status).toBe(400);
    expect(res.json.message).toBe("Problems parsing JSON");
  });

  it("limits comment bodies to 65,536 characters (422 Body is too long), on create and update", async () => {
    const max = await call(server, "POST", COMMENTS, { body: { body: "x".repeat(65536) } });
    expect(max.status).toBe(201);
    const over = await call(server, "POST", COMMENTS, { body: { body: "x".repeat(65537) } });
    expect(over.status).toBe(422);
    expect(over.json.errors[0].message).toBe("Body is too long (maximum is 65536 characters)");
    const patch = await call(server, "PATCH", `/repos/${REPO}/issues/comments/${max.json.id}`, {
      body: { body: "y".repeat(70000) },
    });
    expect(patch.status).toBe(422);
    const sha = server.state.repo(REPO).refs.get("refs/heads/main");
    const commit = await call(server, "POST", `/repos/${REPO}/commits/${sha}/comments`, {
      body: { body: "z".repeat(65537) },
    });
    expect(commit.status).toBe(422);
  });

  it("limits check run output to 65,535 characters and 50 annotations per request", async () => {
    const head_sha = server.state.repo(REPO).refs.get("refs/heads/main");
    const post = (output: object) =>
      call(server, "POST", `/repos/${REPO}/check-runs`, { body: { name: "mlci", head_sha, output } });
    const long = await post({ title: "t", summary: "s".repeat(65536) });
    expect(long.status).toBe(422);
    expect(long.json.message).toBe(
      "Invalid request.\n\nOnly 65535 characters are allowed; 65536 were supplied.",
    );
    const text = await post({ title: "t", summary: "ok", text: "s".repeat(65536) });
    expect(text.status).toBe(422);
    const bytes = await post({ title: "t", summary: "é".repeat(40000) });
    expect(bytes.status).toBe(422);
    expect(bytes.json.errors[0].message).toBe("summary exceeds a maximum bytesize of 65535");
    const annotation = {
      path: "a.py",
      start_line: 1,
      end_line: 1,
      annotation_level: "warning",
      message: "m",
    };
    const many = await post({ title: "t", summary: "s", annotations: Array(51).fill(annotation) });
    expect(many.json.message).toBe(
      "Invalid request.\n\nNo more than 50 items are allowed; 51 were supplied.",
    );
    expect((await post({ title: "t", summary: "s", annotations: Array(50).fill(annotation) })).status).toBe(
      201,
    );
  });
});

describe("pagination", () => {
  beforeEach(() => {
    for (let i = 1; i <= 150; i++) server.state.addIssueComment(REPO, 1, { body: `comment ${i}` });
  });

  it("pages 30 by default with Link rel next and last", async () => {
    const first = await call(server, "GET", COMMENTS);
    expect(first.json).toHaveLength(30);
    expect(first.json[0].body).toBe("comment 1");
    expect(linkPages(first.headers.get("link"))).toEqual({ next: 2, last: 5 });
    const middle = await call(server, "GET", `${COMMENTS}?page=3`);
    expect(middle.json[0].body).toBe("comment 61");
    expect(linkPages(middle.headers.get("link"))).toEqual({ prev: 2, next: 4, last: 5, first: 1 });
  });

  it("honours per_page up to 100, keeps it in the links, and ends with prev and first", async () => {
    const first = await call(server, "GET", `${COMMENTS}?per_page=100`);
    expect(first.json).toHaveLength(100);
    const link = first.headers.get("link") ?? "";
    expect(link).toContain("per_page=100");
    expect(link.startsWith(`<${server.url}${COMMENTS}?`)).toBe(true);
    const last = await call(server, "GET", `${COMMENTS}?per_page=100&page=2`);
    expect(last.json).toHaveLength(50);
    expect(last.json.at(-1).body).toBe("comment 150");
    expect(linkPages(last.headers.get("link"))).toEqual({ prev: 1, first: 1 });
    expect((await call(server, "GET", `${COMMENTS}?per_page=500`)).json).toHaveLength(100);
    const beyond = await call(server, "GET", `${COMMENTS}?per_page=100&page=3`);
    expect(beyond.json).toEqual([]);
  });
});

describe("git refs", () => {
  it("creates a ref atomically: of 20 concurrent creates exactly one wins", async () => {
    const sha = server.state.repo(REPO).refs.get("refs/heads/main");
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(server, "POST", `/repos/${REPO}/git/refs`, { body: { ref: "refs/tags/model@v1.0.0", sha } }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const losers = results.filter((r) => r.status === 422);
    expect(losers).toHaveLength(19);
    expect(losers[0]?.json.message).toBe("Reference already exists");
  });
});

describe("identities and tokens", () => {
  it("writes comments as github-actions[bot] for GITHUB_TOKEN, with id, html_url and timestamps", async () => {
    const res = await call(server, "POST", COMMENTS, { body: { body: "hello" } });
    expect(res.status).toBe(201);
    expect(res.json.user).toMatchObject({ login: "github-actions[bot]", type: "Bot" });
    expect(res.json.html_url).toBe(`https://github.com/${REPO}/pull/1#issuecomment-${res.json.id}`);
    expect(res.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("refuses GET /user to the installation token and answers it for a personal token", async () => {
    const bot = await call(server, "GET", "/user");
    expect(bot.status).toBe(403);
    expect(bot.json.message).toBe("Resource not accessible by integration");
    const user = await call(server, "GET", "/user", { token: server.tokens.user });
    expect(user.json).toMatchObject({ login: "octo-user", type: "User" });
  });

  it("gives a read-only token 403 on writes but lets it read; an unknown token gets 401", async () => {
    const write = await call(server, "POST", COMMENTS, {
      token: server.tokens.readOnly,
      body: { body: "x" },
    });
    expect(write.status).toBe(403);
    expect(write.json.message).toBe("Resource not accessible by integration");
    expect((await call(server, "GET", COMMENTS, { token: server.tokens.readOnly })).status).toBe(200);
    expect((await call(server, "GET", COMMENTS, { token: "ghp_nope" })).status).toBe(401);
    expect((await call(server, "POST", COMMENTS, { token: null, body: { body: "x" } })).status).toBe(401);
  });

  it("lets a test register its own identities", async () => {
    server.tokens.add("ghs_app", { login: "mlci-app[bot]", kind: "installation" });
    const res = await call(server, "POST", COMMENTS, { token: "ghs_app", body: { body: "x" } });
    expect(res.json.user.login).toBe("mlci-app[bot]");
  });
});

describe("call recording", () => {
  it("records method, route, query, redacted headers, identity, body and status", async () => {
    await call(server, "POST", COMMENTS, { body: { body: "hi" } });
    await call(server, "GET", `${COMMENTS}?per_page=5`);
    const [post, get] = server.calls;
    expect(post).toMatchObject({
      method: "POST",
      path: COMMENTS,
      route: COMMENTS_ROUTE,
      operationId: "issues/create-comment",
      login: "github-actions[bot]",
      body: { body: "hi" },
      status: 201,
    });
    expect(post?.headers.authorization).toBe("token ***");
    expect(JSON.stringify(server.calls)).not.toContain(server.tokens.actions);
    expect(get?.query).toEqual({ per_page: "5" });
    expect(server.callsTo("GET", COMMENTS_ROUTE)).toHaveLength(1);
  });
});
