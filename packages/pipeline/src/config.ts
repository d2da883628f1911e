/**
 * `.dvc/config` (and `.dvc/config.local`, which wins): DVC's configobj INI files. We read the
 * parts the pipeline needs: `[parsing]` (dict expansion in `cmd`), `[cache] dir`, the remotes
 * (`['remote "name"']` with `url`) and `[core] remote`.
 */
import { readFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { MlciError } from "@mlci/common";

export interface ParsingConfig {
  /** How `true`/`false` in a dict expand in `cmd`: `--flag` / nothing, or `--flag` / `--no-flag`. */
  bool: "store_true" | "boolean_optional";
  /** How lists expand: `--key a b` (nargs) or `--key a --key b` (append). */
  list: "nargs" | "append";
}

export interface RemoteConfig {
  name: string;
  url: string;
}

export interface DvcConfig {
  parsing: ParsingConfig;
  /** Absolute cache directory (DVC's `cache.dir`, default `.dvc/cache`). */
  cacheDir: string;
  remotes: Map<string, RemoteConfig>;
  defaultRemote?: string;
}

type Sections = Map<string, Map<string, string>>;

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && ((t[0] === '"' && t.endsWith('"')) || (t[0] === "'" && t.endsWith("'")))) {
    return t.slice(1, -1);
  }
  return t;
}

/** Parse configobj text into section -> key -> value. Section names are unquoted (`remote "x"`). */
export function parseConfigText(text: string, file: string): Sections {
  const sections: Sections = new Map();
  let current: Map<string, string> | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) return;
    const sec = /^\[+\s*(.+?)\s*\]+$/.exec(line);
    if (sec) {
      const name = unquote(sec[1] as string);
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      return;
    }
    const eq = line.indexOf("=");
    if (eq < 0 || !current) {
      throw new MlciError("CONFIG", `cannot parse this line: ${line}`, { location: { file, line: i + 1 } });
    }
    const value = line.slice(eq + 1).replace(/\s+#.*$/, "");
    current.set(line.slice(0, eq).trim(), unquote(value));
  });
  return sections;
}

async function readSections(file: string): Promise<Sections> {
  try {
    return parseConfigText(await readFile(file, "utf8"), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw err;
  }
}

/** Read `.dvc/config` and `.dvc/config.local` of the repository at `root`. */
export async function loadDvcConfig(root: string): Promise<DvcConfig> {
  const dvcDir = join(root, ".dvc");
  const file = join(dvcDir, "config");
  const merged: Sections = await readSections(file);
  for (const [name, kv] of await readSections(join(dvcDir, "config.local"))) {
    const into = merged.get(name) ?? new Map<string, string>();
    for (const [k, v] of kv) into.set(k, v);
    merged.set(name, into);
  }
  const parsingSec = merged.get("parsing");
  const bool = parsingSec?.get("bool") ?? "store_true";
  const list = parsingSec?.get("list") ?? "nargs";
  if (bool !== "store_true" && bool !== "boolean_optional") {
    throw new MlciError("CONFIG", `parsing.bool must be store_true or boolean_optional, got '${bool}'`, {
      location: { file, key: "parsing.bool" },
    });
  }
  if (list !== "nargs" && list !== "append") {
    throw new MlciError("CONFIG", `parsing.list must be nargs or append, got '${list}'`, {
      location: { file, key: "parsing.list" },
    });
  }
  // Relative paths in DVC's config are relative to the directory of the config file.
  const rel = (p: string) => (isAbsolute(p) ? p : resolve(dvcDir, p));
  const cacheDir = merged.get("cache")?.get("dir");
  const remotes = new Map<string, RemoteConfig>();
  for (const [name, kv] of merged) {
    const m = /^remote\s+"(.+)"$/.exec(name);
    const url = kv.get("url");
    if (m && url) {
      const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
      remotes.set(m[1] as string, { name: m[1] as string, url: isUrl ? url : rel(url) });
    }
  }
  const defaultRemote = merged.get("core")?.get("remote");
  const config: DvcConfig = {
    parsing: { bool, list },
    cacheDir: cacheDir ? rel(cacheDir) : join(dvcDir, "cache"),
    remotes,
  };
  if (defaultRemote) config.defaultRemote = defaultRemote;
  return config;
}

export const DEFAULT_PARSING: ParsingConfig = { bool: "store_true", list: "nargs" };
