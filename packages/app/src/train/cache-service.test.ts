import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { directoryCacheService } from "./cache-service";

let store: string;
let ws: string;

beforeEach(() => {
  store = mkdtempSync(join(tmpdir(), "mlci-store-"));
  ws = mkdtempSync(join(tmpdir(), "mlci-ws-"));
});
afterEach(() => {
  rmSync(store, { recursive: true, force: true });
  rmSync(ws, { recursive: true, force: true });
});

function put(rel: string, text: string, mode = 0o644): void {
  mkdirSync(join(ws, rel, ".."), { recursive: true });
  writeFileSync(join(ws, rel), text);
  chmodSync(join(ws, rel), mode);
}

describe("directoryCacheService (@actions/cache semantics over a folder)", () => {
  it("restores the exact key, else the newest entry matching a restore-key prefix", async () => {
    const svc = directoryCacheService(store, ws);
    put(".dvc/cache/files/md5/aa/one", "1", 0o444);
    await svc.save([".dvc/cache"], "k-Linux-111");
    await new Promise((r) => setTimeout(r, 5));
    put(".dvc/cache/files/md5/bb/two", "2", 0o444);
    await svc.save([".dvc/cache"], "k-Linux-222");
    rmSync(join(ws, ".dvc"), { recursive: true, force: true });

    expect(await svc.restore([".dvc/cache"], "k-Linux-111", ["k-Linux-"])).toBe("k-Linux-111");
    expect(existsSync(join(ws, ".dvc/cache/files/md5/bb/two"))).toBe(false);
    // Restoring merges and skips objects already there (read-only files are not overwritten).
    expect(await svc.restore([".dvc/cache"], "k-Linux-333", ["k-Linux-"])).toBe("k-Linux-222");
    expect(readFileSync(join(ws, ".dvc/cache/files/md5/bb/two"), "utf8")).toBe("2");
    expect(await svc.restore([".dvc/cache"], "other-1", ["other-"])).toBeUndefined();
  });

  it("never matches an entry saved for other paths, and refuses to overwrite a key", async () => {
    const svc = directoryCacheService(store, ws);
    put("a/x", "x");
    await svc.save(["a"], "key-1");
    expect(await svc.restore(["b"], "key-1", ["key-"])).toBeUndefined();
    await expect(svc.save(["a"], "key-1")).rejects.toThrow(/Unable to reserve cache with key key-1/);
    expect(svc.unavailable()).toBeUndefined();
  });
});
