import { describe, expect, it } from "vitest";
import { cachePath, checkCacheKeyPrefix } from "./dvc-cache";

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

describe("the cache-key-prefix input", () => {
  it("takes a prefix whose keys GitHub's cache service accepts", () => {
    expect(() => checkCacheKeyPrefix("mlci-dvc", "Linux")).not.toThrow();
    // 512 characters in all: the longest key allowed.
    expect(() => checkCacheKeyPrefix("p".repeat(512 - 32 - "--Linux".length), "Linux")).not.toThrow();
  });

  it("refuses a comma and a key over 512 characters", () => {
    expect(() => checkCacheKeyPrefix("a,b", "Linux")).toThrow("must not contain a comma");
    expect(() => checkCacheKeyPrefix("p".repeat(512 - 32 - "--Linux".length + 1), "Linux")).toThrow(
      "the cache key would be 513 characters, GitHub allows 512",
    );
  });
});
