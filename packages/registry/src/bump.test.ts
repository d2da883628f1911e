import type { TagInfo } from "@mlci/git";
import { describe, expect, it } from "vitest";
import {
  bumpFromLabels,
  bumpVersion,
  FIRST_VERSION,
  findVersionAtCommit,
  nextVersion,
  parseBump,
  resolveBump,
} from "./bump";
import { nextCounter } from "./counter";
import { buildRegistryState } from "./state";
import { compareVersions, maxVersion } from "./version-order";

let clock = 1_000;
const tag = (name: string, commit: string): TagInfo => ({
  name,
  objectName: `obj-${name}`,
  objectType: "tag",
  commit,
  taggerDate: clock++,
  taggerName: "t",
  taggerEmail: "t@example.com",
  message: name,
});

describe("counter", () => {
  it("is one more than the highest counter on any tag of that artifact", () => {
    const names = ["m@v0.0.1", "m#prod#3", "m#dev!#7", "m@deprecated#5", "other#prod#40", "m@v0.0.2"];
    expect(nextCounter(names, "m")).toBe(8);
    expect(nextCounter(names, "other")).toBe(41);
    expect(nextCounter(names, "new")).toBe(1);
  });

  it("counts folder-prefixed artifacts by their name form and skips tags that do not parse", () => {
    expect(nextCounter(["d=m#prod#2", "m#prod#9", "d=m#x#bad"], "d:m")).toBe(3);
  });
});

describe("bump rules", () => {
  it("bumps like GTO (python-semver): reset lower parts, drop pre-release and build", () => {
    expect(bumpVersion("v1.2.3", "patch")).toBe("v1.2.4");
    expect(bumpVersion("v1.2.3", "minor")).toBe("v1.3.0");
    expect(bumpVersion("v1.2.3", "major")).toBe("v2.0.0");
    expect(bumpVersion("v1.2.3-rc.1+b.7", "patch")).toBe("v1.2.4");
    expect(bumpVersion("v9007199254740993.0.0", "major")).toBe("v9007199254740994.0.0");
    expect(() => bumpVersion("1.2.3", "patch")).toThrow(/must start with "v"/);
  });

  it("takes the bump from an input, else from PR labels, else patch", () => {
    expect(resolveBump({})).toBe("patch");
    expect(resolveBump({ labels: ["bug", "release:minor"] })).toBe("minor");
    expect(resolveBump({ labels: ["release:minor", "Release:Major"] })).toBe("major");
    expect(resolveBump({ input: "minor", labels: ["release:major"] })).toBe("minor");
    expect(resolveBump({ input: "", labels: ["release:patch"] })).toBe("patch");
    expect(bumpFromLabels(["release:other", "feature"])).toBeUndefined();
    expect(bumpFromLabels(["bump/minor"], "bump/")).toBe("minor");
    expect(parseBump(" MAJOR ")).toBe("major");
    expect(() => parseBump("huge")).toThrow(/"major", "minor" or "patch"/);
  });

  it("starts at v0.0.1 and bumps the greatest active version", () => {
    expect(nextVersion(undefined)).toBe(FIRST_VERSION);
    expect(nextVersion(undefined, "major")).toBe("v0.0.1");
    const state = buildRegistryState([tag("m@v0.3.0", "c1"), tag("m@v1.1.0", "c2"), tag("m@v0.9.0", "c3")]);
    const m = state.artifacts.get("m");
    expect(nextVersion(m)).toBe("v1.1.1");
    expect(nextVersion(m, "minor")).toBe("v1.2.0");
    expect(nextVersion(m, "major")).toBe("v2.0.0");
  });

  it("never reuses the name of a deregistered version", () => {
    const state = buildRegistryState([
      tag("m@v1.0.0", "c1"),
      tag("m@v1.0.1", "c2"),
      tag("m@v1.0.1!", "c2"),
      tag("m@v1.0.2", "c3"),
      tag("m@v1.0.2!", "c3"),
    ]);
    expect(nextVersion(state.artifacts.get("m"))).toBe("v1.0.3");
    const first = buildRegistryState([tag("n@v0.0.1", "c1"), tag("n@v0.0.1!", "c1")]);
    expect(nextVersion(first.artifacts.get("n"))).toBe("v0.0.2");
  });

  it("finds the version a commit holds (at most one), or the deregistered one when asked", () => {
    const state = buildRegistryState([tag("m@v0.0.1", "c1"), tag("m@v0.0.2", "c2"), tag("m@v0.0.2!", "c2")]);
    const m = state.artifacts.get("m");
    expect(findVersionAtCommit(m, "c1")?.version).toBe("v0.0.1");
    expect(findVersionAtCommit(m, "c2")).toBeUndefined();
    expect(findVersionAtCommit(m, "c2", { includeInactive: true })?.version).toBe("v0.0.2");
    expect(findVersionAtCommit(undefined, "c1")).toBeUndefined();
  });
});

describe("version order", () => {
  it("orders by SemVer precedence, commit versions last", () => {
    const sorted = ["v1.0.0", "v1.0.0-rc.2", "abc123", "v1.0.0-rc.10", "v0.9.9", "v1.0.0+b"].sort(
      compareVersions,
    );
    expect(sorted).toEqual(["abc123", "v0.9.9", "v1.0.0-rc.2", "v1.0.0-rc.10", "v1.0.0", "v1.0.0+b"]);
    expect(maxVersion(["v0.0.9", "v0.0.10", "v0.0.2"])).toBe("v0.0.10");
    expect(maxVersion([])).toBeUndefined();
  });
});
