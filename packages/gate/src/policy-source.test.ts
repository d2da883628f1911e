import { MlciError } from "@mlci/common";
import { describe, expect, it } from "vitest";
import { evaluateGate } from "./evaluate";
import { type ReadFileAt, resolvePolicy } from "./policy-source";
import { renderPolicyChangeMarkdown, renderPolicyChangeText } from "./render-policy";

const BASE = "1111111111111111111111111111111111111111";
const HEAD = "2222222222222222222222222222222222222222";
const PATH = ".mlci/gates.yml";

const strict = "version: 1\nrules:\n  - metric: eval.acc\n    min: 0.9\n";
const loose = "version: 1\nrules:\n  - metric: eval.acc\n    min: 0.5\n";

/** A repository as {rev: {path: text}}; reads of other revisions throw like git would. */
function repo(files: Record<string, Record<string, string>>): ReadFileAt {
  return async (rev, path) => {
    const tree = files[rev];
    if (!tree) throw new Error(`fatal: invalid object name '${rev}'`);
    return tree[path] ?? null;
  };
}

async function rejects(p: Promise<unknown>): Promise<MlciError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(MlciError);
    return e as MlciError;
  }
  throw new Error("expected an MlciError");
}

describe("resolvePolicy on a pull request", () => {
  it("applies the base revision's policy when the pull request loosens it, and says so", async () => {
    const res = await resolvePolicy({
      readFile: repo({ [BASE]: { [PATH]: strict }, [HEAD]: { [PATH]: loose } }),
      base: BASE,
      head: HEAD,
    });
    expect(res.policy.rules[0]?.min).toBe(0.9);
    expect(res.provenance).toEqual({ source: "base", path: PATH, rev: BASE, changed: true });
    expect(res.change?.kind).toBe("modified");
    expect(res.change?.applied).toBe("base");
    expect(res.change?.head.policy?.rules[0]?.min).toBe(0.5);
    expect(res.change?.diff).toBe(
      [
        `--- a/${PATH} (base 1111111)`,
        `+++ b/${PATH} (head 2222222)`,
        "@@ -1,4 +1,4 @@",
        " version: 1",
        " rules:",
        "   - metric: eval.acc",
        "-    min: 0.9",
        "+    min: 0.5",
      ].join("\n"),
    );
    expect(res.note).toBe(
      `This pull request changes ${PATH}; the gate applied the base revision's policy (1111111). The change takes effect after merge.`,
    );

    // And the loosened gate does not let a worse model through.
    const result = evaluateGate(res.policy, {
      head: { "eval.acc": 0.6 },
      directionOf: () => "higher",
      policySource: res.provenance,
    });
    expect(result.passed).toBe(false);

    const md = renderPolicyChangeMarkdown(res);
    expect(md).toContain("> [!NOTE]");
    expect(md).toContain("the gate applied the base revision's policy (1111111)");
    expect(md).toContain("```diff\n--- a/.mlci/gates.yml");
    expect(md).toContain("-    min: 0.9\n+    min: 0.5");
    expect(renderPolicyChangeText(res)).toContain("+    min: 0.5");
  });

  it("has nothing to say when the policy is unchanged", async () => {
    const res = await resolvePolicy({
      readFile: repo({ [BASE]: { [PATH]: strict }, [HEAD]: { [PATH]: strict } }),
      base: BASE,
      head: HEAD,
    });
    expect(res.provenance.changed).toBe(false);
    expect(res.change).toBeUndefined();
    expect(renderPolicyChangeMarkdown(res)).toBe("");
  });

  it("applies the head's policy with policy-from: head, and warns", async () => {
    const res = await resolvePolicy({
      readFile: repo({ [BASE]: { [PATH]: strict }, [HEAD]: { [PATH]: loose } }),
      base: BASE,
      head: HEAD,
      policyFrom: "head",
    });
    expect(res.policy.rules[0]?.min).toBe(0.5);
    expect(res.provenance).toMatchObject({ source: "head", rev: HEAD, changed: true });
    expect(res.note).toContain("policy-from: head");
    expect(renderPolicyChangeMarkdown(res)).toContain("> [!WARNING]");
  });

  it("fails closed when the base has no policy and the pull request adds one", async () => {
    const readFile = repo({ [BASE]: {}, [HEAD]: { [PATH]: loose } });
    const err = await rejects(resolvePolicy({ readFile, base: BASE, head: HEAD }));
    expect(err.code).toBe("CONFIG");
    expect(err.location?.file).toBe(PATH);
    expect(err.message).toContain("not in the base revision 1111111");
    expect(err.hint).toContain("bootstrap");

    const boot = await resolvePolicy({ readFile, base: BASE, head: HEAD, bootstrap: true });
    expect(boot.provenance).toMatchObject({ source: "head", changed: true });
    expect(boot.change?.kind).toBe("added");
    expect(boot.note).toContain("bootstrap");
  });

  it("applies the base when the pull request deletes the policy", async () => {
    const res = await resolvePolicy({
      readFile: repo({ [BASE]: { [PATH]: strict }, [HEAD]: {} }),
      base: BASE,
      head: HEAD,
    });
    expect(res.policy.rules[0]?.min).toBe(0.9);
    expect(res.change?.kind).toBe("deleted");
    expect(res.note).toContain("deletes");
  });

  it("fails when neither side has a policy", async () => {
    const err = await rejects(
      resolvePolicy({ readFile: repo({ [BASE]: {}, [HEAD]: {} }), base: BASE, head: HEAD }),
    );
    expect(err.code).toBe("NOT_FOUND");
    expect(err.message).toContain(PATH);
  });

  it("rejects an invalid policy in the pull request, naming file, line and key", async () => {
    const broken = "version: 1\nrules:\n  - metric: eval.acc\n    min: high\n";
    const err = await rejects(
      resolvePolicy({
        readFile: repo({ [BASE]: { [PATH]: strict }, [HEAD]: { [PATH]: broken } }),
        base: BASE,
        head: HEAD,
      }),
    );
    expect(err.code).toBe("CONFIG");
    expect(err.location).toEqual({ file: PATH, line: 4, key: "rules[0].min" });
    expect(err.message).toMatch(/^the pull request's policy \(2222222\): /);
  });

  it("rejects an invalid policy at base, naming the revision", async () => {
    const err = await rejects(
      resolvePolicy({
        readFile: repo({
          [BASE]: { [PATH]: "version: 1\nrules:\n  - metrc: a\n" },
          [HEAD]: { [PATH]: strict },
        }),
        base: BASE,
        head: HEAD,
      }),
    );
    expect(err.location).toMatchObject({ file: PATH, line: 3, key: "rules[0].metric" });
    expect(err.message).toContain("the base revision's policy (1111111)");
    expect(err.message).toContain('Unrecognized key: "metrc"');
  });

  it("turns an unreadable file into a CONFIG error naming the file", async () => {
    const err = await rejects(
      resolvePolicy({ readFile: repo({ [HEAD]: { [PATH]: strict } }), base: BASE, head: HEAD }),
    );
    expect(err.code).toBe("CONFIG");
    expect(err.location?.file).toBe(PATH);
    expect(err.message).toContain(
      "could not read the policy .mlci/gates.yml at 1111111: fatal: invalid object name",
    );
  });
});

describe("resolvePolicy outside pull requests", () => {
  it("reads the head revision, from a custom path", async () => {
    const res = await resolvePolicy({
      readFile: repo({ [HEAD]: { "ci/gates.yaml": strict } }),
      head: HEAD,
      path: "ci/gates.yaml",
    });
    expect(res.provenance).toEqual({ source: "head", path: "ci/gates.yaml", rev: HEAD, changed: false });
  });

  it("fails when the file is not there", async () => {
    const err = await rejects(resolvePolicy({ readFile: repo({ [HEAD]: {} }), head: HEAD }));
    expect(err.code).toBe("NOT_FOUND");
  });

  it("takes an inline policy (YAML or JSON) without reading files", async () => {
    const readFile: ReadFileAt = async () => {
      throw new Error("must not read");
    };
    const res = await resolvePolicy({
      readFile,
      head: HEAD,
      base: BASE,
      inline: '{"version": 1, "rules": [{"metric": "acc", "min": 0.5}]}',
    });
    expect(res.provenance).toEqual({ source: "inline" });
    const err = await rejects(resolvePolicy({ readFile, head: HEAD, inline: "version: 1\nrule: []\n" }));
    expect(err.location?.file).toBe("the `policy` input");
  });
});
