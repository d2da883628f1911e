import { describe, expect, it } from "vitest";
import { cachePath } from "./dvc-cache";

describe("the DVC cache folder as @actions/cache is given it", () => {
  it("is relative to the workspace inside it, so entries do not depend on the checkout's path", () => {
    expect(cachePath("/runner/work/repo", "/runner/work/repo/.dvc/cache")).toBe(".dvc/cache");
    expect(cachePath("/runner/work/repo", "/runner/work/repo/ml/.dvc/cache")).toBe("ml/.dvc/cache");
    // A folder whose name merely starts with two dots is still inside.
    expect(cachePath("/runner/work/repo", "/runner/work/repo/..cache")).toBe("..cache");
  });

  it("is absolute outside the workspace, where the library refuses `..`", () => {
    expect(cachePath("/runner/work/repo", "/runner/work/dvc-cache")).toBe("/runner/work/dvc-cache");
    expect(cachePath("/runner/work/repo", "/mnt/cache")).toBe("/mnt/cache");
    expect(cachePath("/runner/work/repo", "/runner/work")).toBe("/runner/work");
    expect(cachePath("/runner/work/repo", "/runner/work/repo")).toBe("/runner/work/repo");
  });
});
