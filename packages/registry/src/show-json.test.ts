import type { TagInfo } from "@mlci/git";
import { describe, expect, it } from "vitest";
import { renderShowJson, toShowJson } from "./show-json";
import { buildRegistryState } from "./state";

const T = Date.parse("2026-02-01T10:00:00Z") / 1000;
const tag = (name: string, commit: string, dt: number, objectType = "tag"): TagInfo => ({
  name,
  objectName: `o-${name}`,
  objectType,
  commit,
  taggerDate: T + dt,
  taggerName: "CI",
  taggerEmail: "ci@example.com",
  message: `${name}\n`,
});

const TAGS = [
  tag("churn@v0.0.1", "c1", 1),
  tag("churn@v0.0.2", "c2", 2),
  tag("churn#prod#1", "c1", 3),
  tag("churn#staging#2", "c2", 4),
  tag("churn@v0.1.0", "c3", 5),
  tag("churn@v0.1.0!", "c3", 6),
  tag("d=old@v1.0.0", "c1", 7),
  tag("d=old@deprecated", "c1", 8),
  tag("churn@v0.0.3", "c3", 9, "commit"),
];

describe("registry show --json", () => {
  it("has the documented, stable shape", () => {
    expect(toShowJson(buildRegistryState(TAGS))).toEqual({
      version: 1,
      sort: "timestamp",
      artifacts: {
        churn: {
          latest: "v0.0.2",
          deprecated: false,
          stages: { prod: "v0.0.1", staging: "v0.0.2" },
          versions: [
            {
              version: "v0.1.0",
              commit: "c3",
              registered: true,
              active: false,
              createdAt: "2026-02-01T10:00:05Z",
              tag: "churn@v0.1.0",
              message: "churn@v0.1.0",
              author: "CI",
              authorEmail: "ci@example.com",
              stages: [],
            },
            expect.objectContaining({ version: "v0.0.2", active: true, stages: ["staging"] }),
            expect.objectContaining({ version: "v0.0.1", active: true, stages: ["prod"] }),
          ],
        },
        "d:old": {
          latest: "v1.0.0",
          deprecated: true,
          stages: {},
          versions: [expect.objectContaining({ version: "v1.0.0", tag: "d=old@v1.0.0" })],
        },
      },
      warnings: ['tag "churn@v0.0.3" ignored: it is a lightweight tag, and only annotated tags count'],
    });
  });

  it("orders versions by SemVer when asked, and renders as indented JSON", () => {
    const state = buildRegistryState([tag("m@v0.10.0", "a", 1), tag("m@v0.9.0", "b", 2)], { sort: "semver" });
    const json = toShowJson(state);
    expect(json.sort).toBe("semver");
    expect(json.artifacts.m?.versions.map((v) => v.version)).toEqual(["v0.10.0", "v0.9.0"]);
    const text = renderShowJson(state);
    expect(text.endsWith("}\n")).toBe(true);
    expect(JSON.parse(text)).toEqual(json);
  });
});
