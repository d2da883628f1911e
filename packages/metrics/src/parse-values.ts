import { parse as parseToml, TomlDate, TomlError } from "smol-toml";
import { parseDocument } from "yaml";
import { cellValue, parseTable, type Table, TableError } from "./csv";
import { jsonErrorLine } from "./json-position";
import type { FlatValues, MetricValue, ValuesFile } from "./types";

export type FileFormat = "json" | "yaml" | "toml" | "csv" | "tsv";

/** The format a file is read as, from its extension; undefined when we do not read it. */
export function formatOf(path: string): FileFormat | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  switch (ext) {
    case "json":
      return "json";
    case "yaml":
    case "yml":
      return "yaml";
    case "toml":
      return "toml";
    case "csv":
      return "csv";
    case "tsv":
      return "tsv";
    default:
      return undefined;
  }
}

/** A file that does not parse; `line` is 1-based when known. */
export class ParseError extends Error {
  readonly line: number | undefined;
  constructor(message: string, line?: number) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.line = line;
  }
}

/** Parses JSON, YAML or TOML text into plain data; throws ParseError with a line. */
export function parseStructured(text: string, format: "json" | "yaml" | "toml"): unknown {
  if (format === "json") return parseJsonLenient(text);
  if (format === "toml") {
    try {
      return parseToml(text);
    } catch (e) {
      if (e instanceof TomlError) throw new ParseError(e.message.split("\n")[0] ?? e.message, e.line);
      throw e;
    }
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  const err = doc.errors[0];
  if (err) {
    const message = (err.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    throw new ParseError(message, err.linePos?.[0].line);
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

const SENTINEL = "\u0000mlci-number:";

/**
 * JSON as Python's `json.dump` writes it, which allows bare `NaN`, `Infinity` and `-Infinity`
 * (training scripts produce them). Those tokens, outside strings, are read as numbers.
 */
export function parseJsonLenient(text: string): unknown {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(src);
  } catch (first) {
    const patched = patchSpecialNumbers(src);
    if (patched !== src) {
      try {
        return JSON.parse(patched, (_k, v: unknown) =>
          typeof v === "string" && v.startsWith(SENTINEL) ? Number(v.slice(SENTINEL.length)) : v,
        );
      } catch {
        // fall through to report the original error
      }
    }
    throw jsonError(first, src);
  }
}

function patchSpecialNumbers(src: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (inString) {
      out += ch;
      if (ch === "\\") out += src[++i] ?? "";
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const m = /^(-?Infinity|NaN)/.exec(src.slice(i, i + 9));
    if (m) {
      out += JSON.stringify(SENTINEL + m[1]);
      i += m[1]!.length - 1;
      continue;
    }
    out += ch;
  }
  return out;
}

function jsonError(err: unknown, src: string): ParseError {
  const raw = err instanceof Error ? err.message : String(err);
  // V8's messages differ between Node versions and some quote the text; keep the first clause.
  const message = (raw.split(/,\s*(?:\.\.\.)?"|\n/)[0] ?? raw)
    .replace(/\s*\(line \d+ column \d+\)/, "")
    .replace(/ (in JSON )?at position \d+/, "");
  return new ParseError(message, jsonErrorLine(src));
}

/** One leaf as a metric value: TOML dates and other objects become text. */
function leafValue(v: unknown): MetricValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof TomlDate) return v.toISOString();
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/**
 * Flattens nested data: object keys joined with dots (`eval.test.f1`), list items by index
 * (`layers.0`). Empty objects and lists contribute nothing. `prefix` names the subtree's key.
 */
export function flatten(value: unknown, prefix = "", out: FlatValues = {}): FlatValues {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      flatten(item, prefix ? `${prefix}.${i}` : String(i), out);
    });
  } else if (
    value !== null &&
    typeof value === "object" &&
    !(value instanceof Date) &&
    !(value instanceof TomlDate)
  ) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out[prefix] = leafValue(value);
  }
  return out;
}

/** Header names of the first column that make a two-column table a list of name/value pairs. */
const LONG_NAME_HEADERS = new Set(["metric", "metrics", "name", "key", "param", "parameter"]);
const LONG_VALUE_HEADERS = new Set(["value", "values"]);

/** True for a two-column table like `metric,value` (one metric per row). */
export function isLongTable(table: Table): boolean {
  const [a, b] = table.header.map((h) => h.toLowerCase());
  return (
    table.header.length === 2 &&
    a !== undefined &&
    b !== undefined &&
    LONG_NAME_HEADERS.has(a) &&
    LONG_VALUE_HEADERS.has(b)
  );
}

/**
 * Values of a table. A long table (`metric,value`, `name,value`, `key,value`, ...) gives one value
 * per row, keyed by the first cell (a repeated name keeps its last value). Any other table gives
 * one value per column from its last row, as a log of epochs or runs ends with the current one.
 */
export function tableValues(table: Table): FlatValues {
  const out: FlatValues = {};
  if (isLongTable(table)) {
    for (const row of table.rows) {
      const name = (row[0] ?? "").trim();
      if (name) out[name] = cellValue(row[1]);
    }
    return out;
  }
  const last = table.rows[table.rows.length - 1];
  if (!last) return out;
  table.header.forEach((name, i) => {
    out[name] = cellValue(last[i]);
  });
  return out;
}

/** Reads the data of a file in any supported format; tables come back as a `Table`. */
export function parseData(text: string, format: FileFormat): unknown {
  if (format === "csv" || format === "tsv") {
    try {
      return parseTable(text, format === "csv" ? "," : "\t");
    } catch (e) {
      if (e instanceof TableError) throw new ParseError(e.message.replace(/^line \d+: /, ""), e.line);
      throw e;
    }
  }
  return parseStructured(text, format);
}

/**
 * Parses a metrics or params file into flat values by its extension. A file that does not parse,
 * or whose extension we do not read, comes back with a `problem` and no values.
 */
export function parseValuesFile(path: string, bytes: Buffer | string): ValuesFile {
  const format = formatOf(path);
  if (!format) {
    return {
      path,
      values: {},
      problem: { kind: "unreadable", message: "not a JSON, YAML, TOML, CSV or TSV file" },
    };
  }
  const text = typeof bytes === "string" ? bytes : bytes.toString("utf8");
  try {
    const data = parseData(text, format);
    if (format === "csv" || format === "tsv") return { path, values: tableValues(data as Table) };
    if (data === null || data === undefined) return { path, values: {} };
    if (typeof data !== "object") {
      return {
        path,
        values: {},
        problem: { kind: "parse-error", message: "expected a mapping or a list at the top" },
      };
    }
    return { path, values: flatten(data) };
  } catch (e) {
    if (e instanceof ParseError)
      return { path, values: {}, problem: { kind: "parse-error", message: e.message } };
    throw e;
  }
}
