/**
 * `.dvcignore` files: gitignore syntax (DVC uses pathspec's GitWildMatchPattern). Each file
 * applies to its own directory and below; later lines win, `!` re-includes, a trailing `/`
 * matches directories only, a pattern with a slash (not at the end) is anchored to its file's
 * directory. DVC always ignores `.git`, `.hg/` and `.dvc/`.
 */
import { readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";

interface Rule {
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
  /** Directory (relative to the root, posix, "" for the root) the rule was read in. */
  base: string;
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** Translate one gitignore glob (already stripped of `!` and the trailing `/`) to a regex source. */
function globToRegex(glob: string, anchored: boolean): string {
  let out = "";
  let i = 0;
  while (i < glob.length) {
    const ch = glob[i] as string;
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        const before = i === 0 || glob[i - 1] === "/";
        const after = i + 2 === glob.length || glob[i + 2] === "/";
        if (before && after) {
          if (i + 2 === glob.length) out += ".*";
          else {
            out += "(?:.*/)?";
            i += 3;
            continue;
          }
          i += 2;
          continue;
        }
      }
      out += "[^/]*";
      i++;
    } else if (ch === "?") {
      out += "[^/]";
      i++;
    } else if (ch === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) {
        out += "\\[";
        i++;
        continue;
      }
      let body = glob.slice(i + 1, close);
      if (body.startsWith("!")) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, "\\\\")}]`;
      i = close + 1;
    } else if (ch === "\\" && i + 1 < glob.length) {
      out += escapeRegex(glob[i + 1] as string);
      i += 2;
    } else {
      out += escapeRegex(ch);
      i++;
    }
  }
  return anchored ? `^${out}(?:/.*)?$` : `^(?:.*/)?${out}(?:/.*)?$`;
}

export function parseIgnoreLines(text: string, base: string): Rule[] {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, "");
    if (!line || line.startsWith("#")) continue;
    let negate = false;
    if (line.startsWith("!")) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
      line = line.slice(1);
    }
    let dirOnly = false;
    if (line.endsWith("/")) {
      dirOnly = true;
      line = line.slice(0, -1);
    }
    if (!line) continue;
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    rules.push({ regex: new RegExp(globToRegex(line, anchored)), negate, dirOnly, base });
  }
  return rules;
}

const DEFAULT_RULES: Rule[] = [...parseIgnoreLines(".git\n.hg/\n.dvc/\n", "")];

/** The rules that apply under one directory, with a test for entries inside it. */
export class IgnoreFilter {
  private constructor(private readonly rules: Rule[]) {}

  /** Rules from DVC's defaults and every `.dvcignore` from `root` down to `dir` (inclusive). */
  static async forDir(root: string, dir: string): Promise<IgnoreFilter> {
    const rules = [...DEFAULT_RULES];
    const rel = relative(root, dir);
    const parts = rel && !rel.startsWith("..") ? rel.split(sep) : [];
    for (let i = 0; i <= parts.length; i++) {
      const base = parts.slice(0, i).join("/");
      try {
        const text = await readFile(join(root, ...parts.slice(0, i), ".dvcignore"), "utf8");
        rules.push(...parseIgnoreLines(text, base));
      } catch {
        // no .dvcignore at this level
      }
    }
    return new IgnoreFilter(rules);
  }

  static none(): IgnoreFilter {
    return new IgnoreFilter([...DEFAULT_RULES]);
  }

  /** Whether `relPath` (posix, relative to the root) is ignored. */
  ignores(relPath: string, isDir: boolean): boolean {
    let ignored = false;
    for (const r of this.rules) {
      if (r.dirOnly && !isDir) {
        // A directory-only pattern still ignores files below a matching directory.
        const parentMatch = this.parentMatches(r, relPath);
        if (!parentMatch) continue;
      }
      const local = r.base
        ? relPath.startsWith(`${r.base}/`)
          ? relPath.slice(r.base.length + 1)
          : null
        : relPath;
      if (local === null) continue;
      if (r.regex.test(local)) ignored = !r.negate;
    }
    return ignored;
  }

  private parentMatches(r: Rule, relPath: string): boolean {
    const idx = relPath.lastIndexOf("/");
    if (idx < 0) return false;
    const parent = relPath.slice(0, idx);
    const local = r.base
      ? parent.startsWith(`${r.base}/`)
        ? parent.slice(r.base.length + 1)
        : null
      : parent;
    return local !== null && r.regex.test(local);
  }
}
