#!/usr/bin/env node
// Bundles each action (actions/<name>/src/main.ts -> actions/<name>/dist/index.js) and the CLI
// (packages/cli/src/main.ts -> packages/cli/dist/mlci.js) with esbuild, and the data worker
// (packages/data/src/scan/worker-entry.ts -> mlci-data-worker.mjs beside the validate-data action
// and the CLI).
// `--check` builds in memory and fails when a committed bundle differs from its sources.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");

// ESM bundles that include CommonJS dependencies need require, __filename and __dirname.
// `var`, not `const`: some ESM dependencies declare their own top-level `var __filename` (for
// example @azure/storage-common, under @actions/cache), which esbuild does not rename; a `var`
// may be declared twice, and both hold this bundle's path.
const banner = [
  'import { createRequire as __mlciCreateRequire } from "node:module";',
  'import { fileURLToPath as __mlciFileURLToPath } from "node:url";',
  'import { dirname as __mlciDirname } from "node:path";',
  "var require = __mlciCreateRequire(import.meta.url);",
  "var __filename = __mlciFileURLToPath(import.meta.url);",
  "var __dirname = __mlciDirname(__filename);",
].join("\n");

function targets() {
  const list = [];
  const actionsDir = join(root, "actions");
  if (existsSync(actionsDir)) {
    for (const name of readdirSync(actionsDir).sort()) {
      const entry = join(actionsDir, name, "src", "main.ts");
      if (existsSync(entry)) list.push({ entry, outfile: join(actionsDir, name, "dist", "index.js") });
    }
  }
  const cli = join(root, "packages", "cli", "src", "main.ts");
  if (existsSync(cli))
    list.push({ entry: cli, outfile: join(root, "packages", "cli", "dist", "mlci.js"), shebang: true });
  // The data scan's worker thread script, bundled on its own beside each bundle that profiles data
  // (`defaultWorkerUrl()` looks for it next to the running bundle).
  const worker = join(root, "packages", "data", "src", "scan", "worker-entry.ts");
  if (existsSync(worker)) {
    for (const dir of [join(actionsDir, "validate-data", "dist"), join(root, "packages", "cli", "dist")]) {
      if (existsSync(join(dir, "..", "src")) || existsSync(join(dir, "..", "package.json")))
        list.push({ entry: worker, outfile: join(dir, "mlci-data-worker.mjs") });
    }
  }
  return list;
}

const pkgJson = `${JSON.stringify({ type: "module", private: true }, null, 2)}\n`;

async function bundle({ entry, outfile, shebang }) {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    mainFields: ["module", "main"],
    conditions: ["node", "import"],
    banner: { js: (shebang ? "#!/usr/bin/env node\n" : "") + banner },
    legalComments: "none",
    sourcemap: false,
    minify: false,
    write: false,
    logLevel: "warning",
    absWorkingDir: root,
  });
  const files = new Map();
  for (const f of result.outputFiles) files.set(f.path, Buffer.from(f.contents));
  files.set(join(dirname(outfile), "package.json"), Buffer.from(pkgJson));
  return files;
}

const stale = [];
for (const t of targets()) {
  const files = await bundle(t);
  for (const [path, content] of files) {
    const rel = relative(root, path);
    if (check) {
      if (!existsSync(path) || !readFileSync(path).equals(content)) stale.push(rel);
    } else {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp`;
      writeFileSync(tmp, content);
      renameSync(tmp, path);
      if (t.shebang && path === t.outfile) {
        // keep the CLI executable
        (await import("node:fs")).chmodSync(path, 0o755);
      }
      console.log(`built ${rel} (${(content.length / 1024).toFixed(0)} KiB)`);
    }
  }
}
if (check) {
  if (stale.length > 0) {
    console.error(
      `These bundles differ from their sources; run \`npm run build\` and commit:\n  ${stale.join("\n  ")}`,
    );
    process.exit(1);
  }
  console.log("dist is in sync with the sources");
}
