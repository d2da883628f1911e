/**
 * The shape of dvc.yaml (DVC's `dvc/schema.py`), checked on the raw file before templating, as
 * DVC does, and the typed {@link Stage} built from a resolved stage definition. Every error
 * names the file, the line and the key.
 */
import { MlciError } from "@mlci/common";
import { isMap, isSeq, pyStr, type Value, type ValueMap } from "../values";
import type { PathPart } from "../yaml/load";
import type { ParamsRef, StageOut } from "./types";

export interface Where {
  file: string;
  lineOf(path: readonly PathPart[]): number | undefined;
}

export function keyPath(path: readonly PathPart[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

export function fail(where: Where, path: readonly PathPart[], message: string, hint?: string): never {
  const location = { file: where.file, line: where.lineOf(path), key: keyPath(path) };
  throw new MlciError("CONFIG", message, hint === undefined ? { location } : { location, hint });
}

function typeName(v: Value | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (isMap(v)) return "a mapping";
  if (isSeq(v)) return "a list";
  if (typeof v === "string") return "a string";
  if (typeof v === "boolean") return "a boolean";
  return "a number";
}

const TOP_KEYS = ["stages", "vars", "params", "metrics", "plots", "artifacts", "datasets"];
const STAGE_KEYS = [
  "matrix",
  "cmd",
  "wdir",
  "deps",
  "params",
  "vars",
  "frozen",
  "meta",
  "desc",
  "always_changed",
  "outs",
  "metrics",
  "plots",
];
const OUT_FLAGS: Record<string, "bool" | "str" | "any"> = {
  desc: "str",
  type: "str",
  labels: "any",
  meta: "any",
  cache: "bool",
  persist: "bool",
  checkpoint: "bool",
  remote: "str",
  push: "bool",
};
const PLOT_FLAGS: Record<string, "bool" | "str" | "any"> = {
  ...OUT_FLAGS,
  template: "str",
  x: "str",
  y: "str",
  x_label: "str",
  y_label: "str",
  title: "str",
  header: "bool",
};

function expectKind(
  where: Where,
  path: PathPart[],
  v: Value | undefined,
  kind: "str" | "bool" | "any",
): void {
  if (kind === "str" && typeof v !== "string") fail(where, path, `expected a string, got ${typeName(v)}`);
  if (kind === "bool" && typeof v !== "boolean")
    fail(where, path, `expected true or false, got ${typeName(v)}`);
}

function checkKeys(where: Where, path: PathPart[], m: ValueMap, allowed: string[]): void {
  for (const k of m.keys()) {
    if (typeof k !== "string" || !allowed.includes(k)) {
      fail(where, [...path, String(k)], `unknown key '${String(k)}'`, `allowed here: ${allowed.join(", ")}`);
    }
  }
}

function checkList(
  where: Where,
  path: PathPart[],
  v: Value | undefined,
  item: (x: Value, p: PathPart[]) => void,
): void {
  if (v === undefined) return;
  if (v === null && (path.at(-1) === "deps" || path.at(-1) === "outs")) return;
  if (!isSeq(v)) fail(where, path, `expected a list, got ${typeName(v)}`);
  for (const [i, x] of v.entries()) item(x, [...path, i]);
}

function checkOutItem(flags: Record<string, "bool" | "str" | "any">, allowList: boolean) {
  return (where: Where) =>
    (x: Value, p: PathPart[]): void => {
      if (typeof x === "string") return;
      if (!isMap(x) || x.size === 0)
        fail(where, p, `expected a path or {path: {options}}, got ${typeName(x)}`);
      for (const [k, opts] of x) {
        const op = [...p, String(k)];
        if (typeof k !== "string") fail(where, op, "expected the path as a string");
        const list = allowList && isSeq(opts) ? opts : [opts];
        for (const o of list) {
          if (!isMap(o)) fail(where, op, `expected options as a mapping, got ${typeName(o)}`);
          checkKeys(where, op, o, Object.keys(flags));
          for (const [fk, fv] of o) expectKind(where, [...op, String(fk)], fv, flags[String(fk)] ?? "any");
        }
      }
    };
}

/** Check one stage definition (or a `foreach`/`do` group) as DVC's schema does. */
export function checkStageDefinition(where: Where, path: PathPart[], def: Value): void {
  if (!isMap(def)) fail(where, path, `expected a stage definition (a mapping), got ${typeName(def)}`);
  if (def.has("foreach") || def.has("do")) {
    checkKeys(where, path, def, ["foreach", "do"]);
    if (!def.has("foreach")) fail(where, path, "'do' needs 'foreach'");
    if (!def.has("do")) fail(where, path, "'foreach' needs 'do'");
    const fe = def.get("foreach") as Value;
    if (!(isMap(fe) || isSeq(fe) || typeof fe === "string")) {
      fail(where, [...path, "foreach"], `expected a list, a mapping or \${...}, got ${typeName(fe)}`);
    }
    const inner = def.get("do") as Value;
    if (isMap(inner) && inner.has("matrix"))
      fail(where, [...path, "do", "matrix"], "'foreach' and 'matrix' cannot be combined");
    checkStageDefinition(where, [...path, "do"], inner);
    return;
  }
  checkKeys(where, path, def, STAGE_KEYS);
  if (!def.has("cmd")) fail(where, path, "missing required key 'cmd'");
  const cmd = def.get("cmd");
  if (!(typeof cmd === "string" || isSeq(cmd)))
    fail(where, [...path, "cmd"], `expected a string or a list, got ${typeName(cmd)}`);
  const matrix = def.get("matrix");
  if (matrix !== undefined) {
    if (!isMap(matrix)) fail(where, [...path, "matrix"], `expected a mapping, got ${typeName(matrix)}`);
    for (const [k, v] of matrix) {
      if (!(typeof v === "string" || isSeq(v))) {
        fail(where, [...path, "matrix", String(k)], `expected a list or \${...}, got ${typeName(v)}`);
      }
    }
  }
  if (def.has("wdir")) expectKind(where, [...path, "wdir"], def.get("wdir"), "str");
  if (def.has("desc")) expectKind(where, [...path, "desc"], def.get("desc"), "str");
  for (const b of ["frozen", "always_changed"])
    if (def.has(b)) expectKind(where, [...path, b], def.get(b), "bool");
  checkList(where, [...path, "deps"], def.get("deps"), (x, p) => expectKind(where, p, x, "str"));
  for (const k of ["params", "vars"]) {
    checkList(where, [...path, k], def.get(k), (x, p) => {
      if (typeof x !== "string" && !isMap(x))
        fail(where, p, `expected a string or a mapping, got ${typeName(x)}`);
    });
  }
  checkList(where, [...path, "outs"], def.get("outs"), checkOutItem(OUT_FLAGS, false)(where));
  checkList(where, [...path, "metrics"], def.get("metrics"), checkOutItem(OUT_FLAGS, false)(where));
  checkList(where, [...path, "plots"], def.get("plots"), checkOutItem(PLOT_FLAGS, true)(where));
}

/** Check the top level of dvc.yaml. */
export function checkTopLevel(where: Where, doc: Value): ValueMap {
  if (doc === null) return new Map();
  if (!isMap(doc)) fail(where, [], `expected a mapping at the top of the file, got ${typeName(doc)}`);
  checkKeys(where, [], doc, TOP_KEYS);
  const stages = doc.get("stages");
  if (stages !== undefined && stages !== null && !isMap(stages)) {
    fail(where, ["stages"], `expected a mapping of stage names, got ${typeName(stages)}`);
  }
  checkList(where, ["vars"], doc.get("vars"), (x, p) => {
    if (typeof x !== "string" && !isMap(x))
      fail(where, p, `expected a file name or a mapping, got ${typeName(x)}`);
  });
  return doc;
}

/** DVC's `_merge_params`: per file, keys in order; `{file: null}` or `{file: []}` tracks the whole file. */
export function mergeParams(where: Where, path: PathPart[], items: Value[]): ParamsRef[] {
  const merged = new Map<string, string[] | null>();
  const whole = new Set<string>();
  for (const it of items) {
    if (isMap(it))
      for (const [k, v] of it) if (v === null || (isSeq(v) && v.length === 0)) whole.add(String(k));
  }
  items.forEach((it, i) => {
    if (typeof it === "string") {
      if (whole.has("params.yaml")) return;
      const cur = merged.get("params.yaml") ?? [];
      cur.push(it);
      merged.set("params.yaml", cur);
      return;
    }
    if (!isMap(it)) fail(where, [...path, i], `expected a key or {file: [keys]}, got ${typeName(it)}`);
    for (const [k, v] of it) {
      const file = String(k);
      if (whole.has(file)) {
        merged.set(file, null);
        continue;
      }
      if (!isSeq(v))
        fail(where, [...path, i, file], `expected a list of params for '${file}', got ${typeName(v)}`);
      const cur = merged.get(file) ?? [];
      for (const key of v) cur.push(typeof key === "string" ? key : pyStr(key));
      merged.set(file, cur);
    }
  });
  return [...merged].map(([file, keys]) => ({ file, keys }));
}

/** Outputs from the resolved `outs`, `metrics` and `plots` lists. */
export function buildOuts(where: Where, path: PathPart[], def: ValueMap): StageOut[] {
  const outs: StageOut[] = [];
  for (const [key, kind] of [
    ["outs", "out"],
    ["metrics", "metric"],
    ["plots", "plot"],
  ] as const) {
    const list = def.get(key);
    if (!isSeq(list)) continue;
    list.forEach((item, i) => {
      const entries: Array<[string, Value]> =
        typeof item === "string"
          ? [[item, new Map()]]
          : isMap(item)
            ? [...item].map(([k, v]) => [String(k), v])
            : [];
      if (entries.length === 0) fail(where, [...path, key, i], `expected a path, got ${typeName(item)}`);
      for (const [p, opts] of entries) {
        const o = isMap(opts)
          ? opts
          : isSeq(opts) && isMap(opts[0])
            ? (opts[0] as ValueMap)
            : new Map<never, never>();
        const out: StageOut = {
          path: p,
          kind,
          cache: o.get("cache") !== false,
          persist: o.get("persist") === true,
          push: o.get("push") !== false,
        };
        const remote = o.get("remote");
        if (typeof remote === "string") out.remote = remote;
        const desc = o.get("desc");
        if (typeof desc === "string") out.desc = desc;
        outs.push(out);
      }
    });
  }
  return outs;
}
