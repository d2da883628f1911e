// biome-ignore-all lint/suspicious/noTemplateCurlyInString: dvc.yaml templating, not JS
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkConfigFiles } from "./config-check";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "mlci-doctor-config-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const byLabel = (checks: Awaited<ReturnType<typeof checkConfigFiles>>) =>
  Object.fromEntries(checks.map((c) => [c.label, `${c.status}: ${c.detail}`]));

describe("checkConfigFiles", () => {
  it("says what each valid file holds, and which are not there", async () => {
    const dir = project({
      ".mlci/gates.yml": "version: 1\nrules:\n  - metric: acc\n    min: 0.9\n  - metric: loss\n    max: 1\n",
      ".mlci/schema.yml": "version: 1\ncolumns:\n  age: {type: integer, min: 0}\n",
      "dvc.yaml": "stages:\n  train:\n    cmd: python train.py\n    deps: [train.py]\n",
      "params.yaml": "train:\n  epochs: 3\n  lr: 0.1\n",
    });
    expect(byLabel(await checkConfigFiles(dir))).toEqual({
      ".mlci/config.yml": "skip: not found",
      ".mlci/gates.yml": "ok: 2 rules",
      ".mlci/schema.yml": "ok: 1 column",
      "dvc.yaml": "ok: 1 stage",
      "params.yaml": "ok: 2 params",
    });
  });

  it("names the file, line and key of each problem", async () => {
    const dir = project({
      ".mlci/config.yml": "version: 1\nmetrics:\n  files: [m.json]\n  direciton: {}\n",
      ".mlci/gates.yml": "version: 1\nrules:\n  - metric: acc\n    min: high\n",
      ".mlci/schema.yml": "version: 1\ncolumns:\n  age: {type: int}\n",
      "dvc.yaml": "stages:\n  train:\n    cmd: python ${missing}\n",
      "params.yaml": "train:\n  epochs: 3\n",
    });
    const checks = await checkConfigFiles(dir);
    expect(checks.map((c) => c.status)).toEqual(["fail", "fail", "fail", "fail", "ok"]);
    const detail = Object.fromEntries(checks.map((c) => [c.label, c.detail]));
    expect(detail[".mlci/config.yml"]).toMatch(/^\.mlci\/config\.yml:2 \(key `metrics`\): .*direciton/);
    expect(detail[".mlci/gates.yml"]).toMatch(/^\.mlci\/gates\.yml:4 \(key `rules\[0\]\.min`\)/);
    expect(detail[".mlci/schema.yml"]).toMatch(/^\.mlci\/schema\.yml:3 \(key `columns.age.type`\)/);
    expect(detail["dvc.yaml"]).toMatch(/^dvc\.yaml:3.*missing/);
  });

  it("a broken params.yaml fails, and so does the dvc.yaml that reads it", async () => {
    const dir = project({
      "dvc.yaml": "stages:\n  train:\n    cmd: python train.py --epochs ${train.epochs}\n",
      "params.yaml": "train: [1, 2\n",
    });
    const detail = Object.fromEntries(
      (await checkConfigFiles(dir)).map((c) => [c.label, `${c.status}: ${c.detail}`]),
    );
    expect(detail["params.yaml"]).toMatch(/^fail: params\.yaml:\d+: /);
    expect(detail["dvc.yaml"]).toMatch(/^fail: .*params\.yaml/);
  });
});
