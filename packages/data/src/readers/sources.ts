import { readdir, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { MlciError } from "@mlci/common";
import picomatch from "picomatch";

export type DataFormat = "csv" | "tsv" | "jsonl" | "parquet";

/** One file of a data set. */
export interface DataSource {
  /** Path as given or found (relative to `cwd` when under it), with `/` separators. */
  path: string;
  /** Absolute path for opening. */
  absolutePath: string;
  format: DataFormat;
  gzip: boolean;
  /** Size on disk (compressed size for gzip). */
  size: number;
}

const EXTENSIONS: Record<string, DataFormat> = {
  ".csv": "csv",
  ".tsv": "tsv",
  ".tab": "tsv",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".parquet": "parquet",
};

/** Format and compression from a file name, or undefined for files that are not data. */
export function detectFormat(path: string): { format: DataFormat; gzip: boolean } | undefined {
  let name = path.toLowerCase();
  const gzip = name.endsWith(".gz");
  if (gzip) name = name.slice(0, -3);
  const dot = name.lastIndexOf(".");
  const format = dot < 0 ? undefined : EXTENSIONS[name.slice(dot)];
  if (!format || (gzip && format === "parquet")) return undefined;
  return { format, gzip };
}

export interface ResolveOptions {
  cwd?: string;
  /** Read every file as this format, whatever its extension. */
  format?: DataFormat;
}

/**
 * Expands files, directories (every data file below, recursively) and globs (picomatch
 * syntax, e.g. `data/**\/*.csv.gz`) into one ordered list of files: the data set. Files are
 * sorted by path (code-point order) within each input and listed once.
 */
export async function resolveSources(
  inputs: readonly string[],
  options: ResolveOptions = {},
): Promise<DataSource[]> {
  const cwd = options.cwd ?? process.cwd();
  const seen = new Set<string>();
  const out: DataSource[] = [];
  for (const input of inputs) {
    const found = await expand(input, cwd);
    if (found.length === 0) {
      throw new MlciError("NOT_FOUND", `no data files match \`${input}\``, {
        location: { file: input },
        hint: "give a file, a directory or a glob of .csv, .tsv, .jsonl or .parquet files (optionally .gz)",
      });
    }
    for (const abs of found) {
      if (seen.has(abs)) continue;
      seen.add(abs);
      const detected = detectFormat(abs);
      const format = options.format ?? detected?.format;
      if (!format) {
        throw new MlciError("INPUT", `cannot tell the format of \`${input}\``, {
          location: { file: input },
          hint: "name it .csv, .tsv, .jsonl or .parquet, or pass the format explicitly",
        });
      }
      const info = await stat(abs);
      out.push({
        path: displayPath(abs, cwd),
        absolutePath: abs,
        format,
        gzip: detected?.gzip ?? abs.toLowerCase().endsWith(".gz"),
        size: info.size,
      });
    }
  }
  return out;
}

async function expand(input: string, cwd: string): Promise<string[]> {
  const abs = resolve(cwd, input);
  const info = await stat(abs).catch(() => undefined);
  if (info?.isFile()) return [abs];
  if (info?.isDirectory()) {
    return (await walk(abs)).filter((f) => detectFormat(f) !== undefined).sort(compareCodePoints);
  }
  const scan = picomatch.scan(input.split(sep).join("/"));
  if (!scan.isGlob) return [];
  const base = resolve(cwd, scan.base || ".");
  const matcher = picomatch(scan.glob, { dot: false });
  const baseInfo = await stat(base).catch(() => undefined);
  if (!baseInfo?.isDirectory()) return [];
  return (await walk(base))
    .filter((f) => matcher(relative(base, f).split(sep).join("/")))
    .sort(compareCodePoints);
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  const shown = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs;
  return shown.split(sep).join("/");
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
