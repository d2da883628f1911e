import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { MlciError } from "@mlci/common";
import { HashCache, hashPath } from "@mlci/pipeline";
import type { Command } from "../command";

/** The DVC repository holding `path` (the nearest folder above with a `.dvc` folder). */
function dvcRoot(path: string): string | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".dvc")) && statSync(join(dir, ".dvc")).isDirectory()) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

export const hashCommand: Command = {
  name: "hash",
  summary: 'Print a file\'s or folder\'s hash as DVC records it in dvc.lock: {"md5", "size", "nfiles"}',
  usage: "mlci hash <path> [--legacy]",
  examples: ["mlci hash data/raw", "mlci hash data/train.csv --legacy"],
  options: {
    legacy: { type: "boolean" },
    cwd: { type: "string", short: "C" },
  },
  optionHelp: {
    legacy: "DVC 2's md5-dos2unix (lock entries without `hash: md5`): CRLF counted as LF in text",
    cwd: "run as if started in this directory",
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    if (positionals.length !== 1) {
      throw new MlciError("INPUT", "mlci hash takes exactly one path", {
        hint: "mlci hash <path> [--legacy]",
      });
    }
    const path = resolve(ctx.cwd, (values.cwd as string | undefined) ?? ".", positionals[0] as string);
    if (!existsSync(path)) throw new MlciError("NOT_FOUND", `${positionals[0]} does not exist`);
    // Inside a DVC repository, .dvcignore files above the path apply and the hash cache helps.
    const root = dvcRoot(path);
    const cache = root ? await HashCache.load(join(root, ".dvc", "tmp", "mlci-hashes.json")) : undefined;
    const info = await hashPath(path, {
      legacy: values.legacy === true,
      ...(root ? { root } : {}),
      ...(cache ? { cache } : {}),
    });
    await cache?.save();
    ctx.stdout(`${JSON.stringify(info)}\n`);
    return 0;
  },
};
