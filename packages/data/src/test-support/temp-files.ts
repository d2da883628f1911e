import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { DataFormat, DataSource } from "../readers/sources";

/** A temp directory for one test file; `cleanup` removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "mlci-data-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `content` to `dir/name` and describes it as a data source. */
export function writeSource(
  dir: string,
  name: string,
  content: string | Buffer,
  format?: DataFormat,
): DataSource {
  const gzip = name.endsWith(".gz");
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  const data = gzip ? gzipSync(bytes) : bytes;
  const absolutePath = join(dir, name);
  writeFileSync(absolutePath, data);
  const ext = name.replace(/\.gz$/, "").split(".").pop() ?? "csv";
  const detected: DataFormat =
    ext === "tsv" ? "tsv" : ext === "jsonl" ? "jsonl" : ext === "parquet" ? "parquet" : "csv";
  return { path: name, absolutePath, format: format ?? detected, gzip, size: data.length };
}
