/**
 * Who a token is. GitHub tells a workflow's GITHUB_TOKEN (an installation token acting as
 * `github-actions[bot]`) from a person's token, and fork pull requests get a read-only one.
 */
export interface Identity {
  login: string;
  /** `installation` for GITHUB_TOKEN and app tokens (GET /user is refused), `user` for a PAT. */
  kind: "installation" | "user";
  /** Writes answer 403 "Resource not accessible by integration", as with a fork PR's token. */
  readOnly: boolean;
  /** Requests allowed per hour before GitHub's primary rate limit answers 403. */
  rateLimit: number;
}

export const BOT_LOGIN = "github-actions[bot]";

/** Tokens every server knows from the start. */
export const DEFAULT_TOKENS = {
  /** A workflow's GITHUB_TOKEN with write permissions. */
  actions: "ghs_mlciTestActionsToken000000000000001",
  /** The GITHUB_TOKEN of a `pull_request` run from a fork: read-only. */
  readOnly: "ghs_mlciTestForkReadOnlyToken0000000002",
  /** A person's personal access token (login `octo-user`). */
  user: "ghp_mlciTestUserPersonalAccessToken00003",
} as const;

export class TokenRegistry {
  readonly actions: string = DEFAULT_TOKENS.actions;
  readonly readOnly: string = DEFAULT_TOKENS.readOnly;
  readonly user: string = DEFAULT_TOKENS.user;
  private readonly byToken = new Map<string, Identity>();

  constructor() {
    this.add(DEFAULT_TOKENS.actions, { login: BOT_LOGIN, kind: "installation" });
    this.add(DEFAULT_TOKENS.readOnly, { login: BOT_LOGIN, kind: "installation", readOnly: true });
    this.add(DEFAULT_TOKENS.user, { login: "octo-user", kind: "user" });
  }

  /** Register (or replace) a token. */
  add(token: string, identity: Partial<Identity> & Pick<Identity, "login" | "kind">): Identity {
    const full: Identity = {
      readOnly: false,
      rateLimit: identity.kind === "installation" ? 1000 : 5000,
      ...identity,
    };
    this.byToken.set(token, full);
    return full;
  }

  get(token: string): Identity | undefined {
    return this.byToken.get(token);
  }

  identities(): Identity[] {
    return [...new Set(this.byToken.values())];
  }
}

/** The token in an `Authorization: token X` or `Bearer X` header. */
export function tokenFrom(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
  return m?.[1];
}
