import { stringify } from "yaml";
import type { ColumnProfile, Profile } from "../profile/profile-format";
import { DATA_SCHEMA_ID } from "./schema-file";

export interface InferOptions {
  /** A string column with at most this many distinct values (counted exactly) is a category. */
  maxCategories?: number;
}

/**
 * A starting schema from a profile (`mlci schema infer`): types, nullability (or a null
 * fraction with some headroom), observed numeric bounds, categories with their values, and
 * `unique` where every value looked distinct. Meant to be reviewed and edited, then committed as
 * `.mlci/schema.yml`.
 */
export function inferSchema(profile: Profile, options: InferOptions = {}): string {
  const maxCategories = options.maxCategories ?? 20;
  const columns: Record<string, Record<string, unknown>> = {};
  for (const c of profile.columns) columns[c.name] = inferColumn(c, maxCategories);
  const doc = {
    version: 1,
    columns,
    dataset: { extraColumns: "warn", minRows: 1 },
  };
  const header = [
    `# yaml-language-server: $schema=${DATA_SCHEMA_ID}`,
    `# Inferred by mlci from ${profile.dataset.rows} rows. Review the rules before committing.`,
  ];
  return `${header.join("\n")}\n${stringify(doc, { lineWidth: 0 })}`;
}

function inferColumn(c: ColumnProfile, maxCategories: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const nonNull = c.count - c.nulls;
  switch (c.type) {
    case "integer":
    case "number":
      out.type = c.type;
      if (typeof c.min === "number") out.min = c.min;
      if (typeof c.max === "number") out.max = c.max;
      break;
    case "boolean":
    case "timestamp":
      out.type = c.type;
      break;
    case "string":
      if (c.distinctExact && c.distinct <= maxCategories && c.distinct < nonNull) {
        out.type = "category";
        out.allowed = c.frequent.map((f) => f.value).sort((a, b) => String(a).localeCompare(String(b)));
      } else out.type = "string";
      break;
    case "null":
      break;
  }
  if (c.nulls === 0 && c.count > 0) out.nullable = false;
  else if (c.nullFraction < 1)
    out.maxNullFraction = Math.min(1, Math.ceil((c.nullFraction + 0.01) * 20) / 20);
  const integral = c.type === "integer" || c.type === "string";
  if (integral && nonNull > 1 && c.distinctExact && c.distinct === nonNull) out.unique = true;
  // HyperLogLog is within ±3.2% (two sigma): a column that looks all-distinct is proposed as
  // unique, and the check then verifies it exactly.
  else if (integral && nonNull > 1 && !c.distinctExact && c.distinct >= 0.97 * nonNull) out.unique = true;
  return out;
}
