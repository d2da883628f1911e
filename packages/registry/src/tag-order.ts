import type { TagInfo } from "@mlci/git";
import { isTagError, looksLikeRegistryTag, type ParsedTag, parseTag, type TagAction } from "./tag-grammar";

/** An annotated registry tag, parsed, with the facts the state needs. */
export interface RegistryTag {
  name: string;
  parsed: ParsedTag;
  commit: string;
  /** Tagger date, seconds since the epoch. */
  createdAt: number;
  author: string;
  authorEmail: string;
  message: string;
}

/** GTO's event priority (gto/base.py): the order of kinds when times are equal. */
const PRIORITY: Record<TagAction, number> = {
  deprecate: 2,
  register: 3,
  deregister: 4,
  assign: 5,
  unassign: 6,
};

/** What event order looks at: the tag name, its tagger date, its counter and its kind. */
export interface EventOrderKey {
  tag: string;
  createdAt: number;
  counter?: number;
  action: TagAction;
}

/**
 * Event order: tagger date, then (ties) the counter N, a tag without a counter first, then GTO's
 * priority (register before assign), then the tag name so the order never depends on how git
 * listed the tags.
 */
export function compareEventOrder(a: EventOrderKey, b: EventOrderKey): number {
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  const ca = a.counter ?? -1;
  const cb = b.counter ?? -1;
  if (ca !== cb) return ca - cb;
  const pa = PRIORITY[a.action];
  const pb = PRIORITY[b.action];
  if (pa !== pb) return pa - pb;
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
}

function orderKey(t: RegistryTag): EventOrderKey {
  const key: EventOrderKey = { tag: t.name, createdAt: t.createdAt, action: t.parsed.action };
  if (t.parsed.counter !== undefined) key.counter = t.parsed.counter;
  return key;
}

/**
 * Keeps the annotated tags that parse as registry tags and orders them as events. Lightweight
 * tags, tags without a tagger date and registry-looking tags that do not parse become warnings;
 * tags that do not look like registry tags at all (`v1.0`, `release-3`) are skipped silently.
 */
export function orderRegistryTags(tags: readonly TagInfo[]): { tags: RegistryTag[]; warnings: string[] } {
  const warnings: string[] = [];
  const out: RegistryTag[] = [];
  for (const t of tags) {
    if (!looksLikeRegistryTag(t.name)) continue;
    const parsed = parseTag(t.name);
    if (isTagError(parsed)) {
      const q = `"${t.name}"`;
      const reason = parsed.error.startsWith(q)
        ? parsed.error.slice(q.length).replace(/^:\s*/, "").trim()
        : parsed.error;
      warnings.push(`tag ${q} ignored: ${reason}`);
      continue;
    }
    if (t.objectType !== "tag") {
      warnings.push(`tag "${t.name}" ignored: it is a lightweight tag, and only annotated tags count`);
      continue;
    }
    if (t.taggerDate === undefined || !t.commit) {
      warnings.push(`tag "${t.name}" ignored: it has no tagger date or does not point at a commit`);
      continue;
    }
    out.push({
      name: t.name,
      parsed,
      commit: t.commit,
      createdAt: t.taggerDate,
      author: t.taggerName ?? "",
      authorEmail: t.taggerEmail ?? "",
      message: (t.message ?? "").trim(),
    });
  }
  out.sort((a, b) => compareEventOrder(orderKey(a), orderKey(b)));
  warnings.push(...tieWarnings(out));
  return { tags: out, warnings };
}

/** One warning per artifact and second that holds several events: their order was guessed. */
function tieWarnings(sorted: readonly RegistryTag[]): string[] {
  const groups = new Map<string, RegistryTag[]>();
  for (const t of sorted) {
    const key = `${t.createdAt}\0${t.parsed.artifact}`;
    const g = groups.get(key);
    if (g) g.push(t);
    else groups.set(key, [t]);
  }
  const warnings: string[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const first = g[0]!;
    const when = new Date(first.createdAt * 1000).toISOString();
    warnings.push(
      `${g.length} tags of artifact "${first.parsed.artifact}" share the tagger date ${when} ` +
        `(${g.map((t) => t.name).join(", ")}); ordered by counter, then register before assign`,
    );
  }
  return warnings;
}
