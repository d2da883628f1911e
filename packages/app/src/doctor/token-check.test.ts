import { describe, expect, it } from "vitest";
import { judgeRepoAccess, repoFromRemote, tokenKind } from "./token-check";

describe("tokenKind", () => {
  it("reads GitHub's token prefixes", () => {
    expect(tokenKind("ghs_abc")).toBe("installation");
    expect(tokenKind("ghp_abc")).toBe("classic");
    expect(tokenKind("github_pat_11AB")).toBe("fine-grained");
    expect(tokenKind("gho_x")).toBe("oauth");
    expect(tokenKind("ghu_x")).toBe("user-to-server");
    expect(tokenKind("v1.0123")).toBe("unknown");
  });
});

describe("repoFromRemote", () => {
  it("finds owner/name in HTTPS and SSH remotes", () => {
    expect(repoFromRemote("https://github.com/octo-org/models.git\n")).toBe("octo-org/models");
    expect(repoFromRemote("git@github.com:octo-org/models.git")).toBe("octo-org/models");
    expect(repoFromRemote("https://ghe.example.com/team/churn")).toBe("team/churn");
    expect(repoFromRemote("/tmp/bare-repo")).toBe("tmp/bare-repo");
    expect(repoFromRemote("nonsense")).toBeUndefined();
  });
});

describe("judgeRepoAccess", () => {
  const rate = { "x-ratelimit-remaining": "990", "x-ratelimit-limit": "1000" };

  it("an installation token: fine, its permissions are the job's", () => {
    const v = judgeRepoAccess("installation", { headers: rate, data: { full_name: "o/r", private: true } });
    expect(v).toEqual({
      status: "ok",
      detail:
        "o/r (private), installation token (GITHUB_TOKEN or a GitHub App), its permissions are the job's `permissions:`, 990/1000 requests left this hour",
    });
  });

  it("a classic token: its scopes, and a warning without repo on a private repository", () => {
    const ok = judgeRepoAccess(
      "classic",
      { headers: { "x-oauth-scopes": "repo, workflow" }, data: { full_name: "o/r", private: true } },
      "octo",
    );
    expect(ok).toMatchObject({
      status: "ok",
      detail: "o/r (private), classic personal access token of octo, scopes repo, workflow",
    });
    const narrow = judgeRepoAccess("classic", {
      headers: { "x-oauth-scopes": "read:org" },
      data: { full_name: "o/r", private: true },
    });
    expect(narrow.status).toBe("warn");
    expect(narrow.hint).toContain("`repo` scope");
    const publicRepo = judgeRepoAccess("classic", {
      headers: { "x-oauth-scopes": "public_repo" },
      data: { full_name: "o/r", private: false },
    });
    expect(publicRepo.status).toBe("ok");
    expect(judgeRepoAccess("classic", { headers: { "x-oauth-scopes": "" }, data: {} }).detail).toContain(
      "no scopes",
    );
  });

  it("a person's token that cannot push: read-only", () => {
    const v = judgeRepoAccess("fine-grained", {
      headers: {},
      data: { full_name: "o/r", permissions: { pull: true, push: false } },
    });
    expect(v.status).toBe("warn");
    expect(v.detail).toContain("read-only");
    const w = judgeRepoAccess("fine-grained", {
      headers: {},
      data: { full_name: "o/r", permissions: { pull: true, push: true } },
    });
    expect(w).toMatchObject({ status: "ok" });
    expect(w.detail).toContain("can write");
  });
});
