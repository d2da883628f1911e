/**
 * A fast reader for the YAML subset ruamel writes for dvc.lock: block mappings and sequences
 * (compact `- key: value` items, sequences level with their key), plain scalars folded over
 * several lines, single- and double-quoted scalars, `[]` and `{}`. On a 200-stage lock the
 * general parser takes hundreds of milliseconds before it warms up; this takes a few.
 *
 * It returns null on anything outside the subset (comments, anchors, tags, flow collections,
 * block scalars, blank lines, tabs, duplicate keys), and the caller then uses the general
 * loader. Values are typed exactly as {@link loadYaml} types them (tests compare both).
 */
import { type Key, PyFloat, Timestamp, type Value, type ValueMap } from "../values";
import { constructPlain } from "./resolver";

class Bail extends Error {}

interface Line {
  indent: number;
  text: string;
}

const ESC: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\x85",
  _: "\xa0",
  L: "\u2028",
  P: "\u2029",
};

function keyOf(v: Value): Key {
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof PyFloat) return v.value;
  if (v instanceof Timestamp) return v.text;
  throw new Bail();
}

class Reader {
  private i = 0;
  constructor(private readonly lines: Line[]) {}

  done(): boolean {
    return this.i >= this.lines.length;
  }

  private peek(): Line | undefined {
    return this.lines[this.i];
  }

  node(indent: number): Value {
    const l = this.peek();
    if (!l || l.indent !== indent) throw new Bail();
    return l.text === "-" || l.text.startsWith("- ") ? this.seq(indent) : this.map(indent);
  }

  private seq(indent: number): Value[] {
    const out: Value[] = [];
    for (
      let l = this.peek();
      l && l.indent === indent && (l.text === "-" || l.text.startsWith("- "));
      l = this.peek()
    ) {
      const rest = l.text.slice(2);
      if (rest.trim() === "") {
        this.i++;
        const next = this.peek();
        if (next && next.indent > indent) throw new Bail();
        out.push(null);
      } else if (this.startsMapEntry(rest)) {
        // `- key: value`: a mapping whose keys sit two columns right of the dash.
        this.lines[this.i] = { indent: indent + 2, text: rest };
        out.push(this.map(indent + 2));
      } else {
        this.i++;
        out.push(this.scalar(rest, indent));
      }
    }
    return out;
  }

  private startsMapEntry(text: string): boolean {
    if (text[0] === "'" || text[0] === '"') {
      const end = text[0] === "'" ? this.singleEnd(text) : this.doubleEnd(text);
      return end > 0 && text[end] === ":";
    }
    return /^[^\s].*?(?:: |:$)/.test(text) && !text.startsWith("[") && !text.startsWith("{");
  }

  private singleEnd(text: string): number {
    for (let j = 1; j < text.length; j++) {
      if (text[j] === "'") {
        if (text[j + 1] === "'") j++;
        else return j + 1;
      }
    }
    return -1;
  }

  private doubleEnd(text: string): number {
    for (let j = 1; j < text.length; j++) {
      if (text[j] === "\\") j++;
      else if (text[j] === '"') return j + 1;
    }
    return -1;
  }

  private map(indent: number): ValueMap {
    const out: ValueMap = new Map();
    for (
      let l = this.peek();
      l && l.indent === indent && !(l.text === "-" || l.text.startsWith("- "));
      l = this.peek()
    ) {
      const text = l.text;
      let key: Key;
      let rest: string;
      if (text[0] === "'" || text[0] === '"') {
        const end = text[0] === "'" ? this.singleEnd(text) : this.doubleEnd(text);
        if (end < 0 || text[end] !== ":") throw new Bail();
        key = text[0] === "'" ? this.single([text.slice(0, end)]) : this.double([text.slice(0, end)]);
        rest = text.slice(end + 1);
      } else {
        const m = /^(.*?)(?:: |:$)/.exec(text);
        if (!m) throw new Bail();
        const k = m[1] as string;
        if (
          k === "" ||
          /[#&*!|>%@`{[\]},]/.test(k[0] as string) ||
          k.includes(" #") ||
          k === "?" ||
          k === "<<"
        ) {
          throw new Bail();
        }
        key = keyOf(constructPlain(k));
        rest = text.slice(k.length + 1);
      }
      if (out.has(key)) throw new Bail();
      this.i++;
      rest = rest.trimStart();
      if (rest === "") {
        const next = this.peek();
        if (next && next.indent > indent) out.set(key, this.node(next.indent));
        else if (next && next.indent === indent && (next.text === "-" || next.text.startsWith("- "))) {
          out.set(key, this.seq(indent));
        } else out.set(key, null);
      } else {
        out.set(key, this.scalar(rest, indent));
      }
    }
    return out;
  }

  /** A scalar starting with `first`, continued on the following lines indented more than `indent`. */
  private scalar(first: string, indent: number): Value {
    const parts = [first];
    for (let l = this.peek(); l && l.indent > indent; l = this.peek()) {
      parts.push(l.text);
      this.i++;
    }
    const c = first[0] as string;
    if (c === "'") return this.single(parts);
    if (c === '"') return this.double(parts);
    if (parts.length === 1 && first === "[]") return [];
    if (parts.length === 1 && first === "{}") return new Map();
    if (/[#&*!|>%@`{[\]},?]/.test(c) || (c === "-" && first[1] === " ") || first.startsWith(": "))
      throw new Bail();
    for (const p of parts) if (p.includes(" #") || p.includes(": ") || p.endsWith(":")) throw new Bail();
    return constructPlain(parts.join(" "));
  }

  private single(parts: string[]): string {
    const joined = parts.join(" ");
    const end = this.singleEnd(joined);
    if (end !== joined.length) throw new Bail();
    return joined.slice(1, -1).replace(/''/g, "'");
  }

  private double(parts: string[]): string {
    let out = "";
    for (let p = 0; p < parts.length; p++) {
      let s = parts[p] as string;
      if (p === 0) s = s.slice(1);
      let j = 0;
      let continued = false;
      while (j < s.length) {
        const ch = s[j] as string;
        if (ch === "\\") {
          if (j === s.length - 1) {
            continued = true;
            break;
          }
          const e = s[j + 1] as string;
          const width = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
          if (width) {
            const hex = s.slice(j + 2, j + 2 + width);
            if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) throw new Bail();
            out += String.fromCodePoint(Number.parseInt(hex, 16));
            j += 2 + width;
          } else {
            const r = ESC[e];
            if (r === undefined) throw new Bail();
            out += r;
            j += 2;
          }
        } else if (ch === '"') {
          if (p !== parts.length - 1 || j !== s.length - 1) throw new Bail();
          return out;
        } else {
          out += ch;
          j++;
        }
      }
      if (p === parts.length - 1) throw new Bail();
      if (!continued) out = `${out.replace(/[ \t]+$/, "")} `;
    }
    throw new Bail();
  }
}

/** Parse ruamel-style block YAML, or return null when the text is outside the subset. */
export function parseSimpleBlockYaml(text: string): Value | null {
  if (text.includes("\r") || text.includes("\t")) return null;
  const raw = text.split("\n");
  if (raw.at(-1) === "") raw.pop();
  const lines: Line[] = [];
  for (const r of raw) {
    const t = r.trimStart();
    if (t === "" || t.startsWith("#") || t.startsWith("---") || t.startsWith("...")) return null;
    lines.push({ indent: r.length - t.length, text: t.replace(/ +$/, (m) => (t === `-${m}` ? m : "")) });
  }
  if (lines.length === 0) return null;
  try {
    const reader = new Reader(lines);
    const v = reader.node(0);
    return reader.done() ? v : null;
  } catch (err) {
    if (err instanceof Bail) return null;
    throw err;
  }
}
