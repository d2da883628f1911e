import { MlciError } from "@mlci/common";
import { Git } from "@mlci/git";
import { afterAll, describe, expect, it } from "vitest";
import { TempRepo } from "../../../test/helpers/git-repo";
import { parseArtifactsYaml, parseDvcYamlArtifacts, readArtifactDeclarations } from "./artifacts";
import { artifactsChangedBetween, changedArtifacts, type LockOut, readLockOuts } from "./changed-artifacts";
import { gitRevisionSource, memorySource, workingTreeSource } from "./file-source";

const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos) r.remove();
});

const ROOT_DVC = `stages:
  train:
    cmd: python train.py
    outs: [models/model.pkl]
artifacts:
  churn:
    path: models/model.pkl
    type: model
    desc: Churn classifier
    labels: [tabular, prod]
    meta: {framework: sklearn}
  text-encoder:
    path: models/encoder
`;

const NESTED_DVC = `artifacts:
  ranker:
    path: out/ranker.onnx
    type: model
`;

const ARTIFACTS_YAML = `reports:
  type: dataset
  path: data/reports.csv
  virtual: false
  labels: [raw]
  description: Monthly reports
notes: {}
churn:
  path: elsewhere.pkl
`;

describe("artifact declarations", () => {
  it("reads dvc.yaml (root and nested) and artifacts.yaml from the working tree", async () => {
    const repo = new TempRepo("mlci-artifacts-");
    repos.push(repo);
    repo.commit("init", { "dvc.yaml": ROOT_DVC, "projects/search/dvc.yaml": NESTED_DVC });
    repo.write({ "artifacts.yaml": ARTIFACTS_YAML }); // not committed: the working tree sees it
    const decls = await readArtifactDeclarations(await workingTreeSource(new Git(repo.dir)));
    expect(decls.artifacts).toEqual([
      {
        name: "churn",
        type: "model",
        path: "models/model.pkl",
        description: "Churn classifier",
        labels: ["tabular", "prod"],
        meta: { framework: "sklearn" },
        virtual: false,
        file: "dvc.yaml",
      },
      { name: "text-encoder", path: "models/encoder", labels: [], virtual: false, file: "dvc.yaml" },
      {
        name: "projects/search:ranker",
        type: "model",
        path: "projects/search/out/ranker.onnx",
        labels: [],
        virtual: false,
        file: "projects/search/dvc.yaml",
      },
      {
        name: "reports",
        type: "dataset",
        path: "data/reports.csv",
        description: "Monthly reports",
        labels: ["raw"],
        virtual: false,
        file: "artifacts.yaml",
      },
      { name: "notes", labels: [], virtual: true, file: "artifacts.yaml" },
    ]);
    expect(decls.warnings).toEqual([
      'artifacts.yaml: artifact "churn" is declared in dvc.yaml already; that one is used',
    ]);
    // the committed revision has no artifacts.yaml
    const atHead = await readArtifactDeclarations(gitRevisionSource(new Git(repo.dir), "HEAD"));
    expect(atHead.artifacts.map((a) => a.name)).toEqual(["churn", "text-encoder", "projects/search:ranker"]);
  });

  it("leaves out names that cannot become tags, with a warning", async () => {
    const src = memorySource({
      "dvc.yaml": "artifacts:\n  good: {path: a}\n  bad.name: {path: b}\n  _x: {}\n",
    });
    const decls = await readArtifactDeclarations(src);
    expect(decls.artifacts.map((a) => a.name)).toEqual(["good"]);
    expect(decls.warnings).toHaveLength(2);
    expect(decls.warnings[0]).toMatch(/dvc\.yaml: artifact "bad\.name" left out: .*must start and end/);
  });

  it("reports malformed declarations as CONFIG errors with file, line and key", () => {
    const err = (() => {
      try {
        parseDvcYamlArtifacts(
          "stages: {}\nartifacts:\n  m:\n    path: a\n    labels: nope\n",
          "sub/dvc.yaml",
        );
      } catch (e) {
        return e;
      }
    })() as MlciError;
    expect(err).toBeInstanceOf(MlciError);
    expect(err.code).toBe("CONFIG");
    expect(err.location).toEqual({ file: "sub/dvc.yaml", line: 5, key: "artifacts.m.labels" });
    expect(() => parseArtifactsYaml("m:\n  virtual: maybe\n")).toThrow(/`virtual` must be true or false/);
    expect(() => parseArtifactsYaml("- a\n- b\n")).toThrow(/must be a mapping/);
    expect(() => parseDvcYamlArtifacts("artifacts: [\n", "dvc.yaml")).toThrow(/not valid YAML/);
    expect(parseDvcYamlArtifacts("", "dvc.yaml")).toEqual([]);
  });
});

const out = (path: string, hash: string): LockOut => ({ path, hash, stage: "train", lockFile: "dvc.lock" });

describe("changed artifacts", () => {
  const artifacts = [
    { name: "churn", path: "models/model.pkl", labels: [], virtual: false, file: "dvc.yaml" },
    { name: "enc", path: "models/encoder", labels: [], virtual: false, file: "dvc.yaml" },
    { name: "inside", path: "data/all/part.csv", labels: [], virtual: false, file: "dvc.yaml" },
    { name: "virtual", labels: [], virtual: true, file: "artifacts.yaml" },
  ];

  it("counts files under the path, .dvc files and dvc.lock hashes", () => {
    const changes = changedArtifacts({
      artifacts,
      changedFiles: ["models/encoder/vocab.txt", "README.md", "models/model.pkl.dvc"],
      outsBefore: [out("models/model.pkl", "aaaaaaaaaa"), out("data/all", "d1.dir")],
      outsAfter: [out("models/model.pkl", "bbbbbbbbbb"), out("data/all", "d1.dir")],
    });
    expect(changes).toEqual([
      {
        name: "churn",
        reasons: [
          "models/model.pkl.dvc changed",
          "dvc.lock output models/model.pkl hash changed (aaaaaaaa -> bbbbbbbb)",
        ],
      },
      { name: "enc", reasons: ["models/encoder/vocab.txt changed"] },
    ]);
  });

  it("an output that appears, vanishes or contains the artifact counts", () => {
    const changes = changedArtifacts({
      artifacts,
      changedFiles: [],
      outsBefore: [out("data/all", "d1.dir")],
      outsAfter: [out("data/all", "d2.dir"), out("models/encoder", "e.dir")],
    });
    expect(changes.map((c) => [c.name, c.reasons])).toEqual([
      ["enc", ["dvc.lock output models/encoder appeared"]],
      ["inside", ["dvc.lock output data/all hash changed (d1.dir -> d2.dir)"]],
    ]);
  });

  it("finds the artifacts changed between two real commits, nested dvc.lock and wdir included", async () => {
    const repo = new TempRepo("mlci-changed-");
    repos.push(repo);
    const lock = (md5: string) =>
      `schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    outs:\n    - path: out/ranker.onnx\n      hash: md5\n      md5: ${md5}\n      size: 3\n`;
    const nestedDvc = `stages:\n  train:\n    cmd: python train.py\n    wdir: ..\nartifacts:\n  ranker:\n    path: ../out/ranker.onnx\n`;
    const base = repo.commit("base", {
      "dvc.yaml": ROOT_DVC,
      "models/encoder/vocab.txt": "a",
      "p/q/dvc.yaml": nestedDvc,
      "p/q/dvc.lock": lock("11111111111111111111111111111111"),
    });
    const mid = repo.commit("encoder only", { "models/encoder/vocab.txt": "b" });
    const head = repo.commit("ranker retrained", {
      "p/q/dvc.lock": lock("22222222222222222222222222222222"),
    });
    const git = new Git(repo.dir);

    const outs = await readLockOuts(gitRevisionSource(git, head));
    expect(outs).toEqual([
      {
        path: "p/out/ranker.onnx",
        hash: "22222222222222222222222222222222",
        stage: "train",
        lockFile: "p/q/dvc.lock",
      },
    ]);
    const first = await artifactsChangedBetween(git, base, mid);
    expect(first.changes.map((c) => c.name)).toEqual(["text-encoder"]);
    const second = await artifactsChangedBetween(git, mid, head);
    expect(second.changes).toEqual([
      {
        name: "p/q:ranker",
        reasons: ["dvc.lock output p/out/ranker.onnx hash changed (11111111 -> 22222222)"],
      },
    ]);
    expect((await artifactsChangedBetween(git, base, head)).changes.map((c) => c.name)).toEqual([
      "text-encoder",
      "p/q:ranker",
    ]);
  });
});
