/**
 * What a GitHub token can do for mlci, asked of the API without writing anything:
 * GET /repos/{owner}/{repo} (can it see the repository; its `permissions` for a person's token;
 * `x-oauth-scopes` for a classic token), then GET /user, which installation tokens (GITHUB_TOKEN,
 * GitHub App tokens) are refused: that refusal is expected, not a failure.
 */
import { createOctokit, isRequestError } from "@mlci/github";
import { check, type DoctorCheck } from "./types";

export type TokenKind = "installation" | "classic" | "fine-grained" | "oauth" | "user-to-server" | "unknown";

/** GitHub's documented token prefixes. */
export function tokenKind(token: string): TokenKind {
  if (token.startsWith("ghs_")) return "installation";
  if (token.startsWith("ghp_")) return "classic";
  if (token.startsWith("github_pat_")) return "fine-grained";
  if (token.startsWith("gho_")) return "oauth";
  if (token.startsWith("ghu_")) return "user-to-server";
  return "unknown";
}

const KIND_TEXT: Record<TokenKind, string> = {
  installation: "installation token (GITHUB_TOKEN or a GitHub App)",
  classic: "classic personal access token",
  "fine-grained": "fine-grained personal access token",
  oauth: "OAuth token",
  "user-to-server": "GitHub App user token",
  unknown: "token",
};

/** `owner/name` from a remote URL (`https://host/owner/name.git`, `git@host:owner/name.git`). */
export function repoFromRemote(url: string): string | undefined {
  const m = /[/:]([^/:\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? `${m[1]}/${m[2]}` : undefined;
}

export interface RepoAnswer {
  headers: Record<string, string | number | undefined>;
  data: { full_name?: string; private?: boolean; permissions?: Record<string, boolean> };
}

/** The verdict on a token from the repository answer: pure, so each case is testable. */
export function judgeRepoAccess(
  kind: TokenKind,
  answer: RepoAnswer,
  login?: string,
): Omit<DoctorCheck, "id" | "label"> {
  const parts: string[] = [
    `${answer.data.full_name ?? "repository"} (${answer.data.private ? "private" : "public"})`,
  ];
  parts.push(login ? `${KIND_TEXT[kind]} of ${login}` : KIND_TEXT[kind]);
  const scopesHeader = answer.headers["x-oauth-scopes"];
  const remaining = answer.headers["x-ratelimit-remaining"];
  const limit = answer.headers["x-ratelimit-limit"];
  let warning: string | undefined;
  if (scopesHeader !== undefined) {
    const scopes = String(scopesHeader)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    parts.push(scopes.length ? `scopes ${scopes.join(", ")}` : "no scopes");
    const canWrite = scopes.includes("repo") || (!answer.data.private && scopes.includes("public_repo"));
    if (!canWrite)
      warning = `without the \`${answer.data.private ? "repo" : "public_repo"}\` scope mlci cannot comment, tag or create check runs`;
  }
  const perms = answer.data.permissions;
  if (perms) {
    parts.push(perms.push ? "can write" : "read-only");
    if (!perms.push) warning ??= "read-only: mlci cannot comment, tag or create check runs with it";
  } else if (kind === "installation") {
    parts.push("its permissions are the job's `permissions:`");
  }
  if (remaining !== undefined && limit !== undefined)
    parts.push(`${remaining}/${limit} requests left this hour`);
  const detail = parts.join(", ");
  return warning ? { status: "warn", detail, hint: warning } : { status: "ok", detail };
}

export interface TokenCheckOptions {
  token?: string;
  /** `owner/name`. */
  repo?: string;
  /** GITHUB_API_URL; default https://api.github.com. */
  apiUrl?: string;
  fetch?: typeof globalThis.fetch;
}

export async function checkToken(options: TokenCheckOptions): Promise<DoctorCheck> {
  const { token, repo } = options;
  if (!token)
    return check("token", "token", "skip", "no token: set GITHUB_TOKEN or pass --token to check one");
  if (!repo || !/^[^/\s]+\/[^/\s]+$/.test(repo)) {
    return check(
      "token",
      "token",
      "warn",
      "no repository to check the token against",
      "pass --repo owner/name, set GITHUB_REPOSITORY, or add an `origin` remote",
    );
  }
  const [owner, name] = repo.split("/") as [string, string];
  const api = (options.apiUrl ?? "https://api.github.com").replace(/\/+$/, "");
  const octokit = createOctokit({
    token,
    baseUrl: api,
    retries: 0,
    maxRateLimitWaitSeconds: 0,
    log: { warn: () => {}, error: () => {} },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const kind = tokenKind(token);
  let answer: RepoAnswer;
  try {
    const res = await octokit.request("GET /repos/{owner}/{repo}", { owner, repo: name });
    answer = { headers: res.headers as RepoAnswer["headers"], data: res.data as RepoAnswer["data"] };
  } catch (err) {
    return check("token", "token", "fail", ...refusal(err, repo, api));
  }
  let login: string | undefined;
  if (kind !== "installation") {
    try {
      login = (await octokit.request("GET /user")).data.login;
    } catch {
      // GitHub refuses /user to installation tokens whatever their prefix: not a problem for mlci.
    }
  }
  const verdict = judgeRepoAccess(kind, answer, login);
  return { id: "token", label: "token", ...verdict };
}

function refusal(err: unknown, repo: string, api: string): [string, string] {
  if (!isRequestError(err)) {
    return [
      `cannot reach ${api}: ${(err as Error).message}`,
      "check the network, or GITHUB_API_URL / --api-url for GitHub Enterprise Server",
    ];
  }
  const needs = err.response?.headers?.["x-accepted-github-permissions"];
  const message = err.message.replace(/ - https:\/\/\S+$/, "");
  switch (err.status) {
    case 401:
      return [`GitHub refused the token (401 ${message})`, "the token is wrong, expired or revoked"];
    case 404:
      return [
        `${repo} not found, or the token cannot see it`,
        "for a private repository the token needs access to it (`repo` scope, or the repository selected for a fine-grained token or App)",
      ];
    default:
      return [
        `GitHub answered ${err.status} to GET /repos/${repo}: ${message}`,
        needs ? `the endpoint needs ${String(needs)}` : "see the message above",
      ];
  }
}
