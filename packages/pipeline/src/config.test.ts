import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadDvcConfig, parseConfigText } from "./config";
import { inputsFingerprint } from "./fingerprint";
import { openProject } from "./project";
import { runPipeline } from "./runner";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "mlci-config-"));
  await mkdir(join(root, ".dvc"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe(".dvc/config", () => {
  it("reads one value from an INI section", () => {
    const text =
      "[core]\n  remote = s3\n['remote \"s3\"']\n  url = s3://b\n[cache]\n  dir = 'my cache'\n  type = symlink\n";
    const sections = parseConfigText(text, "config");
    expect(sections.get("cache")?.get("dir")).toBe("my cache");
    expect(sections.get("core")?.get("dir")).toBeUndefined();
    expect(sections.get('remote "s3"')?.get("url")).toBe("s3://b");
  });

  it("reads [parsing], remotes and core.remote; config.local wins; defaults otherwise", async () => {
    expect(await loadDvcConfig(root)).toEqual({
      parsing: { bool: "store_true", list: "nargs" },
      cacheDir: join(root, ".dvc", "cache"),
      remotes: new Map(),
    });
    await writeFile(
      join(root, ".dvc", "config"),
      "[core]\n    remote = a\n[parsing]\n    bool = boolean_optional\n    list = append\n" +
        "['remote \"a\"']\n    url = /mnt/a\n['remote \"s3\"']\n    url = s3://bucket/path\n",
    );
    await writeFile(join(root, ".dvc", "config.local"), "[core]\n    remote = s3\n");
    const c = await loadDvcConfig(root);
    expect(c.parsing).toEqual({ bool: "boolean_optional", list: "append" });
    expect(c.defaultRemote).toBe("s3");
    expect(c.remotes.get("a")?.url).toBe("/mnt/a");
    expect(c.remotes.get("s3")?.url).toBe("s3://bucket/path");
    await writeFile(join(root, ".dvc", "config"), "[parsing]\n    bool = maybe\n");
    await expect(loadDvcConfig(root)).rejects.toThrow(/parsing.bool/);
    expect(() => parseConfigText("orphan = 1\n", "cfg")).toThrow(/cannot parse/);
  });
});

describe("inputs fingerprint", () => {
  it("depends on source data, commands and params, not on produced outputs", async () => {
    await writeFile(join(root, "raw.txt"), "1\n");
    await writeFile(join(root, "params.yaml"), "n: 1\n");
    await writeFile(
      join(root, "dvc.yaml"),
      "stages:\n  a:\n    cmd: cp raw.txt a.txt\n    deps: [raw.txt]\n    outs: [a.txt]\n" +
        "  b:\n    cmd: cp a.txt b.txt\n    deps: [a.txt]\n    params: [n]\n    outs: [b.txt]\n",
    );
    const fp1 = await inputsFingerprint(await openProject({ root }));
    await runPipeline(await openProject({ root }));
    expect(await inputsFingerprint(await openProject({ root }))).toBe(fp1);
    await writeFile(join(root, "params.yaml"), "n: 2\n");
    const fp2 = await inputsFingerprint(await openProject({ root }));
    expect(fp2).not.toBe(fp1);
    await writeFile(join(root, "raw.txt"), "2\n");
    expect(await inputsFingerprint(await openProject({ root }))).not.toBe(fp2);
  });
});
