import { configError, configJsonSchema, loadConfigFile, parseYamlLocated } from "@mlci/common";
import { z } from "zod";

/** Where the data schema lives in a repository unless the user says otherwise. */
export const DEFAULT_SCHEMA_PATH = ".mlci/schema.yml";
export const DATA_SCHEMA_ID = "https://mlci.dev/schemas/schema.schema.json";

export type Severity = "error" | "warn";
export type SchemaColumnType = "integer" | "number" | "string" | "boolean" | "timestamp" | "category";

const bound = z.union([z.number().finite(), z.string().min(1)]);

const columnSchema = z
  .strictObject({
    type: z
      .enum(["integer", "number", "string", "boolean", "timestamp", "category"])
      .optional()
      .describe(
        "integer (3, -7; 3.0 also counts), number, boolean (true/false), timestamp (ISO 8601), string, or category (a string from a small set; list it in `allowed`).",
      ),
    required: z.boolean().optional().describe("The column must exist (default true)."),
    nullable: z
      .boolean()
      .optional()
      .describe("Nulls are allowed (default true). `false` reports each null row."),
    maxNullFraction: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("The highest share of null cells allowed, 0..1."),
    min: bound.optional().describe("Lowest value (inclusive): a number, or an ISO date for timestamps."),
    max: bound.optional().describe("Highest value (inclusive): a number, or an ISO date for timestamps."),
    allowed: z
      .array(z.union([z.string(), z.number(), z.boolean()]))
      .min(1)
      .optional()
      .describe("The only values allowed."),
    regex: z
      .string()
      .refine(isRegex, { error: "not a valid regular expression" })
      .optional()
      .describe("A JavaScript regular expression each value must match (anchor it with ^ and $)."),
    unique: z.boolean().optional().describe("No value may appear twice (nulls are not compared)."),
    mostly: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe(
        "Share of non-null values that must pass the value rules (type, min, max, allowed, regex); default 1.",
      ),
    severity: z
      .enum(["error", "warn"])
      .optional()
      .describe("error (default) fails the check; warn only reports."),
  })
  .describe("Rules for one column.");

export const dataSchemaFileSchema = z
  .strictObject({
    version: z.literal(1).describe("Schema format version."),
    columns: z.record(z.string(), columnSchema).describe("Rules per column, by column name."),
    dataset: z
      .strictObject({
        extraColumns: z
          .enum(["allow", "warn", "error"])
          .optional()
          .describe(
            "What a column that the schema does not list is: allowed (default), a warning or an error.",
          ),
        minRows: z.number().int().nonnegative().optional().describe("The fewest rows allowed."),
        maxRows: z.number().int().nonnegative().optional().describe("The most rows allowed."),
        malformedRows: z
          .enum(["error", "warn"])
          .optional()
          .describe(
            "How rows that cannot be read (wrong field count, unterminated quote) count: error (default) or warn.",
          ),
        severity: z
          .enum(["error", "warn"])
          .optional()
          .describe("Severity of the row-count rules (default error)."),
      })
      .optional(),
  })
  .describe("mlci data schema");

function isRegex(s: string): boolean {
  try {
    new RegExp(s, "u");
    return true;
  } catch {
    return false;
  }
}

/** One column's rules after parsing, with where they are written. */
export interface ColumnRules {
  name: string;
  type?: SchemaColumnType;
  required: boolean;
  nullable: boolean;
  maxNullFraction?: number;
  min?: number;
  max?: number;
  allowed?: Array<string | number | boolean>;
  regex?: string;
  unique: boolean;
  mostly: number;
  severity: Severity;
  /** Line of the column's entry in the schema file. */
  line?: number;
}

export interface DataSchema {
  version: 1;
  /** The schema file, for locations in results. */
  file: string;
  columns: ColumnRules[];
  extraColumns: "allow" | "warn" | "error";
  minRows?: number;
  maxRows?: number;
  malformedRows: Severity;
  rowSeverity: Severity;
}

/**
 * Parses `.mlci/schema.yml` (YAML or JSON). Throws one MlciError("CONFIG") naming file, line
 * and key of each problem. Timestamp bounds are ISO dates turned into epoch milliseconds.
 */
export function parseDataSchema(text: string, file: string = DEFAULT_SCHEMA_PATH): DataSchema {
  const raw = loadConfigFile(text, file, dataSchemaFileSchema);
  const doc = parseYamlLocated(text, file);
  const columns: ColumnRules[] = Object.entries(raw.columns).map(([name, c]) => {
    const line = doc.lineOf(["columns", name]);
    const rules: ColumnRules = {
      name,
      required: c.required ?? true,
      nullable: c.nullable ?? true,
      unique: c.unique ?? false,
      mostly: c.mostly ?? 1,
      severity: c.severity ?? "error",
      ...(line === undefined ? {} : { line }),
    };
    if (c.type) rules.type = c.type;
    if (c.maxNullFraction !== undefined) rules.maxNullFraction = c.maxNullFraction;
    if (c.allowed) rules.allowed = c.allowed;
    if (c.regex !== undefined) rules.regex = c.regex;
    for (const key of ["min", "max"] as const) {
      const v = c[key];
      if (v === undefined) continue;
      const n = typeof v === "number" ? v : Date.parse(v);
      if (Number.isNaN(n)) {
        const at = doc.lineOf(["columns", name, key]);
        throw configError(`${JSON.stringify(v)} is neither a number nor an ISO date`, {
          file,
          ...(at === undefined ? {} : { line: at }),
          key: `columns.${name}.${key}`,
        });
      }
      rules[key] = n;
    }
    return rules;
  });
  const ds = raw.dataset ?? {};
  const schema: DataSchema = {
    version: 1,
    file,
    columns,
    extraColumns: ds.extraColumns ?? "allow",
    malformedRows: ds.malformedRows ?? "error",
    rowSeverity: ds.severity ?? "error",
  };
  if (ds.minRows !== undefined) schema.minRows = ds.minRows;
  if (ds.maxRows !== undefined) schema.maxRows = ds.maxRows;
  return schema;
}

/** The JSON Schema editors use for `.mlci/schema.yml`. */
export function dataSchemaJsonSchema(): Record<string, unknown> {
  return configJsonSchema(dataSchemaFileSchema, { id: DATA_SCHEMA_ID, title: "mlci data schema" });
}
