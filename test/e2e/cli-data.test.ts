import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { breakData, DATA_SCHEMA, dataCsv } from "../../packages/app/src/data/test-support";
import { gitEnv } from "../helpers/git-repo";

const root = join(import.meta.dirname, "..", "..");
const cli = join(root, "packages", "cli", "dist", "mlci.js");

function mlci(cwd: string, ...args: string[]) {
  const res = spawnSync(process.execPath, [cli, ...args], { cwd, env: gitEnv(), encoding: "utf8" });
  return { code: res.status ?? 1, stdout: res.stdout, stderr: res.stderr };
}

let dir: string;
const data = dataCsv(7000, { seed: 1 });
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "mlci-cli-data-"));
  mkdirSync(join(dir, ".mlci"));
  mkdirSync(join(dir, "parts"));
  writeFileSync(join(dir, ".mlci/schema.yml"), DATA_SCHEMA);
  writeFileSync(join(dir, "train.csv"), data);
  writeFileSync(join(dir, "broken.csv"), breakData(dataCsv(500, { seed: 2 })).text);
  writeFileSync(join(dir, "fresh.csv"), dataCsv(4000, { seed: 3, shift: 1 }));
  writeFileSync(join(dir, "same.csv"), dataCsv(4000, { seed: 4 }));
  // Seven uneven parts of train.csv, each with the header.
  const [header, ...rows] = data.trimEnd().split("\n");
  const cuts = [0, 1, 500, 501, 2200, 4000, 6999, 7000];
  for (let i = 0; i + 1 < cuts.length; i++) {
    writeFileSync(
      join(dir, "parts", `part-${i}.csv`),
      `${[header, ...rows.slice(cuts[i], cuts[i + 1])].join("\n")}\n`,
    );
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("mlci validate", () => {
  it("fails on schema errors with file:line examples, and prints the data result with --json", () => {
    const out = mlci(dir, "validate", "broken.csv");
    expect(out.stderr).toBe("");
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(
      /^Data check failed: 6 errors, 1 warning \(21 rules of \.mlci\/schema\.yml; 499 rows/,
    );
    expect(out.stdout).toContain("  error type: x: values must be of type number; 1 of");
    expect(out.stdout).toContain('      broken.csv:12  value "oops"  not a number');
    const json = mlci(dir, "validate", "broken.csv", "--json");
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({
      version: 1,
      kind: "mlci-data-result",
      passed: false,
      schema: { path: ".mlci/schema.yml" },
    });
    expect(json.code).toBe(1);
    expect(mlci(dir, "validate", "train.csv").code).toBe(0);
  });

  it("without the default schema checks only that rows can be read; a named schema must exist", () => {
    const other = mkdtempSync(join(tmpdir(), "mlci-cli-noschema-"));
    try {
      writeFileSync(join(other, "d.csv"), "a,b\n1,2\n3,4\n");
      const ok = mlci(other, "validate", "d.csv");
      expect(ok.code).toBe(0);
      expect(ok.stderr).toMatch(/note: no \.mlci\/schema\.yml: only malformed rows were checked/);
      expect(ok.stdout).toMatch(/^Data check passed \(no schema: only malformed rows checked; 2 rows/);
      const missing = mlci(other, "validate", "d.csv", "--schema", "nope.yml");
      expect(missing.code).toBe(3);
      expect(missing.stderr).toMatch(/^mlci: nope\.yml: the data schema does not exist/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe("mlci profile and profile merge", () => {
  it("writes mlci-profile.json by default and prints a table; -o - prints the JSON", () => {
    const out = mlci(dir, "profile", "train.csv");
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^7,000 rows, 6 columns, 1 file\n {2}column +type +nulls/);
    expect(out.stdout).toMatch(/\n {2}segment +string +0% +4 +enterprise +smb/);
    expect(existsSync(join(dir, "mlci-profile.json"))).toBe(true);
    const json = JSON.parse(mlci(dir, "profile", "train.csv", "-o", "-").stdout);
    expect(json).toMatchObject({ version: 1, kind: "mlci-profile", dataset: { rows: 7000 } });
  });

  it("merges 7 uneven parts into the counts of one pass", () => {
    for (let i = 0; i < 7; i++) {
      expect(mlci(dir, "profile", `parts/part-${i}.csv`, "-o", `parts/part-${i}.json`).code).toBe(0);
    }
    const parts = Array.from({ length: 7 }, (_, i) => `parts/part-${i}.json`);
    const merged = mlci(dir, "profile", "merge", ...parts, "-o", "merged.json");
    expect(merged.stderr).toBe("");
    expect(merged.stdout).toMatch(/^Merged 7 profiles: 7,000 rows, 6 columns, 7 files/);
    const m = JSON.parse(readFileSync(join(dir, "merged.json"), "utf8"));
    const one = JSON.parse(mlci(dir, "profile", "train.csv", "-o", "-").stdout);
    expect(m.dataset.rows).toBe(one.dataset.rows);
    for (const c of one.columns) {
      const p = m.columns.find((x: { name: string }) => x.name === c.name);
      expect([p.count, p.nulls, p.types, p.type, p.distinct, p.min, p.max], c.name).toEqual([
        c.count,
        c.nulls,
        c.types,
        c.type,
        c.distinct,
        c.min,
        c.max,
      ]);
      expect(p.state.hll, c.name).toEqual(c.state.hll);
      if (c.mean !== null)
        expect(Math.abs(p.mean - c.mean)).toBeLessThan(1e-9 * Math.max(1, Math.abs(c.mean)));
    }
    // Stdout by default; profiles of different sketch settings or files that are not profiles refuse.
    expect(JSON.parse(mlci(dir, "profile", "merge", ...parts).stdout).dataset.rows).toBe(7000);
    const bad = mlci(dir, "profile", "merge", "parts/part-0.json", "train.csv");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/train\.csv: not valid JSON/);
  });
});

describe("mlci drift", () => {
  it("exits 1 when the data set drifted, 0 when not; takes data or a profile", () => {
    expect(mlci(dir, "profile", "train.csv", "-o", "ref.json").code).toBe(0);
    const drifted = mlci(dir, "drift", "fresh.csv", "--reference", "ref.json", "--ignore", "id");
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/^Data drift: \d of 5 columns drifted .* against ref\.json\n/);
    expect(drifted.stdout).toMatch(/\n {2}drift +x +wasserstein +~?0\.\d+ +\(>= 0\.1\)/);
    const same = mlci(
      dir,
      "drift",
      "same.csv",
      "-r",
      "ref.json",
      "--ignore",
      "id",
      "--json",
      "-o",
      "same.json",
    );
    expect(same.code).toBe(0);
    const report = JSON.parse(same.stdout);
    expect(report).toMatchObject({ version: 1, kind: "mlci-drift", drifted: false });
    expect(report.columns.map((c: { column: string }) => c.column)).toEqual([
      "x",
      "amount",
      "segment",
      "age",
      "label",
    ]);
    const fromProfile = mlci(dir, "drift", "same.json", "-r", "ref.json", "--ignore", "id", "--json");
    expect(JSON.parse(fromProfile.stdout).columns).toEqual(report.columns);
    const none = mlci(dir, "drift", "fresh.csv");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs --reference/);
  });
});

describe("mlci schema infer", () => {
  it("writes a schema the data passes, and does not overwrite one without --force", () => {
    const other = mkdtempSync(join(tmpdir(), "mlci-cli-infer-"));
    try {
      writeFileSync(join(other, "d.csv"), data);
      const out = mlci(other, "schema", "infer", "d.csv");
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/Schema written to \.mlci\/schema\.yml/);
      const schema = readFileSync(join(other, ".mlci/schema.yml"), "utf8");
      expect(schema).toMatch(
        /^# yaml-language-server: \$schema=https:\/\/mlci\.dev\/schemas\/schema\.schema\.json\n/,
      );
      expect(schema).toMatch(/ {2}segment:\n {4}type: category\n {4}allowed:\n/);
      expect(mlci(other, "validate", "d.csv").code).toBe(0);
      const again = mlci(other, "schema", "infer", "d.csv");
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/\.mlci\/schema\.yml exists already/);
      expect(mlci(other, "schema", "infer", "d.csv", "--force").code).toBe(0);
      expect(mlci(other, "schema", "infer", "d.csv", "-o", "-").stdout).toBe(schema);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe("progress and help", () => {
  // `script` (util-linux) gives the command a terminal.
  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)(
    "draws a progress bar on a terminal and clears it; nothing when stderr is not a terminal",
    () => {
      expect(mlci(dir, "profile", "train.csv", "-o", "-").stderr).toBe("");
      const tty = spawnSync(
        "script",
        [
          "-qec",
          `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} profile train.csv -o tty.json`,
          "/dev/null",
        ],
        { cwd: dir, env: gitEnv(), encoding: "utf8" },
      );
      expect(tty.status).toBe(0);
      expect(tty.stdout).toMatch(
        /\r\[[=> ]+\] +\d+% [\d.]+ (B|KB|MB) of [\d.]+ KB, [\d.]+ k? ?rows, [\d.]+ k? ?rows\/s\u001b\[K/,
      );
      expect(tty.stdout).toContain("\r\u001b[K");
    },
  );

  it("lists the data commands", () => {
    const help = mlci(dir, "--help").stdout;
    for (const name of ["drift", "profile", "profile merge", "schema infer", "validate"]) {
      expect(help).toMatch(new RegExp(`\\n {2}${name} +\\S`));
    }
    expect(mlci(dir, "profile", "merge", "--help").stdout).toMatch(
      /^Usage: mlci profile merge <profiles\.\.\.>/,
    );
  });
});
