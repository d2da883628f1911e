/**
 * Write YAML byte for byte as DVC does: ruamel.yaml's round-trip dumper with its defaults
 * (2-space indents, block sequences not indented under their key, 80-column folding of long
 * scalars, plain style when the text reads back as the same type, single quotes otherwise,
 * double quotes for text with a quote, a newline or a control character, `null` as an empty
 * value inside collections). The logic follows ruamel's `emitter.py` for the block styles that
 * DVC's files use; anchors, tags, comments and flow styles are not needed and not written.
 */
import { isMap, isSeq, type Key, type Value } from "../values";
import { analyze, BREAKS, ESCAPES, represent } from "./scalar-analysis";

const BEST_WIDTH = 80;
const INDENT = 2;
const MAX_SIMPLE_KEY_LENGTH = 128;

class Emitter {
  private out: string[] = [];
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = 0;

  result(): string {
    return this.out.join("");
  }

  private write(data: string, width = [...data].length): void {
    this.out.push(data);
    this.column += width;
  }

  private writeIndicator(ind: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? ind : ` ${ind}`;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.write(data);
  }

  private writeIndent(): void {
    const indent = this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.writeLineBreak();
    }
    if (this.column < indent) {
      this.whitespace = true;
      this.write(" ".repeat(indent - this.column));
    }
  }

  private writeLineBreak(data = "\n"): void {
    this.whitespace = true;
    this.indention = true;
    this.out.push(data);
    this.column = 0;
  }

  /** Emit a node. `ctx` is where it sits: at the root, as a mapping key or value, or as a sequence item. */
  node(v: Value, ctx: "root" | "key" | "value" | "item", parentIndent: number | null): void {
    const nested = ctx !== "root";
    if (isMap(v) || isSeq(v)) {
      const empty = isMap(v) ? v.size === 0 : v.length === 0;
      if (empty) this.emptyFlow(isMap(v) ? "{}" : "[]");
      else if (isMap(v)) this.blockMapping(v, parentIndent);
      else this.blockSequence(v, ctx, parentIndent);
      return;
    }
    const saved = this.indent;
    this.indent = parentIndent === null ? 0 : parentIndent + INDENT;
    this.scalar(v, ctx === "key", ctx === "item", nested);
    this.indent = saved;
  }

  private emptyFlow(brackets: "{}" | "[]"): void {
    this.writeIndicator(brackets[0] as string, true, true);
    this.writeIndicator(brackets[1] as string, false);
    this.writeLineBreak();
  }

  private blockMapping(m: Map<Key, Value>, parentIndent: number | null): void {
    const saved = this.indent;
    const indent = parentIndent === null ? 0 : parentIndent + INDENT;
    for (const [k, v] of m) {
      this.indent = indent;
      this.writeIndent();
      const rep = represent(k, true);
      const chars = [...rep.text];
      const a = analyze(chars);
      const simple = chars.length < MAX_SIMPLE_KEY_LENGTH && !a.multiline;
      if (simple) {
        this.node(k, "key", indent);
        this.writeIndicator(":", false);
      } else {
        this.writeIndicator("?", true, false, true);
        this.node(k, "value", indent);
        this.indent = indent;
        this.writeIndent();
        this.writeIndicator(":", true, false, true);
      }
      this.node(v, "value", indent);
    }
    this.indent = saved;
  }

  private blockSequence(items: Value[], ctx: string, parentIndent: number | null): void {
    const saved = this.indent;
    // Under a mapping key the dashes line up with the key (ruamel's "indentless" sequence).
    const indentless = ctx === "value" && !this.indention;
    const indent = parentIndent === null ? 0 : indentless ? parentIndent : parentIndent + INDENT;
    for (const item of items) {
      this.indent = indent;
      this.writeIndent();
      this.writeIndicator("-", true, false, true);
      this.node(item, "item", indent);
    }
    this.indent = saved;
  }

  private scalar(v: Value | Key, isKey: boolean, inSequence: boolean, nested: boolean): void {
    const rep = represent(v as Value, nested);
    let chars = [...rep.text];
    const a = analyze(chars);
    let style: "" | "'" | '"';
    if (rep.implicitPlain && !(isKey && (a.empty || a.multiline)) && a.allowBlockPlain) style = "";
    else if (rep.text.includes("'") || rep.text.includes("\n")) style = '"';
    else if (a.allowSingleQuoted && !(isKey && a.multiline)) style = "'";
    else style = '"';
    if (style === "'" && rep.text === "" && v === null) {
      // ruamel writes a null that cannot be left empty (a key) as `null`.
      chars = [..."null"];
      style = "";
    }
    const split = !isKey;
    if (inSequence) this.writeIndent();
    if (style === '"') this.writeDoubleQuoted(chars, split);
    else if (style === "'") this.writeSingleQuoted(chars, split);
    else this.writePlain(chars, split);
  }

  private writePlain(text: string[], split: boolean): void {
    if (text.length === 0) return;
    if (!this.whitespace) this.write(" ");
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : undefined;
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.column > BEST_WIDTH && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            this.write(text.slice(start, end).join(""), end - start);
          }
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}`.includes(ch)) {
        this.write(text.slice(start, end).join(""), end - start);
        start = end;
      }
      if (ch !== undefined) spaces = ch === " ";
    }
  }

  private writeSingleQuoted(text: string[], split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : undefined;
      if (spaces) {
        if (ch === undefined || ch !== " ") {
          if (start + 1 === end && this.column > BEST_WIDTH && split && start !== 0 && end !== text.length) {
            this.writeIndent();
          } else {
            this.write(text.slice(start, end).join(""), end - start);
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (text[start] === "\n") this.writeLineBreak();
          for (const br of text.slice(start, end)) this.writeLineBreak(br === "\n" ? "\n" : br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === undefined || ` ${BREAKS}`.includes(ch) || ch === "'") {
        if (start < end) {
          this.write(text.slice(start, end).join(""), end - start);
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === " ";
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  private writeDoubleQuoted(text: string[], split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text[end] : undefined;
      const cp = ch === undefined ? 0 : (ch.codePointAt(0) as number);
      if (
        ch === undefined ||
        '"\\\x85\u2028\u2029\uFEFF'.includes(ch) ||
        !((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd))
      ) {
        if (start < end) {
          this.write(text.slice(start, end).join(""), end - start);
          start = end;
        }
        if (ch !== undefined) {
          let data: string;
          const esc = ESCAPES[ch];
          if (esc !== undefined) data = `\\${esc}`;
          else if (cp <= 0xff) data = `\\x${cp.toString(16).toUpperCase().padStart(2, "0")}`;
          else if (cp <= 0xffff) data = `\\u${cp.toString(16).toUpperCase().padStart(4, "0")}`;
          else data = `\\U${cp.toString(16).toUpperCase().padStart(8, "0")}`;
          this.write(data);
          start = end + 1;
        }
      }
      if (
        end > 0 &&
        end < text.length - 1 &&
        (ch === " " || start >= end) &&
        this.column + (end - start) > BEST_WIDTH &&
        split
      ) {
        const data = `${text.slice(start, end).join("")}\\`;
        if (start < end) start = end;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (text[start] === " ") this.write("\\");
      }
    }
    this.writeIndicator('"', false);
  }

  finish(): void {
    this.indent = 0;
    this.writeIndent();
  }
}

/** Serialise a value as DVC's `dump_yaml` would. The result ends with one newline. */
export function dumpYaml(value: Value): string {
  const e = new Emitter();
  e.node(value, "root", null);
  e.finish();
  return e.result();
}
