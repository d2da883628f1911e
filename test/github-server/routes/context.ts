import { ApiError, type FieldError, notFound, type Reply, validationFailed } from "../http";
import type { Operation } from "../openapi";
import type { ServerState } from "../seed";
import type { Json, RepoState } from "../state";
import type { Identity } from "../tokens";

/** What a route handler gets: typed params, the validated body and the caller's identity. */
export interface RouteContext {
  state: ServerState;
  op: Operation;
  params: Record<string, string | number>;
  query: Record<string, string | number | boolean>;
  /** Already validated against the operation's schema. */
  body: Json;
  identity: Identity | undefined;
  /** The request's absolute URL (for Link headers). */
  url: URL;
}

/** Handlers are synchronous on purpose: a check-then-write (such as creating a ref) is atomic. */
export type Handler = (ctx: RouteContext) => Reply;

export type HandlerTable = Record<string, Handler>;

export function param(ctx: RouteContext, name: string): string {
  return String(ctx.params[name] ?? "");
}

export function intParam(ctx: RouteContext, name: string): number {
  const v = ctx.params[name];
  return typeof v === "number" ? v : Number(v);
}

/** The repository in the path; 404 when missing, or private and the caller is anonymous. */
export function repoOf(ctx: RouteContext): RepoState {
  const repo = ctx.state.findRepo(param(ctx, "owner"), param(ctx, "repo"));
  if (!repo || (repo.json.private && !ctx.identity)) throw notFound();
  return repo;
}

/** The caller's login; writes need one (GitHub answers 401 without a token). */
export function login(ctx: RouteContext): string {
  if (!ctx.identity) throw new ApiError(401, "Requires authentication");
  return ctx.identity.login;
}

/** Unicode code points, as GitHub (Ruby) counts a string's characters. */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export const COMMENT_BODY_LIMIT = 65536;

export function checkCommentBody(body: unknown, resource: "IssueComment" | "CommitComment"): void {
  if (typeof body === "string" && charCount(body) > COMMENT_BODY_LIMIT) {
    const err: FieldError = {
      resource,
      code: "unprocessable",
      field: "data",
      message: `Body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`,
    };
    throw validationFailed([err]);
  }
}

export function commitOrFail(ctx: RouteContext, repo: RepoState, sha: string): string {
  const found = ctx.state.resolveCommitish(repo, sha);
  if (!found) throw new ApiError(422, `No commit found for SHA: ${sha}`);
  return found;
}
