/**
 * Parse dvc.yaml into resolved, typed stages: templating (`vars`, `${...}`), `foreach`/`do`
 * and `matrix` with DVC's generated names, per-stage `vars` and `wdir` (`dvc/parsing/__init__.py`).
 */
import { access, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { MlciError } from "@mlci/common";
import { DEFAULT_PARSING, type ParsingConfig } from "../config";
import { isMap, isSeq, pyStr, type Value, type ValueMap } from "../values";
import { loadYaml, type PathPart } from "../yaml/load";
import { Context, ContextError } from "./context";
import { getMatches, InterpolationError, isInterpolated, parseExpression, toStr } from "./interpolate";
import {
  buildOuts,
  checkStageDefinition,
  checkTopLevel,
  fail,
  keyPath,
  mergeParams,
  type Where,
} from "./schema";
import type { Pipeline, Stage } from "./types";

export interface ParseDvcYamlOptions {
  /** Absolute path of the repository root. */
  root: string;
  /** dvc.yaml relative to the root (default `dvc.yaml`). */
  file?: string;
  /** `.dvc/config` `[parsing]` (default: store_true, nargs). */
  parsing?: ParsingConfig;
}

const INVALID_NAME_CHARS = ["\\", "/", "@", ":"];

function posixRel(root: string, abs: string): string {
  const r = relative(root, abs);
  return r === "" ? "." : r.split(sep).join("/");
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(
    () => true,
    () => false,
  );
}

class Resolver {
  readonly stages: Stage[] = [];

  constructor(
    private readonly root: string,
    private readonly baseDir: string,
    private readonly where: Where,
    private readonly parsing: ParsingConfig,
    private readonly ctx: Context,
  ) {}

  private display = (abs: string): string => posixRel(this.root, abs);

  /** Turn templating failures into CONFIG errors at `path`. */
  private async guard<T>(path: PathPart[], fn: () => T | Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ContextError || err instanceof InterpolationError)
        fail(this.where, path, err.message);
      if (err instanceof MlciError && err.code === "NOT_FOUND") fail(this.where, path, err.message);
      throw err;
    }
  }

  /** DVC checks every `${...}` of a definition once, up front (`check_syntax_errors`). */
  checkSyntax(def: ValueMap, path: PathPart[]): void {
    const visit = (x: Value, p: PathPart[]) => {
      if (typeof x === "string") {
        for (const m of getMatches(x)) {
          try {
            parseExpression(m.inner);
          } catch (err) {
            fail(this.where, p, (err as Error).message);
          }
        }
      } else if (isSeq(x)) {
        for (const y of x) visit(y, p);
      } else if (isMap(x)) {
        for (const [k, y] of x) {
          if (typeof k === "string") visit(k, p);
          visit(y, p);
        }
      }
    };
    for (const [k, x] of def) visit(x, [...path, String(k)]);
  }

  private noInterpolation(v: Value, path: PathPart[]): void {
    const visit = (x: Value) => {
      if (isInterpolated(x)) fail(this.where, path, "interpolating is not allowed in 'vars'");
      if (isSeq(x)) x.forEach(visit);
      if (isMap(x)) for (const y of x.values()) visit(y);
    };
    visit(v);
  }

  async loadVars(
    ctx: Context,
    vars: Value,
    wdirAbs: string,
    path: PathPart[],
    prefix: string,
  ): Promise<void> {
    if (!isSeq(vars)) return;
    this.noInterpolation(vars, path);
    for (const [i, item] of vars.entries()) {
      await this.guard([...path, i], async () => {
        if (typeof item === "string") await ctx.mergeFile(item, wdirAbs, this.display);
        else if (isMap(item)) ctx.merge(item, `${prefix}vars[${i}]`);
      });
    }
  }

  async defineGroup(name: string, def: Value): Promise<void> {
    const path: PathPart[] = ["stages", name];
    if (INVALID_NAME_CHARS.some((c) => name.includes(c))) {
      fail(
        this.where,
        path,
        `invalid stage name '${name}'`,
        `stage names cannot contain ${INVALID_NAME_CHARS.join(" ")}`,
      );
    }
    checkStageDefinition(this.where, path, def);
    const d = def as ValueMap;
    if (d.has("foreach")) return this.foreach(name, d, path);
    if (d.has("matrix")) return this.matrix(name, d, path);
    this.checkSyntax(d, path);
    await this.resolveStage(name, name, d, path);
  }

  private async foreach(name: string, def: ValueMap, path: PathPart[]): Promise<void> {
    const template = def.get("do") as ValueMap;
    this.checkSyntax(template, [...path, "do"]);
    const data = await this.guard([...path, "foreach"], () =>
      this.ctx.resolve(def.get("foreach") as Value, { config: this.parsing }),
    );
    if (!isMap(data) && !isSeq(data)) {
      fail(this.where, [...path, "foreach"], `expected a list or a dictionary, got ${pyStr(data)}`);
    }
    const normalized = new Map<string, Value>();
    if (isMap(data)) {
      for (const [k, v] of data) normalized.set(toStr(k, this.parsing), v);
    } else if (data.some((x) => isMap(x) || isSeq(x))) {
      for (const [i, v] of data.entries()) normalized.set(String(i), v);
    } else {
      for (const v of data) normalized.set(toStr(v, this.parsing), v);
    }
    for (const [key, value] of normalized) {
      const temp: ValueMap = new Map([["item", value]]);
      if (isMap(data)) temp.set("key", key);
      await this.ctx.withTemporary(temp, () =>
        this.resolveStage(`${name}@${key}`, name, template, [...path, "do"]),
      );
    }
  }

  private async matrix(name: string, def: ValueMap, path: PathPart[]): Promise<void> {
    const template: ValueMap = new Map(def);
    template.delete("matrix");
    this.checkSyntax(template, path);
    const data = await this.guard([...path, "matrix"], () =>
      this.ctx.resolve(def.get("matrix") as Value, { config: this.parsing }),
    );
    const vars: Array<[string, Value[]]> = [];
    for (const [k, v] of data as ValueMap) {
      if (!isSeq(v)) fail(this.where, [...path, "matrix", String(k)], `expected a list, got ${pyStr(v)}`);
      vars.push([String(k), v]);
    }
    // itertools.product: the last variable changes fastest.
    let combos: Array<Array<[number, Value]>> = [[]];
    for (const [, values] of vars) {
      combos = combos.flatMap((c) => values.map((v, i): Array<[number, Value]> => [...c, [i, v]]));
    }
    const generated = new Map<string, ValueMap>();
    for (const combo of combos) {
      const item: ValueMap = new Map();
      const fragments: string[] = [];
      combo.forEach(([i, v], j) => {
        const k = (vars[j] as [string, Value[]])[0];
        item.set(k, v);
        fragments.push(isMap(v) || isSeq(v) ? `${k}${i}` : toStr(v, this.parsing));
      });
      generated.set(fragments.join("-"), item);
    }
    for (const [key, item] of generated) {
      const temp: ValueMap = new Map<string, Value>([
        ["key", key],
        ["item", item],
      ]);
      await this.ctx.withTemporary(temp, () => this.resolveStage(`${name}@${key}`, name, template, path));
    }
  }

  private async resolveStage(
    name: string,
    group: string,
    template: ValueMap,
    path: PathPart[],
  ): Promise<void> {
    const opts = (key: string) => ({ key, config: this.parsing });
    let wdirAbs = this.baseDir;
    const wdirRaw = template.get("wdir");
    if (typeof wdirRaw === "string") {
      const w = await this.guard([...path, "wdir"], () => this.ctx.resolveString(wdirRaw, opts("wdir")));
      wdirAbs = resolve(this.baseDir, toStr(w, this.parsing));
    }
    let ctx = this.ctx;
    const vars = template.get("vars");
    if (isSeq(vars) && vars.length > 0) {
      ctx = this.ctx.clone();
      await this.loadVars(ctx, vars, wdirAbs, [...path, "vars"], `${name}.`);
    }
    const resolved: ValueMap = new Map();
    for (const [k, v] of template) {
      if (k === "vars" || k === "matrix") continue;
      const key = String(k);
      resolved.set(key, await this.guard([...path, key], () => ctx.resolve(v, opts(key))));
    }
    this.stages.push(this.build(name, group, resolved, path));
  }

  private build(name: string, group: string, def: ValueMap, path: PathPart[]): Stage {
    const str = (v: Value, p: PathPart[]): string => {
      if (typeof v === "string") return v;
      if (isMap(v) || isSeq(v) || v === null) fail(this.where, p, `expected a string, got ${pyStr(v)}`);
      return toStr(v, this.parsing);
    };
    const rawCmd = def.get("cmd") as Value;
    const cmd = isSeq(rawCmd)
      ? rawCmd.map((c, i) => str(c, [...path, "cmd", i]))
      : str(rawCmd, [...path, "cmd"]);
    const wdirText = def.get("wdir");
    const wdirAbs = typeof wdirText === "string" ? resolve(this.baseDir, wdirText) : this.baseDir;
    const depsRaw = def.get("deps");
    const deps = isSeq(depsRaw) ? depsRaw.map((d, i) => str(d, [...path, "deps", i])) : [];
    const paramsRaw = def.get("params");
    const stage: Stage = {
      name,
      cmd,
      wdir: posixRel(this.root, wdirAbs),
      deps,
      params: isSeq(paramsRaw) ? mergeParams(this.where, [...path, "params"], paramsRaw) : [],
      outs: buildOuts(this.where, path, def),
      frozen: def.get("frozen") === true,
      alwaysChanged: def.get("always_changed") === true,
      source: {
        file: this.where.file,
        line: this.where.lineOf(["stages", group]),
        key: keyPath(["stages", group]),
      },
    };
    const desc = def.get("desc");
    if (typeof desc === "string") stage.desc = desc;
    if (def.has("meta")) stage.meta = def.get("meta") as Value;
    return stage;
  }
}

/** Parse dvc.yaml text. Vars files and params.yaml are read from disk relative to the file. */
export async function parseDvcYamlText(text: string, options: ParseDvcYamlOptions): Promise<Pipeline> {
  const root = resolve(options.root);
  const file = options.file ?? "dvc.yaml";
  const abs = resolve(root, file);
  const rel = posixRel(root, abs);
  const y = loadYaml(text, rel);
  const where: Where = { file: rel, lineOf: y.lineOf };
  const doc = checkTopLevel(where, y.value);
  const baseDir = dirname(abs);
  const parsing = options.parsing ?? DEFAULT_PARSING;
  const ctx = new Context();
  const resolver = new Resolver(root, baseDir, where, parsing, ctx);
  if (await exists(join(baseDir, "params.yaml"))) {
    await (async () => {
      try {
        await ctx.mergeFile("params.yaml", baseDir, (p) => posixRel(root, p));
      } catch (err) {
        if (err instanceof ContextError) fail(where, ["vars"], err.message);
        throw err;
      }
    })();
  }
  await resolver.loadVars(ctx, doc.get("vars") ?? [], baseDir, ["vars"], "");
  const stages = doc.get("stages");
  if (isMap(stages)) {
    for (const [name, def] of stages) await resolver.defineGroup(String(name), def);
  }
  return { root, file: rel, stages: resolver.stages };
}

/** Read and parse `dvc.yaml` (or `options.file`) under the root. */
export async function parseDvcYaml(options: ParseDvcYamlOptions): Promise<Pipeline> {
  const file = options.file ?? "dvc.yaml";
  let text: string;
  try {
    text = await readFile(resolve(options.root, file), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new MlciError("NOT_FOUND", `${file} not found in ${options.root}`, { location: { file } });
    }
    throw err;
  }
  return parseDvcYamlText(text, { ...options, file });
}
