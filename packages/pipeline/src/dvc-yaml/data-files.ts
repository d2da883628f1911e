/**
 * Read a params or vars file by its extension, as DVC's `LOADERS` do: `.toml`, `.json`,
 * `.py` (not supported here), anything else as YAML.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { MlciError } from "@mlci/common";
import { parse as parseToml, TomlError } from "smol-toml";
import { PyFloat, Timestamp, type Value } from "../values";
import { loadYaml } from "../yaml/load";

function fromToml(v: unknown): Value {
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") return Number.isInteger(v) || !Number.isFinite(v) ? new PyFloat(v) : v;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Date) return new Timestamp(String(v));
  if (Array.isArray(v)) return v.map(fromToml);
  if (v && typeof v === "object") {
    return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromToml(x)]));
  }
  return String(v);
}

/** Parse text by the file's extension. `display` is the path shown in errors. */
export function parseDataText(text: string, path: string, display = path): Value {
  const ext = extname(path).toLowerCase();
  if (ext === ".py") {
    throw new MlciError("CONFIG", "Python params files (.py) are not supported by mlci yet", {
      location: { file: display },
      hint: "move these values to params.yaml, a .json or a .toml file",
    });
  }
  if (ext === ".toml") {
    try {
      return fromToml(parseToml(text, { integersAsBigInt: true }));
    } catch (err) {
      const line = err instanceof TomlError ? err.line : undefined;
      throw new MlciError("CONFIG", `invalid TOML: ${(err as Error).message.split("\n")[0]}`, {
        location: { file: display, line },
      });
    }
  }
  // JSON is read with the YAML 1.2 loader: it keeps `1.0` a float and mappings in order, as Python's json does.
  return loadYaml(text, display).value;
}

/** Read and parse a data file; a missing file is a NOT_FOUND error. */
export async function readDataFile(path: string, display = path): Promise<Value> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new MlciError("NOT_FOUND", `'${display}' does not exist`, { location: { file: display } });
    }
    if ((err as NodeJS.ErrnoException).code === "EISDIR") {
      throw new MlciError("CONFIG", `'${display}' is a directory`, { location: { file: display } });
    }
    throw err;
  }
  return parseDataText(text, path, display);
}
