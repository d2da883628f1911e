import { createHash } from "node:crypto";

/**
 * Git objects hashed the way git hashes them, so a blob, tree, commit or annotated tag made
 * through the test server has the SHA that `git hash-object` would give the same content.
 */

export interface Signature {
  name: string;
  email: string;
  /** ISO 8601, second precision, as GitHub writes it. */
  date: string;
}

export interface TreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  sha: string;
}

export type GitObject =
  | { type: "blob"; sha: string; content: Buffer }
  | { type: "tree"; sha: string; entries: TreeEntry[] }
  | {
      type: "commit";
      sha: string;
      tree: string;
      parents: string[];
      message: string;
      author: Signature;
      committer: Signature;
    }
  | {
      type: "tag";
      sha: string;
      tag: string;
      message: string;
      object: { type: "commit" | "tree" | "blob" | "tag"; sha: string };
      tagger: Signature;
    };

export const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

function hashObject(type: string, body: Buffer): string {
  return createHash("sha1")
    .update(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]))
    .digest("hex");
}

function gitDate(sig: Signature): string {
  return `${sig.name} <${sig.email}> ${Math.floor(Date.parse(sig.date) / 1000)} +0000`;
}

/** Git sorts tree entries by name, with a subtree's name compared as if it ended in "/". */
function treeOrder(a: TreeEntry, b: TreeEntry): number {
  const ka = a.type === "tree" ? `${a.path}/` : a.path;
  const kb = b.type === "tree" ? `${b.path}/` : b.path;
  return Buffer.compare(Buffer.from(ka), Buffer.from(kb));
}

export class GitStore {
  readonly objects = new Map<string, GitObject>();

  constructor() {
    this.objects.set(EMPTY_TREE, { type: "tree", sha: EMPTY_TREE, entries: [] });
  }

  get(sha: string): GitObject | undefined {
    return this.objects.get(sha.toLowerCase());
  }

  blob(content: Buffer): string {
    const sha = hashObject("blob", content);
    this.objects.set(sha, { type: "blob", sha, content });
    return sha;
  }

  tree(entries: TreeEntry[]): string {
    const sorted = [...entries].sort(treeOrder);
    const body = Buffer.concat(
      sorted.map((e) =>
        Buffer.concat([Buffer.from(`${e.mode.replace(/^0+/, "")} ${e.path}\0`), Buffer.from(e.sha, "hex")]),
      ),
    );
    const sha = hashObject("tree", body);
    this.objects.set(sha, { type: "tree", sha, entries: sorted });
    return sha;
  }

  /** A commit; with `sha`, stored under that SHA as given (to match SHAs in webhook payloads). */
  commit(c: {
    tree: string;
    parents: string[];
    message: string;
    author: Signature;
    committer: Signature;
    sha?: string;
  }): string {
    const text = [
      `tree ${c.tree}`,
      ...c.parents.map((p) => `parent ${p}`),
      `author ${gitDate(c.author)}`,
      `committer ${gitDate(c.committer)}`,
      "",
      c.message,
    ].join("\n");
    const sha = c.sha?.toLowerCase() ?? hashObject("commit", Buffer.from(text));
    this.objects.set(sha, { type: "commit", sha, ...c });
    return sha;
  }

  tag(t: {
    tag: string;
    message: string;
    object: { type: "commit" | "tree" | "blob" | "tag"; sha: string };
    tagger: Signature;
  }): string {
    const text = [
      `object ${t.object.sha}`,
      `type ${t.object.type}`,
      `tag ${t.tag}`,
      `tagger ${gitDate(t.tagger)}`,
      "",
      t.message,
    ].join("\n");
    const sha = hashObject("tag", Buffer.from(text));
    this.objects.set(sha, { type: "tag", sha, ...t });
    return sha;
  }

  /** Every blob under a tree, by full path. */
  flatten(treeSha: string, prefix = ""): Map<string, TreeEntry> {
    const out = new Map<string, TreeEntry>();
    const tree = this.get(treeSha);
    if (tree?.type !== "tree") return out;
    for (const e of tree.entries) {
      const path = prefix ? `${prefix}/${e.path}` : e.path;
      if (e.type === "tree") for (const [p, sub] of this.flatten(e.sha, path)) out.set(p, sub);
      else out.set(path, { ...e, path });
    }
    return out;
  }

  /** Build nested trees from full paths; returns the root tree's SHA. */
  buildTree(files: Map<string, TreeEntry>): string {
    const here: TreeEntry[] = [];
    const dirs = new Map<string, Map<string, TreeEntry>>();
    for (const [path, e] of files) {
      const slash = path.indexOf("/");
      if (slash < 0) {
        here.push({ ...e, path });
        continue;
      }
      const dir = path.slice(0, slash);
      const sub = dirs.get(dir) ?? new Map<string, TreeEntry>();
      dirs.set(dir, sub);
      sub.set(path.slice(slash + 1), e);
    }
    for (const [dir, sub] of dirs)
      here.push({ path: dir, mode: "040000", type: "tree", sha: this.buildTree(sub) });
    return this.tree(here);
  }

  /** Whether `ancestor` is reachable from `sha` through parents (or is it). */
  isAncestor(ancestor: string, sha: string): boolean {
    const seen = new Set<string>();
    const todo = [sha];
    while (todo.length) {
      const s = todo.pop() as string;
      if (s === ancestor) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      const o = this.get(s);
      if (o?.type === "commit") todo.push(...o.parents);
    }
    return false;
  }

  /** Follow annotated tags to the object they point at. */
  peel(sha: string): GitObject | undefined {
    let o = this.get(sha);
    for (let i = 0; o?.type === "tag" && i < 10; i++) o = this.get(o.object.sha);
    return o;
  }
}
