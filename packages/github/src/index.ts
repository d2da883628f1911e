export {
  ANNOTATIONS_PER_REQUEST,
  CHECK_OUTPUT_LIMIT,
  type CheckAnnotation,
  type CheckConclusion,
  type CheckOutput,
  type CheckRunResult,
  type CheckStatus,
  type CreateCheckRunOptions,
  createCheckRun,
  truncateForCheckRun,
  type UpdateCheckRunOptions,
  updateCheckRun,
} from "./check-run";
export {
  type CreateOctokitOptions,
  createOctokit,
  type GitHubClient,
  type Logger,
  type RateLimitEvent,
} from "./client";
export { type ContextInput, type EventContext, parseEventContext, type WorkflowRunInfo } from "./context";
export {
  isForkPermissionError,
  isNotFound,
  isRateLimitError,
  isRequestError,
  isServerError,
  type RequestErrorLike,
  statusOf,
  toApiError,
} from "./errors";
export { type RateLimitKind, type RateLimitWait, rateLimitWait } from "./rate-limit";
export { type CreateRefOptions, type CreateRefResult, createRef, listMatchingRefs } from "./refs";
export {
  BOT_LOGIN,
  COMMENT_LIMIT,
  type CommitCommentOptions,
  type StickyCommentOptions,
  type StickyResult,
  type StickyTarget,
  stickyMarker,
  upsertCommitComment,
  upsertStickyComment,
} from "./sticky-comment";
