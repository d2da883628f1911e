/**
 * The values of a stage's tracked params, as DVC's `ParamsDependency.read_params` finds them:
 * each key is a dotted path into the file (`train.lr`, `layers.0`), a whole-file entry takes
 * every top-level key.
 */
import { join } from "node:path";
import { MlciError } from "@mlci/common";
import { readDataFile } from "./dvc-yaml/data-files";
import type { ParamsRef, Stage } from "./dvc-yaml/types";
import { repoPath } from "./graph";
import { isMap, isSeq, type Value, type ValueMap } from "./values";

/** Parsed params files, shared across stages within one status or run. */
export class ParamsReader {
  private readonly files = new Map<string, Promise<Value | undefined>>();

  constructor(readonly root: string) {}

  /** The parsed file, or undefined when it does not exist. */
  file(repoRelPath: string): Promise<Value | undefined> {
    let p = this.files.get(repoRelPath);
    if (!p) {
      p = readDataFile(join(this.root, repoRelPath), repoRelPath).catch((err) => {
        if (err instanceof MlciError && err.code === "NOT_FOUND") return undefined;
        throw err;
      });
      this.files.set(repoRelPath, p);
    }
    return p;
  }

  /** Forget parsed files (after a stage ran and may have rewritten them). */
  clear(): void {
    this.files.clear();
  }
}

/** `dpath.get(config, key, separator=".")`. */
export function getParam(data: Value, key: string): Value | undefined {
  let node: Value = data;
  for (const part of key.split(".")) {
    if (isMap(node)) {
      if (!node.has(part)) return undefined;
      node = node.get(part) as Value;
    } else if (isSeq(node) && /^\d+$/.test(part) && Number(part) < node.length) {
      node = node[Number(part)] as Value;
    } else {
      return undefined;
    }
  }
  return node;
}

export interface ParamsValues {
  /** The file as written in dvc.yaml (the key in dvc.lock). */
  file: string;
  /** null when the file does not exist. */
  values: ValueMap | null;
  /** Tracked keys that the file does not have. */
  missing: string[];
}

/** Read the current values of one params entry of a stage. */
export async function readParams(reader: ParamsReader, stage: Stage, ref: ParamsRef): Promise<ParamsValues> {
  const data = await reader.file(repoPath(stage, ref.file));
  if (data === undefined) return { file: ref.file, values: null, missing: ref.keys ?? [] };
  const values: ValueMap = new Map();
  const missing: string[] = [];
  if (ref.keys === null) {
    if (isMap(data)) for (const [k, v] of data) values.set(k, v);
  } else {
    for (const k of ref.keys) {
      const v = getParam(data, k);
      if (v === undefined) missing.push(k);
      else values.set(k, v);
    }
  }
  return { file: ref.file, values, missing };
}
