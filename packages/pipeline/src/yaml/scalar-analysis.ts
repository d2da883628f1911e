/**
 * Scalar analysis for the dumper, after ruamel's `Emitter.analyze_scalar`: which styles a text
 * allows, and the text and plain-safety of each scalar as ruamel's representer produces it.
 */
import { type Key, PyFloat, pyFloatRepr, Timestamp, type Value } from "../values";
import { resolvePlain } from "./resolver";

export const BREAKS = "\n\x85\u2028\u2029";
const WS_OR_END = "\0 \t\r\n\x85\u2028\u2029";

export interface Analysis {
  empty: boolean;
  multiline: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

function isUnicodePrintable(cp: number): boolean {
  return (
    cp === 0x85 ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

export function analyze(chars: string[]): Analysis {
  if (chars.length === 0) {
    return { empty: true, multiline: false, allowBlockPlain: true, allowSingleQuoted: true };
  }
  const text = chars.join("");
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (text.startsWith("---") || text.startsWith("...")) blockIndicators = true;
  let precededByWs = true;
  let followedByWs = chars.length === 1 || WS_OR_END.includes(chars[1] as string);
  let previousSpace = false;
  let previousBreak = false;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(ch)) blockIndicators = true;
      if ("?:".includes(ch) && followedByWs) blockIndicators = true;
      if (ch === "-" && followedByWs) blockIndicators = true;
    } else {
      if (ch === ":" && followedByWs) blockIndicators = true;
      if (ch === "#" && precededByWs) blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    const cp = ch.codePointAt(0) as number;
    if (!(ch === "\n" || (cp >= 0x20 && cp <= 0x7e))) {
      if (!(isUnicodePrintable(cp) && cp !== 0xfeff)) special = true;
    }
    if (ch === " ") {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWs = WS_OR_END.includes(ch);
    followedByWs = i + 2 >= chars.length || WS_OR_END.includes(chars[i + 2] as string);
  }
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowBlockPlain = false;
  if (breakSpace) allowBlockPlain = allowSingleQuoted = false;
  if (special || spaceBreak) allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks) allowBlockPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowBlockPlain, allowSingleQuoted };
}

export const ESCAPES: Record<string, string> = {
  "\0": "0",
  "\x07": "a",
  "\x08": "b",
  "\x09": "t",
  "\x0A": "n",
  "\x0B": "v",
  "\x0C": "f",
  "\x0D": "r",
  "\x1B": "e",
  '"': '"',
  "\\": "\\",
  "\x85": "N",
  "\xA0": "_",
  "\u2028": "L",
  "\u2029": "P",
};

/** A scalar as the representer hands it to the emitter: its text and whether plain text reads back right. */
export function represent(v: Value | Key, nested: boolean): { text: string; implicitPlain: boolean } {
  if (v === null) return { text: nested ? "" : "null", implicitPlain: true };
  if (typeof v === "boolean") return { text: v ? "true" : "false", implicitPlain: true };
  if (typeof v === "number" || v instanceof PyFloat) {
    const n = typeof v === "number" ? v : v.value;
    if (typeof v === "number" && Number.isInteger(v)) return { text: String(v), implicitPlain: true };
    if (Number.isNaN(n)) return { text: ".nan", implicitPlain: true };
    if (!Number.isFinite(n)) return { text: n > 0 ? ".inf" : "-.inf", implicitPlain: true };
    return { text: pyFloatRepr(n).toLowerCase(), implicitPlain: true };
  }
  if (v instanceof Timestamp) return { text: v.text, implicitPlain: true };
  const s = String(v);
  return { text: s, implicitPlain: resolvePlain(s) === "str" };
}
