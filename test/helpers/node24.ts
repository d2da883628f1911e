import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

/**
 * The Node 24 binary the end-to-end tests run bundled actions with (as `runs.using: node24` does).
 * `node scripts/node24.mjs` (run by .ci/run) puts it in .tmp/node24; MLCI_NODE24 overrides.
 */
export function node24(): string {
  const bin = process.env.MLCI_NODE24 ?? join(root, ".tmp", "node24", "bin", "node");
  if (!existsSync(bin)) {
    throw new Error(
      `Node 24 not found at ${bin}: run \`node scripts/node24.mjs\` first (it fetches it from the npm registry).`,
    );
  }
  const v = execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
  if (!v.startsWith("v24.")) throw new Error(`${bin} is ${v}, not Node 24`);
  return bin;
}
