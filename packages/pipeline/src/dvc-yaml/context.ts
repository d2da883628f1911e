/**
 * The templating context (`dvc/parsing/context.py`): the data `${...}` reads, built from
 * `params.yaml` (when present), the `vars` of dvc.yaml and of each stage, and `item`/`key`
 * for `foreach` and `matrix`. Merging never overwrites a value; nested mappings merge.
 */
import { join, normalize } from "node:path";
import type { ParsingConfig } from "../config";
import { isMap, isSeq, type Value, type ValueMap } from "../values";
import { readDataFile } from "./data-files";
import { getMatches, InterpolationError, isExactString, parseExpression, toStr } from "./interpolate";

export class ContextError extends Error {}

/** DVC's context keeps only string keys (`CtxDict` ignores the others). */
function stringKeysOnly(v: Value): Value {
  if (isSeq(v)) return v.map(stringKeysOnly);
  if (isMap(v)) {
    const out: ValueMap = new Map();
    for (const [k, x] of v) if (typeof k === "string") out.set(k, stringKeysOnly(x));
    return out;
  }
  return v;
}

function cloneValue(v: Value): Value {
  if (isSeq(v)) return v.map(cloneValue);
  if (isMap(v)) return new Map([...v].map(([k, x]) => [k, cloneValue(x)]));
  return v;
}

export interface ResolveOptions {
  /** The stage key being resolved (`cmd`, `deps`, ...): dicts interpolate only into `cmd`. */
  key?: string;
  config: ParsingConfig;
}

export class Context {
  /** Where each merged leaf came from, for "cannot redefine" messages. */
  private readonly sources = new Map<string, string>();
  /** Files loaded so far: null = the whole file, else the keys taken from it. */
  private readonly imports = new Map<string, string[] | null>();
  private readonly reserved = new Set<string>();

  constructor(readonly data: ValueMap = new Map()) {}

  clone(): Context {
    const c = new Context(cloneValue(this.data) as ValueMap);
    for (const [k, v] of this.sources) c.sources.set(k, v);
    for (const [k, v] of this.imports) c.imports.set(k, v === null ? null : [...v]);
    for (const r of this.reserved) c.reserved.add(r);
    return c;
  }

  /** Merge data in; an existing non-mapping value is an error (DVC's MergeError). */
  merge(update: ValueMap, source: string): void {
    for (const k of update.keys()) {
      if (typeof k === "string" && this.reserved.has(k)) {
        throw new ContextError(`attempted to modify reserved key '${k}' in '${source}'`);
      }
    }
    const walk = (into: ValueMap, upd: ValueMap, prefix: string) => {
      for (const [k, v] of upd) {
        if (typeof k !== "string") continue;
        const path = prefix ? `${prefix}.${k}` : k;
        const existing = into.get(k);
        if (isMap(existing) && isMap(v)) {
          walk(existing, v, path);
          continue;
        }
        if (into.has(k)) {
          const where = this.sources.get(path) ?? this.sources.get(prefix) ?? "<local>";
          throw new ContextError(
            `cannot redefine '${path}' from '${source}' as it already exists in '${where}'`,
          );
        }
        into.set(k, stringKeysOnly(cloneValue(v)));
        this.sources.set(path, source);
      }
    };
    walk(this.data, update, "");
  }

  /** Load a vars entry `file` or `file:key1,key2`, relative to `wdir` (absolute). `root` makes display paths. */
  async mergeFile(item: string, wdirAbs: string, display: (abs: string) => string): Promise<void> {
    const idx = item.indexOf(":");
    const file = idx >= 0 ? item.slice(0, idx) : item;
    const keysText = idx >= 0 ? item.slice(idx + 1) : "";
    const abs = normalize(join(wdirAbs, file));
    const keys = keysText ? keysText.split(",").filter(Boolean) : null;
    const shown = display(abs);
    if (this.imports.has(abs)) {
      const prev = this.imports.get(abs) ?? null;
      if (!keys && prev === null) return; // the whole file, again: allowed
      if (!keys && prev) throw new ContextError(`cannot load '${item}' as it's partially loaded already`);
      if (keys && prev === null)
        throw new ContextError(`cannot partially load '${item}' as it's already loaded.`);
      if (keys && prev && keys.some((k) => prev.includes(k))) {
        throw new ContextError(`cannot load '${item}' as it's partially loaded already`);
      }
    }
    const data = await readDataFile(abs, shown);
    if (!isMap(data)) {
      throw new ContextError(
        `expected a dictionary, got '${isSeq(data) ? "list" : typeof data}' in file '${shown}'`,
      );
    }
    let selected: ValueMap = data;
    if (keys) {
      selected = new Map();
      for (const k of keys) {
        if (!data.has(k)) throw new ContextError(`could not find '${k}' in '${shown}'`);
        selected.set(k, data.get(k) as Value);
      }
    }
    this.merge(selected, shown);
    const prev = this.imports.get(abs);
    this.imports.set(abs, keys === null ? null : [...(prev ?? []), ...keys]);
  }

  /** Select `a.b.0.c` (already normalised). */
  select(key: string): Value {
    let node: Value = this.data;
    for (const rawPart of key.split(".")) {
      const part = rawPart.trim();
      if (isMap(node)) {
        if (!node.has(part)) throw new ContextError(`Could not find '${key}'`);
        node = node.get(part) as Value;
      } else if (isSeq(node)) {
        const i = Number(part);
        if (!/^-?\d+$/.test(part) || (i < 0 ? node.length + i : i) >= node.length || node.length + i < 0) {
          throw new ContextError(`Could not find '${key}'`);
        }
        node = node[i < 0 ? node.length + i : i] as Value;
      } else {
        throw new ContextError(`Could not find '${key}'`);
      }
    }
    return node;
  }

  /** Temporarily set top-level keys (foreach/matrix `item` and `key`), reserved so vars cannot override them. */
  async withTemporary<T>(values: ValueMap, fn: () => Promise<T>): Promise<T> {
    const prev = new Map<string, Value | undefined>();
    for (const [k, v] of values) {
      const key = String(k);
      prev.set(key, this.data.get(key));
      this.data.set(key, stringKeysOnly(v));
      this.reserved.add(key);
    }
    try {
      return await fn();
    } finally {
      for (const [k, v] of prev) {
        this.reserved.delete(k);
        if (v === undefined) this.data.delete(k);
        else this.data.set(k, v);
      }
    }
  }

  /** Resolve `${...}` in a string: exactly one `${x}` keeps x's type, otherwise text. */
  resolveString(src: string, opts: ResolveOptions): Value {
    const matches = getMatches(src);
    if (matches.length > 0 && isExactString(src, matches)) {
      const value = this.select(parseExpression((matches[0] as { inner: string }).inner));
      validateValue(value, opts.key);
      // DVC would put the dict itself in `cmd` and fail later; expanding it is what users mean.
      if (isMap(value) && opts.key === "cmd") return toStr(value, opts.config);
      return cloneValue(value);
    }
    let buf = "";
    let index = 0;
    for (const m of matches) {
      const value = this.select(parseExpression(m.inner));
      validateValue(value, opts.key);
      buf += src.slice(index, m.start) + toStr(value, opts.config);
      index = m.end;
    }
    buf += src.slice(index);
    return buf.replaceAll("\\${", "${");
  }

  /** Resolve every string in a value, keys of mappings included. */
  resolve(v: Value, opts: ResolveOptions): Value {
    if (typeof v === "string") return this.resolveString(v, opts);
    if (isSeq(v)) return v.map((x) => this.resolve(x, opts));
    if (isMap(v)) {
      const out: ValueMap = new Map();
      for (const [k, x] of v) {
        const rk = typeof k === "string" ? this.resolveString(k, opts) : k;
        out.set(isMap(rk) || isSeq(rk) ? String(rk) : (rk as string), this.resolve(x, opts));
      }
      return out;
    }
    return v;
  }
}

/** DVC's `validate_value`: only primitives interpolate, except dicts in `cmd` and anything in `foreach`. */
function validateValue(value: Value, key: string | undefined): void {
  const composite = isMap(value) || isSeq(value);
  if (!composite || key === undefined || key.includes("foreach")) return;
  if (isMap(value) && key === "cmd") return;
  throw new InterpolationError(`Cannot interpolate data of type '${isMap(value) ? "dict" : "list"}'`);
}
