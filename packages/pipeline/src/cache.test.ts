import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { objectRelPath } from "./cache";
import { loadDvcConfig } from "./config";
import { hashPathDetailed } from "./hash/hash-path";
import { openProject } from "./project";
import { type LocalRemote, openRemote, pull, push } from "./remote";
import { runPipeline } from "./runner";

let base: string;
let root: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), "mlci-cache-"));
  root = join(base, "repo");
  await mkdir(join(root, ".dvc"), { recursive: true });
  await writeFile(
    join(root, "dvc.yaml"),
    `stages:
  make:
    cmd: mkdir -p out/sub && echo a > out/a.txt && echo b > out/sub/b.txt && echo m > model.bin && chmod +x model.bin
    outs:
      - out
      - model.bin
      - nocache.txt:
          cache: false
`.replace("chmod +x model.bin", "chmod +x model.bin && echo n > nocache.txt"),
  );
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

describe("DVC cache and remotes", () => {
  it("stores outputs exactly as DVC 3 does: files/md5/<2>/<30>, read-only, .dir manifests", async () => {
    const project = await openProject({ root });
    await runPipeline(project);
    const dir = await hashPathDetailed(join(root, "out"));
    const manifestPath = join(root, ".dvc", "cache", ...objectRelPath(dir.md5).split("/"));
    expect(manifestPath).toMatch(/\.dvc\/cache\/files\/md5\/[0-9a-f]{2}\/[0-9a-f]{30}\.dir$/);
    expect(await readFile(manifestPath, "utf8")).toBe(dir.manifest);
    for (const f of dir.files ?? []) {
      const obj = join(root, ".dvc", "cache", "files", "md5", f.md5.slice(0, 2), f.md5.slice(2));
      expect(await readFile(obj, "utf8")).toBe(await readFile(f.absPath, "utf8"));
      expect((await stat(obj)).mode & 0o777).toBe(0o444);
    }
    const lock = await readFile(join(root, "dvc.lock"), "utf8");
    expect(lock).toContain("    - path: model.bin\n      hash: md5\n      md5: ");
    expect(lock).toContain("      isexec: true\n");
    expect(await project.cache.has(dir.md5)).toBe(true);
    // cache: false outputs are not stored
    const nc = await hashPathDetailed(join(root, "nocache.txt"));
    expect(await project.cache.has(nc.md5)).toBe(false);
  });

  it("honours cache.dir, pushes to and pulls from a local remote", async () => {
    await writeFile(
      join(root, ".dvc", "config"),
      "[core]\n    remote = storage\n[cache]\n    dir = ../../shared-cache\n['remote \"storage\"']\n    url = ../../remote-store\n",
    );
    const config = await loadDvcConfig(root);
    expect(config.cacheDir).toBe(join(root, "..", "shared-cache"));
    expect(config.remotes.get("storage")?.url).toBe(join(root, "..", "remote-store"));
    {
      let project = await openProject({ root });
      await runPipeline(project);
      const remote = openRemote(project.config);
      const pushed = await push(project, remote);
      expect(pushed).toEqual({ transferred: 4, present: 0, missing: [] });
      expect((await push(project, remote)).transferred).toBe(0);
      const listed: string[] = [];
      for await (const oid of (remote as LocalRemote).list()) listed.push(oid);
      expect(listed.filter((o) => o.endsWith(".dir"))).toHaveLength(1);
      expect(listed).toHaveLength(4);

      // A fresh machine: no cache, no outputs.
      await rm(join(root, "..", "shared-cache"), { recursive: true, force: true });
      await rm(join(root, "out"), { recursive: true });
      await rm(join(root, "model.bin"));
      project = await openProject({ root });
      const pulled = await pull(project, remote);
      expect(pulled).toEqual({ transferred: 4, present: 0, missing: [] });
      expect(await readFile(join(root, "out", "sub", "b.txt"), "utf8")).toBe("b\n");
      expect((await stat(join(root, "model.bin"))).mode & 0o100).toBe(0o100);
      const r = await runPipeline(await openProject({ root }));
      expect(r.stages.map((s) => s.status)).toEqual(["skipped"]);
    }
  });
});
