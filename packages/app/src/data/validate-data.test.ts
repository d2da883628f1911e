import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { MlciError } from "@mlci/common";
import { parseProfile } from "@mlci/data";
import { Git } from "@mlci/git";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TempRepo } from "../../../../test/helpers/git-repo";
import { parseDataResult } from "./data-result";
import { breakData, DATA_SCHEMA, dataCsv } from "./test-support";
import { validateData } from "./validate-data";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mlci-validate-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    rmSync(path, { force: true });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

describe("validateData", () => {
  it("checks and profiles in one pass, writes both files, and points at file and line", async () => {
    const broken = breakData(dataCsv(200));
    write({ ".mlci/schema.yml": DATA_SCHEMA, "data/train.csv": broken.text });
    const { result, profile, notes } = await validateData({
      cwd: dir,
      data: ["data"],
      schema: ".mlci/schema.yml",
      profilePath: "out/profile.json",
      resultPath: "out/result.json",
    });
    expect(notes).toEqual([]);
    expect(result.passed).toBe(false);
    expect(result.schema).toEqual({ path: ".mlci/schema.yml" });
    expect(result.data).toMatchObject({ inputs: ["data"], rows: 199, columns: 6, malformedRows: 1 });
    const failed = Object.fromEntries(
      result.check.results.filter((r) => !r.passed).map((r) => [`${r.rule}:${r.column ?? ""}`, r]),
    );
    expect(Object.keys(failed).sort()).toEqual([
      "allowed:label",
      "allowed:segment",
      "malformed-rows:",
      "max:age",
      "min:amount",
      "type:x",
      "unique:id",
    ]);
    expect(failed["type:x"]?.examples).toEqual([
      { file: "data/train.csv", line: broken.lines.type, value: "oops", message: "not a number" },
    ]);
    expect(failed["unique:id"]?.examples[0]).toMatchObject({
      file: "data/train.csv",
      line: broken.lines.duplicate,
    });
    expect(failed["malformed-rows:"]?.examples[0]).toMatchObject({ line: broken.lines.malformed });
    expect(failed["allowed:label"]?.severity).toBe("warn");
    expect(result.check).toMatchObject({ errors: 6, warnings: 1 });
    expect(result.profilePath).toBe("out/profile.json");
    expect(parseProfile(readFileSync(join(dir, "out/profile.json"), "utf8"), "p").dataset.rows).toBe(
      profile.dataset.rows,
    );
    expect(parseDataResult(readFileSync(join(dir, "out/result.json"), "utf8"), "r")).toEqual(result);
  });

  it("without a schema checks that rows can be read; the default schema may be absent, a named one not", async () => {
    write({ "d.csv": "a,b\n1,2\n3\n4,5\n" });
    const { result, notes } = await validateData({ cwd: dir, data: ["d.csv"], schema: ".mlci/schema.yml" });
    expect(notes[0]).toMatch(/no \.mlci\/schema\.yml: only malformed rows were checked/);
    expect(result.schema).toBeNull();
    expect(result.passed).toBe(false);
    expect(result.check.results).toEqual([
      expect.objectContaining({
        rule: "malformed-rows",
        failing: 1,
        examples: [expect.objectContaining({ line: 3 })],
      }),
    ]);
    expect(result.profilePath).toBeNull();
    expect(existsSync(join(dir, "mlci-profile.json"))).toBe(false);
    await expect(
      validateData({ cwd: dir, data: ["d.csv"], schema: ".mlci/schema.yml", schemaRequired: true }),
    ).rejects.toMatchObject({ code: "NOT_FOUND", location: { file: ".mlci/schema.yml" } });
    await expect(validateData({ cwd: dir, data: ["d.csv"], schema: "other.yml" })).rejects.toBeInstanceOf(
      MlciError,
    );
    await expect(validateData({ cwd: dir, data: ["missing/*.csv"] })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("compares with a reference profile file, with the reference's sketch settings", async () => {
    write({ "ref.csv": dataCsv(3000, { seed: 1 }), "same.csv": dataCsv(3000, { seed: 2 }) });
    write({ "moved.csv": dataCsv(3000, { seed: 3, shift: 1 }) });
    await validateData({ cwd: dir, data: ["ref.csv"], profilePath: "ref.json" });
    const same = await validateData({ cwd: dir, data: ["same.csv"], reference: "ref.json", ignore: ["id"] });
    expect(same.result.drifted).toBe(false);
    expect(same.result.reference).toEqual({ spec: "ref.json", path: "ref.json", rows: 3000 });
    const moved = await validateData({
      cwd: dir,
      data: ["moved.csv"],
      reference: "ref.json",
      ignore: ["id"],
    });
    expect(moved.result.drifted).toBe(true);
    expect(moved.result.driftShare).toBeGreaterThanOrEqual(0.5);
    const x = moved.result.drift?.columns.find((c) => c.column === "x");
    expect(x).toMatchObject({ method: "wasserstein", drifted: true });
    expect(moved.result.passed).toBe(true); // drift is not a check failure
    write({ "other.csv": "p,q\n1,2\n" });
    await expect(validateData({ cwd: dir, data: ["other.csv"], reference: "ref.json" })).rejects.toThrow(
      /no column of the reference profile could be compared/,
    );
  });

  it("reads a registry reference: the profile committed at the version that holds the stage", async () => {
    const repo = new TempRepo("mlci-validate-registry-");
    try {
      repo.write({ "data/train.csv": dataCsv(1500, { seed: 4 }) });
      await validateData({ cwd: repo.dir, data: ["data/train.csv"], profilePath: "mlci-profile.json" });
      const prod = repo.commit("Train on the November data");
      repo.tag("churn@v1.0.0", "Registering artifact churn version v1.0.0", prod, "2026-01-01T00:00:01Z");
      repo.tag(
        "churn#prod#1",
        "Assigning stage prod to artifact churn version v1.0.0",
        prod,
        "2026-01-01T00:00:02Z",
      );
      repo.write({ "mlci-profile.json": null, "data/train.csv": dataCsv(1500, { seed: 5, shift: 2 }) });
      repo.commit("New data, profile not yet committed");
      const { result } = await validateData({
        cwd: repo.dir,
        data: ["data/train.csv"],
        reference: "registry:churn#prod",
        git: new Git(repo.dir),
      });
      expect(result.reference).toMatchObject({
        spec: "registry:churn#prod",
        version: "v1.0.0",
        commit: prod,
        rows: 1500,
      });
      expect(result.reference?.path).toBe(`mlci-profile.json at churn@v1.0.0 (${prod.slice(0, 7)})`);
      expect(result.drifted).toBe(true);
      await expect(
        validateData({
          cwd: repo.dir,
          data: ["data/train.csv"],
          reference: "registry:churn#staging",
          git: new Git(repo.dir),
        }),
      ).rejects.toThrow(/no version of churn holds stage staging/);
    } finally {
      repo.remove();
    }
  });
});
