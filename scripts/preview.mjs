#!/usr/bin/env node
// An HTML preview of a report (the pull request comment): `node scripts/preview.mjs report.md [report.html]`.
// The renderer is packages/app/src/preview (TypeScript, no dependencies); esbuild (a dev
// dependency) bundles it in memory, so this works from a fresh clone after `npm ci`, offline.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The preview renderer: `renderPreviewPage(markdown, {title, note})` → an HTML document. */
export async function loadPreviewRenderer() {
  const result = await build({
    entryPoints: [join(root, "packages", "app", "src", "preview", "preview-page.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "warning",
  });
  const code = result.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
}

/** Renders `markdownPath` to `htmlPath` (default: beside it, `.html`); returns the HTML path. */
export async function writePreview(markdownPath, htmlPath, options = {}) {
  const { renderPreviewPage } = await loadPreviewRenderer();
  const out = htmlPath ?? markdownPath.replace(/\.md$/i, "") + ".html";
  writeFileSync(out, renderPreviewPage(readFileSync(markdownPath, "utf8"), options));
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [input, output] = process.argv.slice(2);
  if (!input) {
    console.error("usage: node scripts/preview.mjs <report.md> [report.html]");
    process.exit(2);
  }
  const out = await writePreview(resolve(input), output ? resolve(output) : undefined);
  console.log(`wrote ${out}`);
}
