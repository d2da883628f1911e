import { Git } from "@mlci/git";
import { afterAll, describe, expect, it } from "vitest";
import { TempRepo } from "../../../test/helpers/git-repo";
import { compareRevisions } from "./compare";

describe("compareRevisions", () => {
  const repo = new TempRepo();
  afterAll(() => repo.remove());
  const git = new Git(repo.dir);
  repo.commit("base", { "dvc.yaml": "metrics: [m.json]\n", "m.json": '{"loss": 0.5, "acc": 0.7}' });
  repo.git("checkout", "-q", "-b", "feature");
  const head = repo.commit("head", {
    "m.json": '{"loss": 0.6, "acc": 0.7}',
    ".mlci/config.yml": "metrics:\n  direction: { loss: higher }\n",
  });

  it("reads the config at head, both revisions, and diffs them", async () => {
    const c = await compareRevisions(git, { baseRef: "main", headRef: "feature" });
    expect(c.head.sha).toBe(head);
    expect(c.config.metrics.direction).toEqual({ loss: "higher" });
    expect(c.diff.metrics.map((r) => `${r.status} ${r.key} ${r.directionSource}`)).toEqual([
      "improved loss config",
      "unchanged acc default",
    ]);
    expect(c.plots).toEqual([]);
  });

  it("compares the working tree when head is `workspace`", async () => {
    repo.write({ "m.json": '{"loss": 0.4, "acc": 0.9}' });
    const c = await compareRevisions(git, { baseRef: "main", headRef: "workspace" });
    expect(c.head).toMatchObject({
      ref: "workspace",
      metrics: [{ path: "m.json", values: { loss: 0.4, acc: 0.9 } }],
    });
    expect(c.head.sha).toBeUndefined();
    expect(c.diff.counts).toMatchObject({ improved: 1, regressed: 1 });
  });
});
