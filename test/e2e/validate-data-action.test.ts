import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { breakData, DATA_SCHEMA, dataCsv } from "../../packages/app/src/data/test-support";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import { TempRepo } from "../helpers/git-repo";
import { pullRequestEvent } from "../helpers/payloads";
import { runAction } from "../helpers/run-action";

const REPORT_MARKER = "<!-- mlci:report:mlci -->";
const root = join(import.meta.dirname, "..", "..");
const cli = join(root, "packages", "cli", "dist", "mlci.js");

let server: GitHubTestServer;
let repo: TempRepo;
let baseSha: string;
let brokenSha: string;
let driftedSha: string;
let broken: ReturnType<typeof breakData>;

/**
 * main: a schema, the training data and its profile (committed with the model, registered as
 * churn@v1.0.0 in stage prod). Branch `broken` breaks the schema; branch `drifted` has new data
 * from a moved distribution that still passes the schema.
 */
beforeAll(async () => {
  repo = new TempRepo("mlci-validate-e2e-");
  repo.write({ ".mlci/schema.yml": DATA_SCHEMA, "data/train.csv": dataCsv(3000, { seed: 1 }) });
  const { execFileSync } = await import("node:child_process");
  execFileSync(process.execPath, [cli, "profile", "data/train.csv", "-o", "mlci-profile.json"], {
    cwd: repo.dir,
  });
  baseSha = repo.commit("Train on the first data");
  repo.tag("churn@v1.0.0", "Registering artifact churn version v1.0.0", baseSha, "2026-01-01T00:00:01Z");
  repo.tag(
    "churn#prod#1",
    "Assigning stage prod to artifact churn version v1.0.0",
    baseSha,
    "2026-01-01T00:00:02Z",
  );
  repo.git("checkout", "-q", "-b", "broken");
  broken = breakData(dataCsv(3000, { seed: 2 }));
  brokenSha = repo.commit("New data", { "data/train.csv": broken.text });
  repo.git("checkout", "-q", "-b", "drifted", "main");
  driftedSha = repo.commit("Newer data", { "data/train.csv": dataCsv(3000, { seed: 3, shift: 1 }) });
}, 120_000);

afterAll(async () => {
  repo?.remove();
  await server?.close();
});

beforeEach(async () => {
  await server?.close();
  server = await startGitHubServer();
});

function pr(headSha: string) {
  const event = pullRequestEvent({ baseSha, headSha });
  server.state.seedFromEvent(event);
  return { event, full: event.repository.full_name as string, number: event.number as number };
}

async function validateAndReport(branch: string, headSha: string, inputs: Record<string, string>) {
  repo.git("checkout", "-q", branch);
  const { event, full, number } = pr(headSha);
  const run = await runAction({
    action: "validate-data",
    workspace: repo.dir,
    apiUrl: server.url,
    event,
    repository: full,
    sha: headSha,
    inputs: { data: "data/train.csv", "profile-path": "", ...inputs },
  });
  const report = await runAction({
    action: "report",
    workspace: repo.dir,
    apiUrl: server.url,
    event,
    repository: full,
    sha: headSha,
    inputs: { token: server.tokens.actions, "data-result": run.outputs["result-path"] ?? "" },
  });
  const comments = server.state
    .issueComments(full, number)
    .filter((c) => String(c.body).includes(REPORT_MARKER));
  return { run, report, body: comments.length === 1 ? String(comments[0]?.body) : "" };
}

describe("validate-data action (bundled, Node 24, against the test server)", () => {
  it("fails a pull request whose data breaks the schema: annotations, outputs, summary and the report's data section", async () => {
    // The scan runs on worker threads: their script is bundled beside the action.
    expect(existsSync(join(root, "actions", "validate-data", "dist", "mlci-data-worker.mjs"))).toBe(true);
    const { run, report, body } = await validateAndReport("broken", brokenSha, {});
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({
      passed: "false",
      drifted: "false",
      "drift-share": "",
      "profile-path": "",
    });
    const errors = run.commands.filter((c) => c.startsWith("::error ") && c.includes("file=data/train.csv"));
    // One per failing rule, each on its first example row (file and line), in the schema's order.
    expect(errors.map((c) => /title=mlci data%3A ([^,]+),/.exec(c)?.[1])).toEqual([
      "unique (id)",
      "type (x)",
      "min (amount)",
      "allowed (segment)",
      "max (age)",
      "malformed-rows",
    ]);
    expect(errors[1]).toMatch(
      new RegExp(
        `^::error title=mlci data%3A type \\(x\\),file=data/train.csv,line=${broken.lines.type}::x: values must be of type number; 1 of \\d+ do not \\(here: value "oops"\\)$`,
      ),
    );
    expect(errors[5]).toBe(
      `::error title=mlci data%3A malformed-rows,file=data/train.csv,line=${broken.lines.malformed}::1 row(s) could not be read (here: expected 6 fields, found 2)`,
    );
    expect(run.commands).toContainEqual(
      expect.stringMatching(/^::warning title=mlci data%3A allowed \(label\),file=data\/train.csv,line=50::/),
    );
    expect(run.stdout).toMatch(/::error::the data check failed: 6 error\(s\), 1 warning\(s\)/);
    expect(run.summary).toMatch(/## mlci data\n\n❌ \*\*Data check failed: 6 errors, 1 warning\*\*/);
    const result = JSON.parse(readFileSync(run.outputs["result-path"] ?? "", "utf8"));
    expect(result).toMatchObject({ version: 1, kind: "mlci-data-result", passed: false });

    expect(report.code).toBe(0);
    expect(body).toContain("### Data");
    expect(body).toContain("❌ **Data check failed: 6 errors, 1 warning**");
    expect(body).toContain(`- \`data/train.csv:${broken.lines.type}\` value \`oops\` not a number`);
    expect(body).toContain("value `<b>vip</b>`");
  });

  it("flags a drifted data set against the profile of the model in production, and fails only when asked", async () => {
    const inputs = { reference: "registry:churn#prod", "profile-path": "fresh-profile.json" };
    const { run, body } = await validateAndReport("drifted", driftedSha, inputs);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.outputs.passed).toBe("true");
    expect(run.outputs.drifted).toBe("true");
    expect(Number(run.outputs["drift-share"])).toBeGreaterThanOrEqual(0.5);
    expect(run.outputs["profile-path"]).toBe(join(repo.dir, "fresh-profile.json"));
    expect(existsSync(join(repo.dir, "fresh-profile.json"))).toBe(true);
    expect(run.commands).toContainEqual(
      expect.stringMatching(
        /^::warning title=mlci data%3A drift::the data drifted against mlci-profile.json at churn@v1.0.0/,
      ),
    );
    expect(body).toMatch(/🔴 \*\*Data drift: \d of 5 columns drifted/);
    expect(body).toContain("`registry:churn#prod` (v1.0.0, 3,000 rows)");
    expect(body).toMatch(/\| 🔴 drift \| `x` \| numeric \| Wasserstein \(norm\.\) \|/);
    expect(body).toContain('```mermaid\nxychart-beta\n    title "x"');
    expect(body).toContain("Not compared: `id` (unique in the schema (an identifier))");

    const strict = await validateAndReport("drifted", driftedSha, { ...inputs, "fail-on-drift": "true" });
    expect(strict.run.code).toBe(1);
    expect(strict.run.stdout).toMatch(/::error::the data drifted: \d of 5 columns/);
  });

  it("fails closed when the data cannot be checked", async () => {
    repo.git("checkout", "-q", "main");
    const { event, full } = pr(baseSha);
    const run = await runAction({
      action: "validate-data",
      workspace: repo.dir,
      apiUrl: server.url,
      event,
      repository: full,
      inputs: { data: "data/nothing-here/*.csv", "fail-on-error": "false" },
    });
    expect(run.code).toBe(1);
    expect(run.outputs.passed).toBe("false");
    expect(run.stdout).toMatch(/::error::data\/nothing-here\/\*\.csv: no data files match/);
  });
});
