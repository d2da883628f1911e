/**
 * DVC's string interpolation (`dvc/parsing/interpolate.py`): `${expr}` with `expr` as
 * `name(.name | [index])*`, `\${` as an escape, and `to_str` for the text a value becomes,
 * including dict expansion in `cmd` as set by `.dvc/config`'s `[parsing]`.
 */
import type { ParsingConfig } from "../config";
import { isMap, isSeq, type Key, pyRepr, pyStr, type Value, type ValueMap } from "../values";

/** `(?<!\\)${(?P<inner>.*?)}` */
const KEYCRE = /(?<!\\)\$\{(.*?)\}/g;

export class InterpolationError extends Error {}

export interface Match {
  start: number;
  end: number;
  inner: string;
}

export function getMatches(template: string): Match[] {
  const out: Match[] = [];
  for (const m of template.matchAll(KEYCRE)) {
    out.push({ start: m.index, end: m.index + m[0].length, inner: m[1] as string });
  }
  return out;
}

export function isInterpolated(v: unknown): boolean {
  return typeof v === "string" && getMatches(v).length > 0;
}

export function isExactString(src: string, matches: Match[]): boolean {
  const m = matches[0];
  return matches.length === 1 && m !== undefined && m.start === 0 && m.end === src.length;
}

/** Parse an expression into DVC's normalised dotted key (`a[0].b` -> `a.0.b`). */
export function parseExpression(inner: string): string {
  const parts: string[] = [];
  let i = 0;
  const word = (): string => {
    const start = i;
    while (i < inner.length && !".[]".includes(inner[i] as string)) i++;
    if (i === start) {
      throw new InterpolationError(
        `invalid expression \${${inner}}: expected a name at position ${start + 1}`,
      );
    }
    return inner.slice(start, i);
  };
  parts.push(word());
  while (i < inner.length) {
    const ch = inner[i];
    if (ch === ".") {
      i++;
      parts.push(word());
    } else if (ch === "[") {
      i++;
      parts.push(word());
      if (inner[i] !== "]") throw new InterpolationError(`invalid expression \${${inner}}: expected ']'`);
      i++;
    } else {
      throw new InterpolationError(`invalid expression \${${inner}}: unexpected '${ch}'`);
    }
  }
  return parts.join(".");
}

/** Python's `shlex.quote`. */
export function shellQuote(s: string): string {
  if (s === "") return "''";
  if (!/[^\w@%+=:,./-]/.test(s)) return s;
  return `'${s.replace(/'/g, "'\"'\"'")}'`;
}

/** `flatten_dict.flatten(d, reducer="dot")`: nested mappings become dotted keys; lists stay. */
export function flattenDict(m: ValueMap, prefix = "", out = new Map<string, Value>()): Map<string, Value> {
  for (const [k, v] of m) {
    const key = prefix ? `${prefix}.${keyStr(k)}` : keyStr(k);
    if (isMap(v)) flattenDict(v, key, out);
    else out.set(key, v);
  }
  return out;
}

function keyStr(k: Key): string {
  return pyStr(k);
}

/** Expand a dict into command-line arguments, as DVC does for `${dict}` in `cmd`. */
export function expandDict(m: ValueMap, config: ParsingConfig): string {
  let result = "";
  for (const [k, v] of flattenDict(m)) {
    if (typeof v === "boolean") {
      if (v) result += `--${k} `;
      else if (config.bool === "boolean_optional") result += `--no-${k} `;
    } else if (typeof v === "string") {
      result += `--${k} ${shellQuote(v)} `;
    } else if (isSeq(v)) {
      v.forEach((item, n) => {
        let text: string;
        if (typeof item === "string") text = shellQuote(item);
        else if (isSeq(item) || isMap(item))
          throw new InterpolationError(`Cannot interpolate nested iterable in '${k}'`);
        else text = pyStr(item);
        if (config.list === "append") result += `--${k} ${text} `;
        else result += n > 0 ? `${text} ` : `--${k} ${text} `;
      });
    } else {
      result += `--${k} ${pyStr(v)} `;
    }
  }
  return result.trimEnd();
}

/** DVC's `to_str`: booleans as true/false, dicts expanded, everything else as Python's `str()`. */
export function toStr(v: Value, config: ParsingConfig): string {
  if (typeof v === "boolean") return v ? "true" : "false";
  if (isMap(v)) return expandDict(v, config);
  if (isSeq(v)) return pyRepr(v);
  return pyStr(v);
}
