export type { Fault, FaultEffect, FaultRule } from "./faults";
export { SECONDARY_RATE_LIMIT_MESSAGE } from "./faults";
export type { GitObject, Signature, TreeEntry } from "./git-store";
export { ApiError, type FieldError, type Reply } from "./http";
export type { Handler, RouteContext } from "./routes/context";
export type { CommitSeed, PullSeed } from "./seed";
export { ServerState } from "./seed";
export {
  type GitHubServerOptions,
  type GitHubTestServer,
  type RecordedCall,
  startGitHubServer,
} from "./server";
export type {
  CheckRunRecord,
  DeploymentRecord,
  Dispatch,
  IssueCommentRecord,
  Json,
  RepoState,
} from "./state";
export { BOT_LOGIN, DEFAULT_TOKENS, type Identity, TokenRegistry } from "./tokens";
