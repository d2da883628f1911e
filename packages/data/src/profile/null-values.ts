import { DEFAULT_NULL_VALUES } from "../readers/cell";

/** True when the unquoted text `buf[s, e)` stands for a missing value. */
export type NullMatcher = (buf: Uint8Array, s: number, e: number) => boolean;

/**
 * Builds a matcher for a list of null spellings. The empty cell is checked first; other
 * spellings are compared only when the length and first byte could match, so the common case
 * costs two comparisons.
 */
export function nullMatcher(values: readonly string[] = DEFAULT_NULL_VALUES): NullMatcher {
  const tokens = values.filter((v) => v !== "").map((v) => Buffer.from(v));
  const emptyIsNull = values.includes("");
  const first = new Uint8Array(256);
  let maxLen = 0;
  for (const t of tokens) {
    first[t[0]!] = 1;
    maxLen = Math.max(maxLen, t.length);
  }
  return (buf, s, e) => {
    const len = e - s;
    if (len === 0) return emptyIsNull;
    if (len > maxLen || first[buf[s]!] === 0) return false;
    outer: for (const t of tokens) {
      if (t.length !== len) continue;
      for (let i = 0; i < len; i++) if (buf[s + i] !== t[i]) continue outer;
      return true;
    }
    return false;
  };
}
