#!/usr/bin/env node
// The demo: the whole mlci loop on examples/penguins, offline, in a temporary git repository with a
// local bare remote: validate the data, train, report against main (and an HTML preview of the pull
// request comment), gate, merge, register v0.0.1, assign prod, check for drift, then a second change
// that regresses and is refused by the gate. Every step is a call of the bundled CLI, as a user runs it.
// Needs git and python3. `MLCI_DEMO_DIR=<empty dir>` picks the folder (default: a new temp folder).
import { execFileSync, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writePreview } from "./preview.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "packages", "cli", "dist", "mlci.js");
const example = join(root, "examples", "penguins");
const env = {
  ...process.env,
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "mlci demo",
  GIT_AUTHOR_EMAIL: "demo@example.com",
  GIT_COMMITTER_NAME: "mlci demo",
  GIT_COMMITTER_EMAIL: "demo@example.com",
  NO_COLOR: "1",
};
const MODEL = "penguins-classifier";

const GATES = `# The gate the demo's pull requests must pass (docs/gates.md). Read from the base branch.
version: 1
baseline: base
rules:
  - id: accuracy
    metric: eval.accuracy
    min: 0.9
    max_drop: "2%"
  - id: log-loss
    metric: eval.log_loss # lower is better, from the name
    max_drop: "25%"
`;

for (const tool of ["git", "python3"]) {
  if (spawnSync(tool, ["--version"]).status !== 0) {
    console.error(`The demo needs ${tool} on PATH.`);
    process.exit(3);
  }
}

const base = process.env.MLCI_DEMO_DIR ?? mkdtempSync(join(tmpdir(), "mlci-demo-"));
if (existsSync(base) && readdirSync(base).length > 0) {
  console.error(`MLCI_DEMO_DIR=${base} is not empty.`);
  process.exit(2);
}
mkdirSync(base, { recursive: true });
const repo = join(base, "penguins");
const remote = join(base, "remote.git");
const started = Date.now();
const say = (text = "") => process.stdout.write(`${text}\n`);
const indent = (text) =>
  text
    .trimEnd()
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => `    ${l}`)
    .join("\n");
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function git(...args) {
  return execFileSync("git", args, { cwd: repo, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs the bundled CLI; shows the command and its output; stops the demo on an unexpected exit code. */
function mlci(args, { expect = 0, quiet = false } = {}) {
  say(`  $ mlci ${args.join(" ")}`);
  const res = spawnSync(process.execPath, [cli, ...args], { cwd: repo, env, encoding: "utf8" });
  const output = `${res.stdout ?? ""}${res.stderr ?? ""}`;
  if (!quiet && output.trim()) say(indent(output));
  if (res.status !== expect) {
    say(`\nThe demo stopped: \`mlci ${args.join(" ")}\` exited with ${res.status}, expected ${expect}.`);
    if (quiet) say(indent(output));
    process.exit(1);
  }
  return res;
}

let number = 0;
function step(title, fn) {
  const t = Date.now();
  say(`\n▶ ${number > 0 ? `${number}. ` : ""}${title}`);
  const out = fn();
  say(`  ✓ ${seconds(Date.now() - t)}`);
  number++;
  return out;
}

function setParam(key, value) {
  const file = join(repo, "params.yaml");
  writeFileSync(
    file,
    readFileSync(file, "utf8").replace(new RegExp(`(\\n  ${key}:) [^\\n]*`), `$1 ${value}`),
  );
}

say(`mlci demo: the loop from data to a refused regression, offline, on examples/penguins`);
say(`  repository  ${repo}`);
say(`  remote      ${remote} (bare)`);

step("Set up main: the penguins project, a gate policy and a data schema; train the baseline; push", () => {
  cpSync(example, repo, {
    recursive: true,
    filter: (src) => !/(__pycache__|data\/prepared|\/model|dvc\.lock)(\/|$)/.test(src.slice(example.length)),
  });
  execFileSync("git", ["init", "-q", "--bare", remote], { env });
  git("init", "-q", "-b", "main");
  git("config", "user.name", "mlci demo");
  git("config", "user.email", "demo@example.com");
  git("remote", "add", "origin", remote);
  mkdirSync(join(repo, ".mlci"), { recursive: true });
  writeFileSync(join(repo, ".mlci", "gates.yml"), GATES);
  mlci(["schema", "infer", "data/penguins.csv"]);
  mlci(["repro"], { quiet: true });
  git("add", "-A");
  git("commit", "-q", "-m", "Penguins classifier: baseline, gate policy, data schema");
  git("push", "-q", "origin", "main");
  say(`    main at ${git("rev-parse", "--short", "HEAD").trim()}, pushed to the bare remote`);
});

say("\nA pull request: branch more-epochs trains for 150 epochs instead of 50.");
git("checkout", "-q", "-b", "more-epochs");
setParam("epochs", "150");

step("Validate the data against .mlci/schema.yml and profile it (the reference for drift later)", () => {
  mlci(["validate", "data/penguins.csv", "-o", "mlci-profile.json"]);
});
step("Train (mlci repro)", () => mlci(["repro"]));
const report = join(repo, "report.md");
const preview = join(base, "report.html");
await (async () => {
  const t = Date.now();
  say(`\n▶ ${number}. Report against main: the pull request comment, and its HTML preview`);
  mlci(["report", "--base", "main", "--out", "report.md"]);
  await writePreview(report, preview, { title: "mlci report: more-epochs vs main" });
  const verdict = readFileSync(report, "utf8")
    .split("\n")
    .find((l) => /^(🟢|🔴|🟡|⚪)/u.test(l));
  if (verdict) say(`    ${verdict}`);
  say(`    markdown  ${report}`);
  say(`    preview   ${preview}`);
  say(`  ✓ ${seconds(Date.now() - t)}`);
  number++;
})();
step("Gate (mlci gate --base main): the policy on main judges the new metrics", () => {
  mlci(["gate", "--base", "main"]);
});
step("Merge into main and push to the remote", () => {
  git("add", "-A");
  git("commit", "-q", "-m", "Train for 150 epochs");
  git("checkout", "-q", "main");
  git("merge", "-q", "--no-ff", "more-epochs", "-m", "Merge pull request: train for 150 epochs");
  git("push", "-q", "origin", "main");
  say(`    main at ${git("rev-parse", "--short", "HEAD").trim()}, pushed`);
});
step(`Register the model (mlci registry register ${MODEL} --push)`, () => {
  mlci(["registry", "register", MODEL, "--push"]);
});
step("Deploy: assign the prod stage (mlci registry assign --push)", () => {
  mlci(["registry", "assign", MODEL, "--stage", "prod", "--version", "v0.0.1", "--push"]);
  const tags = git("ls-remote", "--tags", "origin")
    .split("\n")
    .filter((l) => l && !l.endsWith("^{}"))
    .map((l) => `remote has ${l.split("\t")[1]}`);
  say(indent(tags.join("\n")));
});
step("Scheduled retraining check: fresh data against the profile of the model in prod", () => {
  mlci(["retrain", "--data", "data/penguins.csv", "--reference", `registry:${MODEL}#prod`]);
});

say("\nA second pull request: branch fewer-epochs trains for 2 epochs. It regresses.");
git("checkout", "-q", "-b", "fewer-epochs");
setParam("epochs", "2");
step("Train (mlci repro)", () => mlci(["repro"]));
step("Gate (mlci gate --base main): REFUSED", () => {
  const res = mlci(["gate", "--base", "main"], { expect: 1 });
  mlci(["report", "--base", "main", "--out", "report-regression.md"], { quiet: true });
  say(`    The gate refused the change (exit ${res.status}): it cannot be merged or deployed.`);
  say(`    its report  ${join(repo, "report-regression.md")}`);
});

say(`\nDone in ${seconds(Date.now() - started)}. Open the preview of the first pull request's comment:`);
say(`  ${preview}`);
say(`Everything is in ${base} (the repository, its bare remote, the reports).`);
