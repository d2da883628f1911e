import { MlciError } from "@mlci/common";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { validateDataset } from "../scan/scan-dataset";
import { tempDir, writeSource } from "../test-support/temp-files";
import type { RuleResult } from "./check-result";
import { dataSchemaJsonSchema, parseDataSchema } from "./schema-file";

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

const SCHEMA = `version: 1
columns:
  id:
    type: integer
    unique: true
    nullable: false
  score:
    type: number
    min: 0
    max: 1
    maxNullFraction: 0.4
  country:
    type: category
    allowed: [DE, FR]
  email:
    regex: "^[^@]+@[^@]+$"
    mostly: 0.5
  when:
    type: timestamp
    min: "2024-01-01"
  flag:
    type: boolean
    severity: warn
dataset:
  extraColumns: error
  minRows: 2
  maxRows: 5
`;

const GOOD = `id,score,country,email,when,flag
1,0.5,DE,a@b.c,2024-02-01,true
2,,FR,x@y.z,2024-03-01T10:00:00Z,false
3.0,1,DE,bad,2024-01-01,TRUE
`;

const BAD = `id,score,country,email,when,flag,extra
1,0.5,DE,a@b.c,2024-02-01,true,x
,-0.5,US,no,2023-12-31,maybe,x
2,high,FR,x@y.z,2024-03-01,false,x
1,1.5,DE,bad,soon,true,x
4,,FR,ok@x.y,2024-05-05,false,x
5,,FR,ok@x.y,2024-05-05,false,x
6,,FR,ok@x.y,2024-05-05,false,x
`;

function byRule(results: RuleResult[], rule: string, column?: string): RuleResult {
  const r = results.find((x) => x.rule === rule && (column === undefined || x.column === column));
  if (!r) throw new Error(`no result for ${rule} ${column ?? ""}`);
  return r;
}

describe("schema checks", () => {
  it("passes data that follows every rule", async () => {
    const schema = parseDataSchema(SCHEMA, ".mlci/schema.yml");
    const { check } = await validateDataset([writeSource(dir, "good.csv", GOOD)], schema, { profile: false });
    expect(check.results.filter((r) => !r.passed)).toEqual([]);
    expect(check).toMatchObject({ passed: true, errors: 0, warnings: 0, rows: 3 });
    // mostly: 0.5 tolerates the one bad email of three.
    expect(byRule(check.results, "regex", "email")).toMatchObject({ passed: true, failing: 1, checked: 3 });
  });

  it("fails each broken rule with counts and example rows at file and line", async () => {
    const schema = parseDataSchema(SCHEMA, ".mlci/schema.yml");
    const { check, profile } = await validateDataset([writeSource(dir, "bad.csv", BAD)], schema);
    expect(profile?.dataset.rows).toBe(7);
    const r = check.results;
    const lines = (x: RuleResult): Array<[string, number]> => x.examples.map((e) => [e.file, e.line]);
    expect(lines(byRule(r, "nullable", "id"))).toEqual([["bad.csv", 3]]);
    expect(byRule(r, "unique", "id")).toMatchObject({ failing: 1, passed: false });
    expect(byRule(r, "unique", "id").examples).toEqual([
      { file: "bad.csv", line: 5, message: "same value as line 2" },
    ]);
    expect(byRule(r, "type", "score").examples).toEqual([
      { file: "bad.csv", line: 4, value: "high", message: "not a number" },
    ]);
    expect(lines(byRule(r, "min", "score"))).toEqual([["bad.csv", 3]]);
    expect(lines(byRule(r, "max", "score"))).toEqual([["bad.csv", 5]]);
    expect(byRule(r, "max-null-fraction", "score")).toMatchObject({ passed: false, failing: 3, checked: 7 });
    expect(byRule(r, "allowed", "country").examples).toEqual([{ file: "bad.csv", line: 3, value: "US" }]);
    expect(byRule(r, "regex", "email")).toMatchObject({ passed: true, failing: 2, checked: 7 });
    expect(lines(byRule(r, "type", "when"))).toEqual([["bad.csv", 5]]);
    expect(lines(byRule(r, "min", "when"))).toEqual([["bad.csv", 3]]);
    expect(byRule(r, "type", "flag")).toMatchObject({ severity: "warn", passed: false, failing: 1 });
    expect(byRule(r, "extra-column", "extra")).toMatchObject({
      passed: false,
      examples: [{ file: "bad.csv", line: 1 }],
    });
    expect(byRule(r, "max-rows")).toMatchObject({ passed: false, checked: 7 });
    expect(byRule(r, "min-rows")).toMatchObject({ passed: true });
    expect(byRule(r, "type", "score").schema).toEqual({
      file: ".mlci/schema.yml",
      line: 7,
      key: "columns.score.type",
    });
    expect(check.passed).toBe(false);
    expect(check.warnings).toBe(1);
  });

  it("reports missing columns, malformed rows, and JSON Lines values", async () => {
    const schema = parseDataSchema("version: 1\ncolumns:\n  id: {type: integer}\n  name: {}\n", "s.yml");
    const a = writeSource(dir, "a.csv", "id\n1\n2,3\n");
    const b = writeSource(dir, "b.jsonl", '{"id": 1.5, "name": "x"}\n');
    const { check } = await validateDataset([a, b], schema, { profile: false });
    expect(byRule(check.results, "missing-column", "name").examples).toEqual([
      { file: "a.csv", line: 1, message: "no column `name`" },
    ]);
    expect(byRule(check.results, "malformed-rows").examples).toEqual([
      { file: "a.csv", line: 3, message: "expected 1 fields, found 2" },
    ]);
    expect(byRule(check.results, "type", "id").examples).toEqual([
      { file: "b.jsonl", line: 1, value: "1.5", message: "not an integer" },
    ]);
  });

  it("rejects a bad schema file with file, line and key", () => {
    expect(() => parseDataSchema("version: 1\ncolumns:\n  a:\n    type: decimal\n", "s.yml")).toThrow(
      MlciError,
    );
    try {
      parseDataSchema("version: 1\ncolumns:\n  a:\n    min: yesterday\n", "s.yml");
      expect.unreachable();
    } catch (e) {
      expect((e as MlciError).location).toEqual({ file: "s.yml", line: 4, key: "columns.a.min" });
    }
    expect(() => parseDataSchema("version: 1\ncolumns:\n  a: {regex: '('}\n", "s.yml")).toThrow(
      /regular expression/,
    );
    const js = dataSchemaJsonSchema();
    expect(js.$id).toBe("https://mlci.dev/schemas/schema.schema.json");
  });
});
