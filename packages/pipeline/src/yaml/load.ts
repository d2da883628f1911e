/**
 * Load YAML as DVC does (ruamel.yaml, YAML 1.2 rules) into {@link Value}s, keeping a way back
 * from a key path to its line for error messages.
 */
import { MlciError } from "@mlci/common";
import {
  type Document,
  isAlias,
  isPair,
  isScalar,
  isMap as isYamlMap,
  isSeq as isYamlSeq,
  LineCounter,
  type Node,
  parseDocument,
  type Scalar as YamlScalar,
} from "yaml";
import { isMap, type Key, PyFloat, Timestamp, type Value, type ValueMap } from "../values";
import { constructPlain } from "./resolver";

export type PathPart = string | number;

export interface YamlFile {
  value: Value;
  /** The 1-based line of the entry at this key path (the key's line for map entries). */
  lineOf(path: readonly PathPart[]): number | undefined;
}

function scalarValue(node: YamlScalar, file: string, lc: LineCounter): Value {
  const text = String(node.value ?? "");
  const tag = node.tag;
  if (tag && tag !== "!" && tag !== "tag:yaml.org,2002:str") {
    const short = tag.replace("tag:yaml.org,2002:", "");
    if (["int", "float", "bool", "null"].includes(short)) {
      const v = constructPlain(text);
      if (short === "float" && typeof v === "number") return Number.isInteger(v) ? new PyFloat(v) : v;
      return v;
    }
    const line = node.range ? lc.linePos(node.range[0]).line : undefined;
    throw new MlciError("CONFIG", `unsupported YAML tag ${tag}`, { location: { file, line } });
  }
  if (node.type === "PLAIN" && !tag) return constructPlain(text);
  return text;
}

function keyOf(v: Value): Key {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof PyFloat) return v.value;
  if (v instanceof Timestamp) return v.text;
  return JSON.stringify(v);
}

function convert(node: unknown, doc: Document, file: string, lc: LineCounter, depth = 0): Value {
  if (depth > 200) throw new MlciError("CONFIG", "YAML nesting is too deep", { location: { file } });
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return convert(node.resolve(doc), doc, file, lc, depth + 1);
  if (isScalar(node)) return scalarValue(node, file, lc);
  if (isYamlSeq(node)) return node.items.map((it) => convert(it, doc, file, lc, depth + 1));
  if (isYamlMap(node)) {
    const out: ValueMap = new Map();
    const merges: Value[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = pair.key;
      if (isScalar(k) && k.type === "PLAIN" && k.value === "<<" && !k.tag) {
        merges.push(convert(pair.value, doc, file, lc, depth + 1));
        continue;
      }
      out.set(keyOf(convert(k, doc, file, lc, depth + 1)), convert(pair.value, doc, file, lc, depth + 1));
    }
    // `<<: *anchor` merges never override explicit keys.
    for (const m of merges.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
      if (!isMap(m)) continue;
      for (const [k, v] of m) if (!out.has(k)) out.set(k, v);
    }
    return out;
  }
  return null;
}

function keyMatches(keyNode: unknown, part: PathPart): boolean {
  if (!isScalar(keyNode)) return false;
  return String(keyNode.value) === String(part);
}

/** Parse YAML text; syntax errors become CONFIG errors naming the file and the line. */
export function loadYaml(text: string, file: string): YamlFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { schema: "failsafe", lineCounter: lc, prettyErrors: false });
  const err = doc.errors[0];
  if (err) {
    const line = lc.linePos(err.pos[0]).line;
    throw new MlciError("CONFIG", `invalid YAML: ${err.message.split("\n")[0]}`, {
      location: { file, line },
    });
  }
  const value = convert(doc.contents, doc, file, lc);
  const lineOf = (path: readonly PathPart[]): number | undefined => {
    let node: unknown = doc.contents;
    let line: number | undefined = (node as Node | null)?.range
      ? lc.linePos((node as Node).range![0]).line
      : 1;
    for (const part of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isYamlMap(node)) {
        const pair = node.items.find((p) => keyMatches(p.key, part));
        if (!pair) return line;
        const kr = (pair.key as Node | null)?.range;
        if (kr) line = lc.linePos(kr[0]).line;
        node = pair.value;
      } else if (isYamlSeq(node) && typeof part === "number") {
        const item = node.items[part] as Node | undefined;
        if (!item) return line;
        if (item.range) line = lc.linePos(item.range[0]).line;
        node = item;
      } else {
        return line;
      }
    }
    return line;
  };
  return { value, lineOf };
}
