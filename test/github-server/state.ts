import { GitStore, type Signature } from "./git-store";
import { BOT_LOGIN } from "./tokens";

/**
 * The server's world: users and repositories with their pull requests, comments, check runs,
 * git objects and refs, releases, deployments and dispatches. Records are stored in the JSON
 * shape GitHub answers with, so a test can seed them and inspect exactly what a client saw.
 * Seeding helpers live in seed.ts.
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON records are open-ended on purpose.
export type Json = Record<string, any>;

export interface UserJson extends Json {
  login: string;
  id: number;
  type: "User" | "Bot" | "Organization";
}

export interface RepoJson extends Json {
  id: number;
  name: string;
  full_name: string;
  owner: UserJson;
  private: boolean;
  fork: boolean;
  default_branch: string;
}

export interface IssueCommentRecord {
  issueNumber: number;
  json: Json;
}

export interface CheckRunRecord {
  json: Json;
  annotations: Json[];
}

export interface DeploymentRecord {
  json: Json;
  /** Newest last. */
  statuses: Json[];
}

export interface Dispatch {
  /** `workflow` for POST .../actions/workflows/{id}/dispatches, `repository` for POST .../dispatches. */
  kind: "workflow" | "repository";
  workflowId?: string | number;
  ref?: string;
  inputs?: Json;
  eventType?: string;
  clientPayload?: Json;
  by: string;
  at: string;
}

export interface RepoState {
  json: RepoJson;
  /** Shared by a repository and its forks, as GitHub shares objects across a fork network. */
  git: GitStore;
  /** Full ref name (`refs/heads/main`) to SHA. */
  refs: Map<string, string>;
  /** Issues and pull requests share numbers; every PR also has an issue record. */
  issues: Map<number, Json>;
  pulls: Map<number, Json>;
  issueComments: IssueCommentRecord[];
  commitComments: Json[];
  checkRuns: CheckRunRecord[];
  releases: Json[];
  deployments: DeploymentRecord[];
  dispatches: Dispatch[];
  workflowRuns: Map<number, Json>;
  /** Workflow file names `workflow_dispatch` accepts; undefined accepts any. */
  workflows: string[] | undefined;
  nextNumber: number;
}

export interface StateOptions {
  /** Where `html_url`s point (default https://github.com). */
  webUrl?: string;
  /** The clock for `created_at` and friends (default: the real one). */
  now?: () => Date;
}

export class GitHubState {
  readonly users = new Map<string, UserJson>();
  readonly repos = new Map<string, RepoState>();
  readonly webUrl: string;
  /** Set by the server once it listens; API `url` fields start with it. */
  apiUrl = "http://127.0.0.1";
  private idCounter = 1000;
  private readonly clock: () => Date;

  constructor(options: StateOptions = {}) {
    this.webUrl = (options.webUrl ?? "https://github.com").replace(/\/$/, "");
    this.clock = options.now ?? (() => new Date());
  }

  nextId(): number {
    return ++this.idCounter;
  }

  /** Now, as GitHub writes timestamps: ISO 8601 to the second. */
  now(): string {
    return this.clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
  }

  signature(name: string, email: string): Signature {
    return { name, email, date: this.now() };
  }

  /** The user (or bot) with this login, created on first use. */
  user(login: string, type?: UserJson["type"]): UserJson {
    const key = login.toLowerCase();
    const found = this.users.get(key);
    if (found) return found;
    const id = this.nextId();
    const kind = type ?? (login.endsWith("[bot]") ? "Bot" : "User");
    const slug = login.replace(/\[bot\]$/, "");
    const json: UserJson = {
      login,
      id: login === BOT_LOGIN ? 41898282 : id,
      node_id: `U_${id}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      url: `${this.apiUrl}/users/${encodeURIComponent(login)}`,
      html_url: kind === "Bot" ? `${this.webUrl}/apps/${slug}` : `${this.webUrl}/${login}`,
      type: kind,
      site_admin: false,
    };
    this.users.set(key, json);
    return json;
  }

  findRepo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** The repository `owner/name`; throws (a test bug, not an API answer) when it is missing. */
  repo(fullName: string): RepoState {
    const r = this.repos.get(fullName.toLowerCase());
    if (!r) throw new Error(`test server: no repository ${fullName}; seed it with state.addRepo()`);
    return r;
  }

  /** Create a repository record (seed.ts adds the initial commit). */
  createRepoRecord(
    fullName: string,
    options: { private?: boolean; defaultBranch?: string; forkOf?: RepoState },
  ): RepoState {
    const [ownerLogin, name] = fullName.split("/");
    if (!ownerLogin || !name)
      throw new Error(`test server: repository names look like owner/name, not ${fullName}`);
    const id = this.nextId();
    const owner = this.user(ownerLogin);
    const json: RepoJson = {
      id,
      node_id: `R_${id}`,
      name,
      full_name: fullName,
      owner,
      private: options.private ?? false,
      visibility: options.private ? "private" : "public",
      fork: options.forkOf !== undefined,
      html_url: `${this.webUrl}/${fullName}`,
      url: `${this.apiUrl}/repos/${fullName}`,
      default_branch: options.defaultBranch ?? options.forkOf?.json.default_branch ?? "main",
      created_at: this.now(),
      updated_at: this.now(),
      pushed_at: this.now(),
      ...(options.forkOf ? { parent: options.forkOf.json, source: options.forkOf.json } : {}),
    };
    const repo: RepoState = {
      json,
      git: options.forkOf?.git ?? new GitStore(),
      refs: new Map(),
      issues: new Map(),
      pulls: new Map(),
      issueComments: [],
      commitComments: [],
      checkRuns: [],
      releases: [],
      deployments: [],
      dispatches: [],
      workflowRuns: new Map(),
      workflows: undefined,
      nextNumber: 1,
    };
    this.repos.set(fullName.toLowerCase(), repo);
    return repo;
  }

  /** The comments on an issue or PR, oldest first, as the API lists them. */
  issueComments(fullName: string, issueNumber: number): Json[] {
    return this.repo(fullName)
      .issueComments.filter((c) => c.issueNumber === issueNumber)
      .map((c) => c.json);
  }

  /** A branch, tag, full ref or SHA (full or at least 7 characters) to the commit SHA it names. */
  resolveCommitish(repo: RepoState, name: string): string | undefined {
    const candidates = name.startsWith("refs/")
      ? [name]
      : [
          `refs/heads/${name}`,
          `refs/tags/${name}`,
          ...(name.startsWith("heads/") || name.startsWith("tags/") ? [`refs/${name}`] : []),
        ];
    for (const ref of candidates) {
      const sha = repo.refs.get(ref);
      if (sha) {
        const peeled = repo.git.peel(sha);
        return peeled?.type === "commit" ? peeled.sha : sha;
      }
    }
    if (/^[0-9a-f]{7,40}$/i.test(name)) {
      const lower = name.toLowerCase();
      if (repo.git.get(lower)?.type === "commit") return lower;
      const matches = [...repo.git.objects.values()].filter(
        (o) => o.type === "commit" && o.sha.startsWith(lower),
      );
      if (matches.length === 1) return matches[0]?.sha;
    }
    return undefined;
  }
}
