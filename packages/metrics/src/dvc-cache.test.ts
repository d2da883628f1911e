import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Git } from "@mlci/git";
import { afterEach, describe, expect, it } from "vitest";
import { TempRepo } from "../../../test/helpers/git-repo";
import { cacheObjectPath, findDvcCacheDir, projectCacheResolver } from "./dvc-cache";
import { readSnapshot } from "./snapshot";
import { gitRevisionSource } from "./source";

const md5 = (text: string) => createHash("md5").update(text).digest("hex");

const DVC_YAML = `stages:
  evaluate:
    cmd: python eval.py
    wdir: ml
    metrics:
      - eval/metrics.json
`;

function lock(path: string, hash: string, legacy = false): string {
  const hashLine = legacy ? "" : "      hash: md5\n";
  return `schema: '2.0'\nstages:\n  evaluate:\n    cmd: python eval.py\n    outs:\n    - path: ${path}\n${hashLine}      md5: ${hash}\n      size: 10\n`;
}

function putCache(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

describe("DVC-cached metrics", () => {
  let repo: TempRepo;
  afterEach(() => repo?.remove());

  it("reads a metrics file that git does not hold from the local cache, by the md5 in dvc.lock", async () => {
    repo = new TempRepo();
    const v1 = '{"acc": 0.81}';
    const v2 = '{"acc": 0.86}';
    const c1 = repo.commit("one", {
      "dvc.yaml": DVC_YAML,
      "dvc.lock": lock("eval/metrics.json", md5(v1)),
      ".gitignore": "ml/eval/\n",
    });
    const c2 = repo.commit("two", { "dvc.lock": lock("eval/metrics.json", md5(v2)) });
    // Only the first revision's output is in the cache.
    putCache(cacheObjectPath(join(repo.dir, ".dvc/cache"), md5(v1), false), v1);
    const git = new Git(repo.dir);

    const base = await readSnapshot(gitRevisionSource(git, c1), { ref: "base", sha: c1 });
    expect(base.metrics).toEqual([{ path: "ml/eval/metrics.json", values: { acc: 0.81 } }]);

    const head = await readSnapshot(gitRevisionSource(git, c2), { ref: "head", sha: c2 });
    expect(head.metrics).toEqual([
      {
        path: "ml/eval/metrics.json",
        values: {},
        problem: {
          kind: "not-in-cache",
          message: `DVC-cached (md5 ${md5(v2)}, recorded in dvc.lock) and not in the local cache; run \`dvc pull\` or restore the cache`,
        },
      },
    ]);
  });

  it("finds legacy entries at the cache's top level, and honours cache.dir", async () => {
    repo = new TempRepo();
    const v = "acc: 0.5\n";
    const shared = `${basename(repo.dir)}-cache`;
    const sha = repo.commit("one", {
      "dvc.yaml": DVC_YAML.replace("eval/metrics.json", "eval/metrics.yaml"),
      "dvc.lock": lock("eval/metrics.yaml", md5(v), true),
      ".dvc/config": `[core]\n    remote = storage\n[cache]\n    dir = ../../${shared}\n`,
    });
    const cacheDir = await findDvcCacheDir(repo.dir);
    expect(cacheDir).toBe(join(repo.dir, "..", shared));
    const object = join(cacheDir, md5(v).slice(0, 2), md5(v).slice(2));
    expect(cacheObjectPath(cacheDir, md5(v), true)).toBe(object);
    putCache(object, v);
    try {
      const snap = await readSnapshot(gitRevisionSource(new Git(repo.dir), sha), { ref: "x" });
      expect(snap.metrics).toEqual([{ path: "ml/eval/metrics.yaml", values: { acc: 0.5 } }]);
    } finally {
      rmSync(join(repo.dir, "..", shared), { recursive: true, force: true });
    }
  });

  it("reads a file inside a cached folder through the folder's listing, and .dvc files", async () => {
    repo = new TempRepo();
    const m = '{"f1": 0.7}';
    const listing = JSON.stringify([{ md5: md5(m), relpath: "scores/metrics.json" }]);
    const dirHash = `${md5(listing)}.dir`;
    const sha = repo.commit("one", {
      "dvc.yaml": "metrics:\n  - results/scores/metrics.json\n  - data/summary.json\n",
      "dvc.lock": `schema: '2.0'\nstages:\n  s:\n    cmd: x\n    outs:\n    - path: results\n      hash: md5\n      md5: ${dirHash}\n`,
      "data/summary.json.dvc": `outs:\n- md5: ${md5('{"rows": 10}')}\n  size: 12\n  hash: md5\n  path: summary.json\n`,
    });
    const cache = join(repo.dir, ".dvc/cache");
    putCache(cacheObjectPath(cache, dirHash, false), listing);
    putCache(cacheObjectPath(cache, md5(m), false), m);
    putCache(cacheObjectPath(cache, md5('{"rows": 10}'), false), '{"rows": 10}');
    const snap = await readSnapshot(gitRevisionSource(new Git(repo.dir), sha), { ref: "x" });
    expect(snap.metrics).toEqual([
      { path: "results/scores/metrics.json", values: { f1: 0.7 } },
      { path: "data/summary.json", values: { rows: 10 } },
    ]);
  });

  it("reads each DVC project's own cache in a monorepo (dvc init --subdir)", async () => {
    repo = new TempRepo();
    const root = '{"acc": 0.1}';
    const vision = '{"acc": 0.2}';
    const text = '{"acc": 0.3}';
    const nested = '{"acc": 0.4}';
    const stage = (path: string, hash: string) =>
      `schema: '2.0'\nstages:\n  s:\n    cmd: x\n    outs:\n    - path: ${path}\n      hash: md5\n      md5: ${hash}\n`;
    const sha = repo.commit("projects", {
      // The root project, and two projects made with `dvc init --subdir`; text keeps its cache elsewhere.
      ".dvc/config": "",
      "dvc.yaml": "metrics:\n  - m.json\n",
      "dvc.lock": stage("m.json", md5(root)),
      "vision/.dvc/config": "",
      "vision/dvc.yaml": "metrics:\n  - out/m.json\n",
      "vision/dvc.lock": stage("out/m.json", md5(vision)),
      // A pipeline in a folder of the vision project (no .dvc/ of its own) uses vision's cache.
      "vision/detect/dvc.yaml": "metrics:\n  - m.json\n",
      "vision/detect/dvc.lock": stage("m.json", md5(nested)),
      "text/.dvc/config": "[cache]\n    dir = ../store\n",
      "text/dvc.yaml": "metrics:\n  - m.json\n",
      "text/dvc.lock": stage("m.json", md5(text)),
    });
    putCache(cacheObjectPath(join(repo.dir, ".dvc/cache"), md5(root), false), root);
    putCache(cacheObjectPath(join(repo.dir, "vision/.dvc/cache"), md5(vision), false), vision);
    putCache(cacheObjectPath(join(repo.dir, "vision/.dvc/cache"), md5(nested), false), nested);
    putCache(cacheObjectPath(join(repo.dir, "text/store"), md5(text), false), text);
    // Each object only where its project keeps it: a wrong guess would find nothing.
    const snap = await readSnapshot(gitRevisionSource(new Git(repo.dir), sha), { ref: "x" });
    expect(snap.metrics).toEqual([
      { path: "m.json", values: { acc: 0.1 } },
      { path: "text/m.json", values: { acc: 0.3 } },
      { path: "vision/detect/m.json", values: { acc: 0.4 } },
      { path: "vision/out/m.json", values: { acc: 0.2 } },
    ]);
    expect(await projectCacheResolver(repo.dir)("vision/detect/dvc.lock")).toBe(
      join(repo.dir, "vision/.dvc/cache"),
    );
    expect(await projectCacheResolver(repo.dir)("text/dvc.lock")).toBe(join(repo.dir, "text/store"));
    expect(await projectCacheResolver(repo.dir)("other/dvc.lock")).toBe(join(repo.dir, ".dvc/cache"));
  });

  it("says plainly when a declared file is neither in git nor recorded by DVC", async () => {
    repo = new TempRepo();
    const sha = repo.commit("one", { "dvc.yaml": "metrics: [m.json]\n" });
    const snap = await readSnapshot(gitRevisionSource(new Git(repo.dir), sha, "main"), { ref: "main" });
    expect(snap.metrics).toEqual([
      { path: "m.json", values: {}, problem: { kind: "missing", message: "not found at main" } },
    ]);
  });
});
