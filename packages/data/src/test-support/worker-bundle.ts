import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * Bundles `scan/worker-entry.ts` the way the action and CLI builds must: ESM, Node platform,
 * and a `createRequire` banner for CommonJS dependencies (yaml, via @mlci/common).
 */
export async function bundleWorker(outDir: string): Promise<URL> {
  const outfile = join(outDir, "mlci-data-worker.mjs");
  await build({
    entryPoints: [fileURLToPath(new URL("../scan/worker-entry.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outfile,
    logLevel: "silent",
    banner: {
      js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);',
    },
  });
  return new URL(`file://${outfile}`);
}
