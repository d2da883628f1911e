import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import { TempRepo } from "../helpers/git-repo";
import { webhookExample } from "../helpers/payloads";
import { runAction } from "../helpers/run-action";

const FULL = "octo-org/ml-project";
const TAGS = "/repos/{owner}/{repo}/git/tags";
const REFS = "/repos/{owner}/{repo}/git/refs";
const RELEASES = "/repos/{owner}/{repo}/releases";
const EVIL = "<img src=x onerror=alert(1)>";

let server: GitHubTestServer;
const repos: TempRepo[] = [];

beforeEach(async () => {
  server = await startGitHubServer();
});
afterEach(async () => server.close());
afterAll(() => {
  for (const r of repos) r.remove();
});

const DVC_YAML = `artifacts:
  churn:
    path: models/churn.pkl
    type: model
    desc: Churn classifier
metrics:
  - metrics.json
params:
  - params.yaml
stages:
  train:
    cmd: python train.py
    outs:
      - models/churn.pkl
`;

function lock(hash: string): string {
  return `schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    outs:\n    - path: models/churn.pkl\n      md5: ${hash}\n      size: 10\n`;
}

/** A DVC project: the model lives in the DVC cache, so a new model shows as a new dvc.lock hash. */
function project(): { repo: TempRepo; train: (n: number, metrics?: Record<string, unknown>) => string } {
  const repo = new TempRepo("mlci-register-");
  repos.push(repo);
  repo.commit("Set up the project", {
    "dvc.yaml": DVC_YAML,
    "params.yaml": "train:\n  epochs: 10\n",
    "metrics.json": JSON.stringify({ accuracy: 0.8 }),
    "dvc.lock": lock("0".repeat(32)),
    ".gitignore": "/models\n",
  });
  const train = (n: number, metrics: Record<string, unknown> = { accuracy: 0.8 + n / 100 }) =>
    repo.commit(`Train model ${n}`, {
      "params.yaml": `train:\n  epochs: ${10 + n}\n`,
      "metrics.json": JSON.stringify(metrics),
      "dvc.lock": lock(String(n).padStart(32, "a")),
    });
  return { repo, train };
}

/** A push of `after` on main, and the server knowing both commits. */
function push(before: string, after: string) {
  const event = webhookExample("push");
  event.ref = "refs/heads/main";
  event.before = before;
  event.after = after;
  event.created = false;
  event.repository.full_name = FULL;
  event.repository.name = "ml-project";
  event.repository.default_branch = "main";
  server.state.seedFromEvent(event);
  return event;
}

function register(repo: TempRepo, event: unknown, inputs: Record<string, string> = {}, runId = "4242") {
  const e = event as { after?: string };
  return runAction({
    action: "register",
    workspace: repo.dir,
    apiUrl: server.url,
    event,
    eventName: "push",
    repository: FULL,
    sha: e.after ?? "",
    ref: "refs/heads/main",
    inputs: { token: server.tokens.actions, ...inputs },
    env: { GITHUB_RUN_ID: runId },
  });
}

function tagObject(name: string) {
  const state = server.state.repo(FULL);
  const sha = state.refs.get(`refs/tags/${name}`);
  const o = sha ? state.git.get(sha) : undefined;
  if (o?.type !== "tag") throw new Error(`no annotated tag ${name}`);
  return o;
}

/** Markdown with code spans removed: what GitHub parses as markup. */
const outsideCode = (md: string) => md.replace(/(`+)[\s\S]*?(?<!`)\1(?!`)/g, "");

describe("register action (bundled, Node 24, against the test server)", () => {
  it("registers on merge: tag object, ref and release with the model card; a re-run creates nothing", async () => {
    const { repo, train } = project();
    const c0 = repo.git("rev-parse", "HEAD").trim();
    const c1 = train(1);
    const event = push(c0, c1);
    const run = await register(repo, event);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      name: "churn",
      version: "v0.0.1",
      tag: "churn@v0.0.1",
      stage: "",
      created: "true",
    });
    expect(server.callsTo("POST", TAGS)).toHaveLength(1);
    expect(server.callsTo("POST", REFS)).toHaveLength(1);
    const tag = tagObject("churn@v0.0.1");
    expect(tag.object).toEqual({ type: "commit", sha: c1 });
    expect(tag.tagger.name).toBe("github-actions[bot]");
    expect(tag.message.split("\n")[0]).toBe("Registering artifact churn version v0.0.1");
    expect(tag.message).toContain(`Commit: ${c1}`);
    expect(tag.message).toContain("Workflow run: https://github.com/octo-org/ml-project/actions/runs/4242");
    expect(tag.message).toContain("    accuracy = 0.81");
    expect(tag.message).toContain(`  models/churn.pkl  ${"1".padStart(32, "a")}`);

    const [release] = server.state.repo(FULL).releases;
    expect(release).toMatchObject({ tag_name: "churn@v0.0.1", name: "churn v0.0.1", draft: false });
    expect(run.outputs["release-url"]).toBe(release?.html_url);
    expect(release?.body).toContain("| `metrics.json` | `accuracy` | `0.81` |");
    expect(release?.body).toContain("| `params.yaml` | `train.epochs` | `11` |");
    expect(release?.body).toContain(
      "- dvc.lock output models/churn.pkl hash changed (00000000 -&gt; aaaaaaaa)",
    );
    expect(run.summary).toContain("mlci register");

    const again = await register(repo, event);
    expect(again.code).toBe(0);
    expect(again.outputs).toMatchObject({ version: "v0.0.1", tag: "churn@v0.0.1", created: "false" });
    expect(again.outputs["release-url"]).toBe(release?.html_url);
    expect(JSON.parse(again.outputs.registered ?? "[]")[0].notes[0]).toMatch(/already holds churn v0\.0\.1/);
    expect(server.callsTo("POST", TAGS)).toHaveLength(1);
    expect(server.callsTo("POST", REFS)).toHaveLength(1);
    expect(server.callsTo("POST", RELEASES)).toHaveLength(1);
  });

  it("bumps minor from the merged pull request's release:minor label, and skips unchanged artifacts", async () => {
    const { repo, train } = project();
    const c0 = repo.git("rev-parse", "HEAD").trim();
    const c1 = train(1);
    await register(repo, push(c0, c1));
    const c2 = train(2);
    const event = push(c1, c2);
    const pr = server.state.addPullRequest(FULL, { head: "feature", title: "Better model" });
    Object.assign(pr, { state: "closed", merged_at: "2026-03-01T00:00:00Z", merge_commit_sha: c2 });
    pr.labels = [{ id: 1, name: "release:minor" }];
    const run = await register(repo, event);
    expect(run.code).toBe(0);
    expect(run.outputs.version).toBe("v0.1.0");

    // A push that does not touch the model registers nothing.
    const c3 = repo.commit("Docs only", { "README.md": "docs\n" });
    const quiet = await register(repo, push(c2, c3));
    expect(quiet.code).toBe(0);
    expect(quiet.outputs.name).toBe("");
    expect(quiet.stdout).toMatch(/no declared artifact changed/);
    expect(server.callsTo("POST", TAGS)).toHaveLength(2);
  });

  it("keeps untrusted HTML, links and mentions out of the release notes", async () => {
    const { repo, train } = project();
    const c0 = repo.git("rev-parse", "HEAD").trim();
    const c1 = train(1, { [EVIL]: 0.9, "@everyone": "[click](http://evil.example)" });
    const run = await register(repo, push(c0, c1));
    expect(run.code).toBe(0);
    const body = String(server.state.repo(FULL).releases[0]?.body);
    expect(body).toContain(`| \`${EVIL}\` |`);
    const markup = outsideCode(body);
    expect(markup).not.toMatch(/<[a-z!/]/i);
    expect(markup).not.toMatch(/@everyone/);
    expect(markup).not.toMatch(/\]\(http:\/\/evil/);
    // The tag message stays plain text.
    expect(tagObject("churn@v0.0.1").message).toContain(`    ${EVIL} = 0.9`);
  });

  it("assigns a stage with the gate's verdict, dispatches the deploy workflow once, and refuses a failed gate", async () => {
    const { repo, train } = project();
    const c0 = repo.git("rev-parse", "HEAD").trim();
    const c1 = train(1);
    const event = push(c0, c1);
    const gate = {
      version: 1,
      passed: true,
      sha: c1,
      baseline: { label: "main", available: true },
      counts: { rules: 0, passed: 0, failed: 0, warned: 0, skipped: 0 },
      rules: [],
      failedRules: [],
      warnings: [],
      problems: [],
    };
    const inputs = { stage: "prod", "gate-result": JSON.stringify(gate), "dispatch-workflow": "deploy.yml" };
    const run = await register(repo, event, inputs);
    expect(run.stdout).not.toMatch(/::error/);
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ version: "v0.0.1", stage: "prod", "stage-tag": "churn#prod#1" });
    expect(tagObject("churn#prod#1").message).toMatch(
      /^Assigning stage prod to artifact churn version v0\.0\.1/,
    );
    expect(tagObject("churn#prod#1").tagger.date > tagObject("churn@v0.0.1").tagger.date).toBe(true);
    expect(server.state.repo(FULL).releases[0]?.body).toContain("### Gate: ✅ passed");
    const dispatches = server.state.repo(FULL).dispatches;
    expect(dispatches).toEqual([
      expect.objectContaining({
        kind: "workflow",
        workflowId: "deploy.yml",
        ref: "refs/tags/churn#prod#1",
        inputs: { artifact: "churn", version: "v0.0.1", stage: "prod", tag: "churn#prod#1" },
      }),
    ]);

    const again = await register(repo, event, inputs);
    expect(again.code).toBe(0);
    expect(again.outputs.created).toBe("false");
    expect(server.state.repo(FULL).dispatches).toHaveLength(1);

    const c2 = train(2);
    const failed = { ...gate, sha: c2, passed: false, problems: ["the policy has no rules"] };
    const refused = await register(repo, push(c1, c2), {
      stage: "prod",
      "gate-result": JSON.stringify(failed),
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toMatch(/::error::the gate failed, so stage prod is not assigned/);
    expect(server.state.repo(FULL).refs.has("refs/tags/churn@v0.0.2")).toBe(false);
  });

  it("promotes an existing version from a workflow_dispatch run", async () => {
    const { repo, train } = project();
    const c0 = repo.git("rev-parse", "HEAD").trim();
    const c1 = train(1);
    await register(repo, push(c0, c1));
    const c2 = train(2);
    await register(repo, push(c1, c2));
    const run = await runAction({
      action: "register",
      workspace: repo.dir,
      apiUrl: server.url,
      event: { inputs: {}, ref: "refs/heads/main", repository: { full_name: FULL } },
      eventName: "workflow_dispatch",
      repository: FULL,
      sha: c2,
      inputs: { token: server.tokens.actions, artifact: "churn", version: "v0.0.1", stage: "prod" },
    });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ version: "v0.0.1", "stage-tag": "churn#prod#1", created: "true" });
    expect(tagObject("churn#prod#1").object.sha).toBe(c1);
    expect(server.callsTo("POST", RELEASES)).toHaveLength(2);
  });
});
