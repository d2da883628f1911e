/**
 * Just enough of dvc.yaml templating to find metrics, params and plots files: `${name.path}` and
 * `${name[0]}` from `vars` and `params.yaml`, and the `item`/`key` of `foreach` and `matrix`
 * stages. A string that cannot be resolved is left as written, and the caller reports it.
 * (The pipeline package implements the whole of DVC templating; discovery only needs paths.)
 */

export type Context = Record<string, unknown>;

const EXPR = /^\s*([A-Za-z_][\w-]*)((?:\.[\w-]+|\[\d+\])*)\s*$/;

/** Looks up `a.b[0].c` in the context; undefined when any part is missing. */
export function lookup(ctx: Context, expr: string): unknown {
  const m = EXPR.exec(expr);
  if (!m) return undefined;
  let cur: unknown = ctx[m[1]!];
  const parts = m[2]!.match(/\.[\w-]+|\[\d+\]/g) ?? [];
  for (const part of parts) {
    if (cur === null || typeof cur !== "object") return undefined;
    const k = part.startsWith(".") ? part.slice(1) : Number(part.slice(1, -1));
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** Interpolates `${...}` in a string; a value that is exactly one `${x}` keeps its type. */
export function interpolate(text: string, ctx: Context): unknown {
  const whole = /^\$\{([^}]*)\}$/.exec(text);
  if (whole) {
    const v = lookup(ctx, whole[1]!);
    return v === undefined ? text : v;
  }
  return text.replace(/(\\?)\$\{([^}]*)\}/g, (all, escaped: string, expr: string) => {
    if (escaped) return all.slice(1);
    const v = lookup(ctx, expr);
    if (v === undefined || (v !== null && typeof v === "object")) return all;
    return String(v);
  });
}

/** Interpolates every string in a value, dictionary keys included. */
export function resolveDeep(value: unknown, ctx: Context): unknown {
  if (typeof value === "string") return value.includes("${") ? interpolate(value, ctx) : value;
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, ctx));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = k.includes("${") ? interpolate(k, ctx) : k;
      out[typeof key === "string" ? key : String(key)] = resolveDeep(v, ctx);
    }
    return out;
  }
  return value;
}

/** True when a path still holds a `${...}` we could not resolve (escaped `\${` aside). */
export function isUnresolved(path: string): boolean {
  return /(^|[^\\])\$\{/.test(path);
}

export interface ExpandedStage {
  /** `train`, or `train@item` / `train@a-b` for foreach and matrix stages. */
  name: string;
  definition: Record<string, unknown>;
}

/**
 * Expands one stage entry: plain stages as they are (strings resolved), `foreach`/`do` and
 * `matrix` into one stage per item. An iterable we cannot resolve expands to nothing, so the
 * caller reports the stage instead.
 */
export function expandStage(name: string, raw: unknown, outer: Context): ExpandedStage[] | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return [];
  const stage = raw as Record<string, unknown>;
  // A stage's own inline `vars` (files named there are the pipeline package's business).
  const ctx: Context = { ...outer };
  for (const v of Array.isArray(stage.vars) ? stage.vars : [stage.vars]) {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) Object.assign(ctx, v);
  }
  if ("foreach" in stage) {
    const over = typeof stage.foreach === "string" ? interpolate(stage.foreach, ctx) : stage.foreach;
    if (over === null || typeof over !== "object") return undefined;
    const entries: Array<[string, unknown, Context]> = Array.isArray(over)
      ? over.map((item, i) => [
          item !== null && typeof item === "object" ? String(i) : String(item),
          item,
          { item },
        ])
      : Object.entries(over).map(([key, item]) => [key, item, { item, key }]);
    return entries.map(([suffix, , extra]) => ({
      name: `${name}@${suffix}`,
      definition: asRecord(resolveDeep(stage.do, { ...ctx, ...extra })),
    }));
  }
  if ("matrix" in stage) {
    const matrix = stage.matrix;
    if (matrix === null || typeof matrix !== "object" || Array.isArray(matrix)) return undefined;
    let combos: Array<{ item: Record<string, unknown>; parts: string[] }> = [{ item: {}, parts: [] }];
    for (const [dim, spec] of Object.entries(matrix)) {
      const values = typeof spec === "string" ? interpolate(spec, ctx) : spec;
      if (!Array.isArray(values)) return undefined;
      combos = combos.flatMap((c) =>
        values.map((v, i) => ({
          item: { ...c.item, [dim]: v },
          parts: [...c.parts, v !== null && typeof v === "object" ? `${dim}${i}` : String(v)],
        })),
      );
    }
    const { matrix: _m, ...rest } = stage;
    return combos.map((c) => ({
      name: `${name}@${c.parts.join("-")}`,
      definition: asRecord(resolveDeep(rest, { ...ctx, item: c.item })),
    }));
  }
  return [{ name, definition: asRecord(resolveDeep(stage, ctx)) }];
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
