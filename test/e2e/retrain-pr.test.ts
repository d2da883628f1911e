import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { profileDataset, resolveSources, writeProfile } from "@mlci/data";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitHubTestServer, startGitHubServer } from "../github-server/index";
import { gitEnv, type TempRepo } from "../helpers/git-repo";
import { type CliRun, cliBundle, mlci, penguinsRepo } from "../helpers/pipeline-project";

/**
 * The retraining loop end to end, as the scheduled workflow runs it: `mlci retrain` decides
 * against the profile committed with the production model (real git, real registry tags), the
 * pipeline retrains, and `mlci retrain open-pr` opens the pull request through the GitHub API
 * test server (blobs, tree, commit, ref, pull request).
 */

const FULL = "octo-org/penguins";
const DATA = "data/penguins.csv";
const REFERENCE = "registry:penguins-classifier#prod";
let server: GitHubTestServer;
let repo: TempRepo;
let original: string;

/** The penguins data with its four measurements scaled: 4 of 7 columns drift, the species do not. */
function drifted(csv: string): string {
  const factors = [1, 1, 1.3, 1.3, 1.2, 1.25, 1];
  return csv
    .split("\n")
    .map((line, i) =>
      i === 0 || line === ""
        ? line
        : line
            .split(",")
            .map((v, j) =>
              v === "" || factors[j] === 1
                ? v
                : String(Math.round(Number(v) * (factors[j] as number) * 10) / 10),
            )
            .join(","),
    )
    .join("\n");
}

/** The files of the local HEAD commit, to seed the server's `main` with the same tree. */
function headFiles(r: TempRepo): Record<string, string> {
  const files: Record<string, string> = {};
  for (const path of r.git("ls-files").split("\n").filter(Boolean))
    files[path] = r.git("show", `HEAD:${path}`);
  return files;
}

/** The bundled CLI, asynchronously: the test server answers from this process's event loop. */
function run(args: string[]): Promise<CliRun> {
  const env = gitEnv({
    GITHUB_TOKEN: server.tokens.user,
    GITHUB_API_URL: server.url,
    GITHUB_REPOSITORY: FULL,
  });
  const child = spawn(process.execPath, [cliBundle, ...args], { cwd: repo.dir, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((done) => child.on("close", (code) => done({ code: code ?? 1, stdout, stderr })));
}

beforeAll(async () => {
  server = await startGitHubServer();
  // main: the trained model, its data profile, registered as v0.0.1 and assigned to prod.
  repo = penguinsRepo("mlci-retrain-");
  expect(mlci(repo.dir, ["repro"]).code).toBe(0);
  await writeProfile(
    join(repo.dir, "mlci-profile.json"),
    await profileDataset(await resolveSources([DATA], { cwd: repo.dir })),
  );
  repo.commit("Train the model and profile its data");
  const assign = mlci(repo.dir, ["registry", "assign", "penguins-classifier", "--stage", "prod"]);
  expect(assign.code, assign.stderr).toBe(0);
  original = readFileSync(join(repo.dir, DATA), "utf8");
  server.state.addRepo(FULL);
  const sha = server.state.addCommit(FULL, {
    branch: "main",
    parents: [],
    files: headFiles(repo),
    message: "main",
  });
  // The server hashes objects as git does: its main has the very tree of the local main.
  const tree = (server.state.repo(FULL).git.get(sha) as { tree: string }).tree;
  expect(tree).toBe(repo.git("rev-parse", "HEAD^{tree}").trim());
});

afterAll(async () => {
  await server.close();
  repo.remove();
});

describe("mlci retrain (decision and pull request)", () => {
  it("no drift: says so, exits 0, and the workflow creates nothing", async () => {
    const res = await run(["retrain", "--data", DATA, "--reference", REFERENCE, "--json"]);
    expect(res.code, res.stderr).toBe(0);
    const decision = JSON.parse(res.stdout);
    expect(decision).toMatchObject({ version: 1, retrain: false, drifted: false, driftShare: 0 });
    expect(decision.reason).toMatch(/^no drift: 0 of 7 columns drifted \(share 0\.00 < 0\.50\)/);
    expect(decision.reference).toMatchObject({ spec: REFERENCE, version: "v0.0.1", rows: 344 });
    expect(decision.reference.path).toMatch(
      /^mlci-profile\.json at penguins-classifier@v0\.0\.1 \([0-9a-f]{7}\)$/,
    );
    expect(server.calls).toHaveLength(0);
  });

  it("drift found: retrains and opens a pull request with dvc.lock, metrics and the profile; a rerun reuses it", async () => {
    writeFileSync(join(repo.dir, DATA), drifted(original));
    const decided = await run([
      "retrain",
      "--data",
      DATA,
      "--reference",
      REFERENCE,
      "--json",
      "--write-profile",
      "mlci-profile.json",
    ]);
    expect(decided.code, decided.stderr).toBe(0);
    const decision = JSON.parse(decided.stdout);
    expect(decision.retrain).toBe(true);
    expect(decision.reason).toMatch(
      /^drift: 4 of 7 columns drifted \(share 0\.57 ≥ 0\.50\): bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g$/,
    );
    expect(
      decision.columns
        .filter((c: { drifted: boolean }) => c.drifted)
        .map((c: { method: string }) => c.method),
    ).toEqual(["ks", "ks", "ks", "ks"]);
    writeFileSync(join(repo.dir, "decision.json"), decided.stdout);

    const trained = await run(["repro"]);
    expect(trained.code, trained.stderr).toBe(0);
    expect(repo.git("status", "--porcelain", "dvc.lock", "metrics.json", "mlci-profile.json")).toMatch(
      /M dvc\.lock/,
    );

    const files = ["dvc.lock", "metrics.json", "mlci-profile.json", DATA];
    const opened = await run(["retrain", "open-pr", ...files, "--decision", "decision.json", "--json"]);
    expect(opened.code, opened.stderr).toBe(0);
    const pr = JSON.parse(opened.stdout);
    const date = new Date().toISOString().slice(0, 10);
    expect(pr).toMatchObject({
      branch: `mlci/retrain-${date}`,
      createdBranch: true,
      committed: true,
      createdPullRequest: true,
    });

    const state = server.state.repo(FULL);
    const pull = state.pulls.get(pr.number);
    expect(pull).toMatchObject({ state: "open", title: `Retrain the model: data drift (${date})` });
    expect(pull?.head.ref).toBe(`mlci/retrain-${date}`);
    expect(pull?.base.ref).toBe("main");
    expect(pull?.body).toContain("drift: 4 of 7 columns drifted");
    expect(pull?.body).toMatch(/\| `body_mass_g` \| ks \| .* \| 🔴 \|/);
    // The commit the API made holds exactly what `git commit` of those files makes locally.
    repo.git("add", ...files);
    repo.git("commit", "-q", "-m", "retrain");
    const commit = state.git.get(pr.commit) as { tree: string; parents: string[] };
    expect(commit.tree).toBe(repo.git("rev-parse", "HEAD^{tree}").trim());
    expect(commit.parents).toEqual([state.refs.get("refs/heads/main")]);
    expect(state.refs.get(`refs/heads/mlci/retrain-${date}`)).toBe(pr.commit);
    expect(server.callsTo("POST", "/repos/{owner}/{repo}/git/blobs")).toHaveLength(0); // text goes inline
    expect(server.callsTo("POST", "/repos/{owner}/{repo}/git/trees")).toHaveLength(1);
    expect(server.callsTo("POST", "/repos/{owner}/{repo}/pulls")).toHaveLength(1);

    // The schedule fires again the same day: same branch, same pull request, no new commit.
    const again = await run(["retrain", "open-pr", ...files, "--decision", "decision.json", "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      number: pr.number,
      commit: pr.commit,
      createdBranch: false,
      committed: false,
      createdPullRequest: false,
    });
    expect(server.callsTo("POST", "/repos/{owner}/{repo}/pulls")).toHaveLength(1);
    expect(state.pulls.size).toBe(1);
  });

  it("opens nothing when the files equal the base branch's; binary files go up as blobs", async () => {
    const before = server.calls.length;
    const res = await run(["retrain", "open-pr", "params.yaml", "--branch", "mlci/retrain-noop"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("Nothing to propose");
    expect(server.state.repo(FULL).refs.has("refs/heads/mlci/retrain-noop")).toBe(false);
    expect(
      server.calls.slice(before).filter((c) => c.method === "POST" && /refs|pulls/.test(c.route ?? "")),
    ).toEqual([]);

    const bytes = Buffer.from([0, 159, 146, 150, 255, 10]);
    writeFileSync(join(repo.dir, "weights.bin"), bytes);
    const bin = await run(["retrain", "open-pr", "weights.bin", "--branch", "mlci/retrain-bin", "--json"]);
    expect(bin.code, bin.stderr).toBe(0);
    const state = server.state.repo(FULL);
    const commit = state.git.get(JSON.parse(bin.stdout).commit) as { tree: string };
    const entry = state.git.flatten(commit.tree).get("weights.bin");
    expect((state.git.get(entry?.sha ?? "") as { content: Buffer }).content.equals(bytes)).toBe(true);
    expect(server.callsTo("POST", "/repos/{owner}/{repo}/git/blobs")).toHaveLength(1);
  });

  it("fails closed: a stage no version holds, or a reference that is not a profile", async () => {
    const none = await run([
      "retrain",
      "--data",
      DATA,
      "--reference",
      "registry:penguins-classifier#staging",
    ]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain("no version of penguins-classifier holds stage staging");
    const bad = await run(["retrain", "--data", DATA, "--reference", "params.yaml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("params.yaml: not valid JSON");
    const noRef = await run(["retrain", "--data", DATA]);
    expect(noRef.code).toBe(2);
    expect(noRef.stderr).toContain("needs --reference");
  });
});
