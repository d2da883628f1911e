import { MlciError } from "@mlci/common";
import { describe, expect, it } from "vitest";
import {
  checkArtifactName,
  formatTag,
  isTagError,
  type ParsedTag,
  parseTag,
  splitArtifactName,
  tagToName,
} from "./tag-grammar";

const forms: [string, ParsedTag][] = [
  ["model@v1.2.3", { action: "register", artifact: "model", version: "v1.2.3" }],
  ["model@v0.0.1", { action: "register", artifact: "model", version: "v0.0.1" }],
  ["model@v1.2.3-rc.1", { action: "register", artifact: "model", version: "v1.2.3-rc.1" }],
  ["model@v1.2.3+build.5", { action: "register", artifact: "model", version: "v1.2.3+build.5" }],
  [
    "model@v1.0.0-alpha-1.0a.x-y+exp.sha.5114f85",
    { action: "register", artifact: "model", version: "v1.0.0-alpha-1.0a.x-y+exp.sha.5114f85" },
  ],
  ["model@v1.2.3#4", { action: "register", artifact: "model", version: "v1.2.3", counter: 4 }],
  ["model@v1.2.3!", { action: "deregister", artifact: "model", version: "v1.2.3" }],
  ["model@v1.2.3!#7", { action: "deregister", artifact: "model", version: "v1.2.3", counter: 7 }],
  ["model#prod#3", { action: "assign", artifact: "model", stage: "prod", counter: 3 }],
  ["model#prod", { action: "assign", artifact: "model", stage: "prod" }],
  ["model#prod!#12", { action: "unassign", artifact: "model", stage: "prod", counter: 12 }],
  ["model#prod!", { action: "unassign", artifact: "model", stage: "prod" }],
  ["model@deprecated", { action: "deprecate", artifact: "model" }],
  ["model@deprecated#9", { action: "deprecate", artifact: "model", counter: 9 }],
  ["sub/dir=model@v2.0.0", { action: "register", artifact: "sub/dir:model", version: "v2.0.0" }],
  ["sub/dir=model#staging#2", { action: "assign", artifact: "sub/dir:model", stage: "staging", counter: 2 }],
  ["a.b_c-d=m@deprecated", { action: "deprecate", artifact: "a.b_c-d:m" }],
  ["models/churn@v1.0.0", { action: "register", artifact: "models/churn", version: "v1.0.0" }],
  ["My_Model-2#Stage/A#1", { action: "assign", artifact: "My_Model-2", stage: "Stage/A", counter: 1 }],
  ["m@v1.0.0", { action: "register", artifact: "m", version: "v1.0.0" }],
  ["7#x", { action: "assign", artifact: "7", stage: "x" }],
];

describe("tag grammar round trip", () => {
  it.each(forms)("%s parses and formats back", (tag, parsed) => {
    expect(parseTag(tag)).toEqual(parsed);
    expect(formatTag(parsed)).toBe(tag);
  });
});

const rejects: [string, RegExp][] = [
  ["", /empty/],
  ["v1.2.3", /no "@" \(version\) or "#" \(stage\)/],
  ["@v1.0.0", /no artifact name/],
  ["-model@v1.0.0", /artifact name "-model" must start and end/],
  ["model-@v1.0.0", /must start and end with a letter or digit/],
  ["mo del@v1.0.0", /must start and end/],
  ["mo.del@v1.0.0", /must start and end/],
  ["model@1.2.3", /must start with "v"/],
  ["model@V1.2.3", /lowercase "v"/],
  ["model@v1.2", /not SemVer 2.0/],
  ["model@v01.2.3", /not SemVer 2.0/],
  ["model@v1.2.3-01", /not SemVer 2.0/],
  ["model@v1.2.3+", /not SemVer 2.0/],
  ["model@v1.2.3#x", /counter "#x" is not a number/],
  ["model#prod#x", /counter "#x" is not a number/],
  ["model#prod#1#2", /more than two "#"/],
  ["model#-prod#1", /stage "-prod"/],
  ["model#prod_#1", /stage "prod_"/],
  ["model#prod!!#1", /stage "prod!"/],
  ["model@deprecated!", /takes no "!"/],
  ["a=b=model@v1.0.0", /more than one "="/],
  ["a b=model@v1.0.0", /folder "a b"/],
  ["model@created", /reserved by GTO/],
  ["model@v1.0.0@v2.0.0", /more than one "@"/],
];

describe("tag grammar rejects", () => {
  it.each(rejects)("%j is rejected with a reason", (tag, reason) => {
    const res = parseTag(tag);
    expect(isTagError(res)).toBe(true);
    expect(isTagError(res) && res.error).toMatch(reason);
  });

  it("formatTag refuses values the grammar rejects, with a reason", () => {
    const bad: ParsedTag[] = [
      { action: "register", artifact: "model", version: "1.0.0" },
      { action: "register", artifact: "bad name", version: "v1.0.0" },
      { action: "assign", artifact: "model", stage: "prod!", counter: 1 },
      { action: "deprecate", artifact: "model", counter: -1 },
      { action: "deprecate", artifact: "a=b" },
    ];
    for (const p of bad) {
      expect(() => formatTag(p)).toThrow(MlciError);
    }
    expect(() => formatTag(bad[0]!)).toThrow(/must start with "v"/);
  });
});

describe("folder-prefixed names", () => {
  it("maps dir:name to dir=name and back", () => {
    expect(formatTag({ action: "register", artifact: "nested/dir:model", version: "v1.0.0" })).toBe(
      "nested/dir=model@v1.0.0",
    );
    expect(tagToName("nested/dir=model")).toBe("nested/dir:model");
    expect(splitArtifactName("nested/dir:model")).toEqual({ dir: "nested/dir", name: "model" });
    expect(splitArtifactName("models/churn")).toEqual({ dir: undefined, name: "models/churn" });
  });

  it("checks artifact names as GTO does", () => {
    expect(checkArtifactName("models/churn")).toBeUndefined();
    expect(checkArtifactName("a.b/c:m")).toBeUndefined();
    expect(checkArtifactName("a:b:c")).toMatch(/more than one ":"/);
    expect(checkArtifactName("dir=m")).toMatch(/write the folder prefix as "dir:name"/);
    expect(checkArtifactName("dir:m.")).toMatch(/in "dir:m\."/);
  });
});
