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
  type CreateDeploymentOptions,
  type CreateDeploymentStatusOptions,
  createDeployment,
  createDeploymentStatus,
  DEPLOYMENT_REQUEST_ID_KEY,
  type DeploymentResult,
  type DeploymentState,
  type DeploymentStatusResult,
} from "./deployments";
export { type DispatchWorkflowOptions, dispatchWorkflow } from "./dispatch";
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
export {
  type CreateRefOptions,
  type CreateRefResult,
  type CreateTagObjectOptions,
  createRef,
  createTagObject,
  deleteRef,
  getTagObject,
  listMatchingRefs,
  type MatchingRef,
  type RepoRef,
  type Tagger,
  type TagObject,
} from "./refs";
export {
  type CreateReleaseOptions,
  type CreateReleaseResult,
  createRelease,
  findReleaseByTag,
  RELEASE_BODY_LIMIT,
  type ReleaseInfo,
} from "./releases";
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
