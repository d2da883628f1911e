import { cellValue, type Table } from "./csv";
import type { PlotTarget } from "./dvc-yaml";
import { type FileFormat, formatOf, ParseError, parseData } from "./parse-values";
import type { PlotData, PlotDiff } from "./types";

/** DVC's name for the row number it adds when a plot has no x field of its own. */
export const INDEX_FIELD = "step";

export type Row = Record<string, unknown>;

/** The rows of a CSV or TSV table as records, cells parsed. */
export function tableRecords(table: Table): Row[] {
  return table.rows.map((cells) => {
    const row: Row = {};
    table.header.forEach((name, i) => {
      row[name] = cellValue(cells[i]);
    });
    return row;
  });
}

/** The records of JSON or YAML plot data: a list of objects, or `{key: [objects]}` (the first list). */
export function plotRecords(data: unknown): Row[] | undefined {
  if (Array.isArray(data)) return data.every(isRow) ? data : undefined;
  if (isRow(data)) {
    for (const v of Object.values(data)) if (Array.isArray(v) && v.length > 0 && v.every(isRow)) return v;
  }
  return undefined;
}

/**
 * Builds the plot for one file. x: the declared field, else `step` when the rows have one, else
 * the row number (named `step`, as DVC does). y: the declared fields, else every other field
 * that holds a number. Rows keep only x and y, numbers as numbers; nulls and booleans are dropped.
 */
export function buildPlot(target: PlotTarget, records: Row[] | undefined): PlotData {
  if (!records) throw new ParseError("expected a table, a list of records, or {name: [records]}");
  const fields = fieldOrder(records);
  const x =
    target.x && fields.includes(target.x) ? target.x : fields.includes(INDEX_FIELD) ? INDEX_FIELD : undefined;
  let y: string[];
  if (target.y) {
    y = target.y.filter((f) => fields.includes(f));
    if (y.length === 0) throw new ParseError(`no field named ${target.y.join(", ")}`);
  } else {
    y = fields.filter((f) => f !== x && records.some((r) => typeof r[f] === "number"));
  }
  const xField = x ?? INDEX_FIELD;
  const rows = records.map((r, i) => {
    const row: Record<string, number | string> = {};
    const xv = x === undefined ? i : r[x];
    if (typeof xv === "number" || typeof xv === "string") row[xField] = xv;
    for (const f of y) {
      const v = r[f];
      if (typeof v === "number" || typeof v === "string") row[f] = v;
    }
    return row;
  });
  return {
    id: target.id,
    path: target.path,
    x: xField,
    y,
    ...(target.title === undefined ? {} : { title: target.title }),
    ...(target.template === undefined ? {} : { template: target.template }),
    rows,
  };
}

/** Parses a plots file by extension and builds its plot; throws ParseError. */
export function parsePlotFile(target: PlotTarget, bytes: Buffer): PlotData {
  const format: FileFormat | undefined = formatOf(target.path);
  if (!format || format === "toml") throw new ParseError("plots must be CSV, TSV, JSON or YAML");
  const data = parseData(bytes.toString("utf8"), format);
  return buildPlot(
    target,
    format === "csv" || format === "tsv" ? tableRecords(data as Table) : plotRecords(data),
  );
}

/**
 * Pairs plots by id across base and head. Fields come from head (base when head lacks the plot),
 * y being the union so a series dropped in head still shows. Sorted by id.
 */
export function plotDiffs(base: readonly PlotData[], head: readonly PlotData[]): PlotDiff[] {
  const ids = [...new Set([...head.map((p) => p.id), ...base.map((p) => p.id)])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return ids.map((id) => {
    const b = base.find((p) => p.id === id);
    const h = head.find((p) => p.id === id);
    const main = (h ?? b)!;
    return {
      id,
      path: main.path,
      x: main.x,
      y: [...new Set([...(h?.y ?? []), ...(b?.y ?? [])])],
      ...(main.title === undefined ? {} : { title: main.title }),
      ...(main.template === undefined ? {} : { template: main.template }),
      base: b ? b.rows : null,
      head: h ? h.rows : null,
    };
  });
}

function fieldOrder(records: Row[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

function isRow(v: unknown): v is Row {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
