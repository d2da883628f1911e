import { appendFile, readFile } from "node:fs/promises";
import { MlciError } from "@mlci/common";
import { Git } from "@mlci/git";
import { createOctokit, type EventContext, type GitHubClient, parseEventContext } from "@mlci/github";

/**
 * What every action's entry point reads from the runner: the event, the folders, the job summary.
 * Entry points pass `process.env` in; nothing below reads it on its own.
 */
export interface Runner {
  env: NodeJS.ProcessEnv;
  /** The webhook payload of GITHUB_EVENT_PATH (empty outside a workflow). */
  payload: Record<string, unknown>;
  workspace: string;
  runnerTemp: string;
  gitFor(dir: string): Git;
  /** Appends markdown to the job summary (a no-op outside a workflow). */
  appendSummary(markdown: string): Promise<void>;
  /** The event context; throws when GITHUB_REPOSITORY or GITHUB_EVENT_NAME is missing. */
  event(): EventContext;
  /** An Octokit for the token (retry and throttling), or null without a token. */
  octokit(token: string, log: { info(m: string): void; warning(m: string): void }): GitHubClient | null;
}

export async function readRunner(env: NodeJS.ProcessEnv): Promise<Runner> {
  let payload: Record<string, unknown> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, "utf8")) as Record<string, unknown>;
    } catch (err) {
      throw new MlciError("INPUT", `the event payload cannot be read: ${(err as Error).message}`, {
        location: { file: env.GITHUB_EVENT_PATH },
      });
    }
  }
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  let ctx: EventContext | undefined;
  const event = (): EventContext => {
    ctx ??= parseEventContext({ env, payload });
    return ctx;
  };
  return {
    env,
    payload,
    workspace,
    runnerTemp: env.RUNNER_TEMP ?? workspace,
    gitFor: (dir) => new Git(dir),
    appendSummary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
    },
    event,
    octokit(token, log) {
      if (!token) return null;
      return createOctokit({
        token,
        baseUrl: event().apiUrl,
        log: { warn: log.warning, info: log.info },
      });
    },
  };
}

/** An input that must be one of a few words. */
export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  const v = value.trim();
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new MlciError("INPUT", `input \`${name}\` must be one of ${allowed.join(", ")}, not "${v}"`);
}

const TRUE_WORDS = ["true", "True", "TRUE"];
const FALSE_WORDS = ["false", "False", "FALSE"];

/**
 * A yes/no input, read as YAML 1.2's core schema reads booleans (as `core.getBooleanInput` does),
 * but with an error for the user rather than a TypeError, and with `fallback` (the default in
 * action.yml) when the value is empty, as it is when a workflow passes `${{ inputs.x }}` from an
 * event that has no such input. A fallback of `undefined` makes it a three-way input (empty: not given).
 */
export function booleanInput<F extends boolean | undefined>(
  name: string,
  value: string,
  fallback: F,
): boolean | F {
  const v = value.trim();
  if (v === "") return fallback;
  if (TRUE_WORDS.includes(v)) return true;
  if (FALSE_WORDS.includes(v)) return false;
  throw new MlciError("INPUT", `input \`${name}\` must be true or false, not "${v}"`, {
    hint: "YAML booleans: true, True, TRUE, false, False, FALSE (yes/no and 1/0 are not booleans in YAML 1.2)",
  });
}
