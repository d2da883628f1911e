import { isTagError, parseTag } from "./tag-grammar";

/**
 * The counter for a new `#N` tag of `artifact`: one more than the highest counter on any tag of
 * that artifact, whatever its kind, annotated or not (GTO's `name_tag` reads every tag name).
 * Takes tag names, so it works on local tags and on refs listed through the GitHub API alike.
 */
export function nextCounter(tagNames: Iterable<string>, artifact: string): number {
  let highest = 0;
  for (const name of tagNames) {
    const parsed = parseTag(name);
    if (isTagError(parsed) || parsed.artifact !== artifact || parsed.counter === undefined) continue;
    if (parsed.counter > highest) highest = parsed.counter;
  }
  return highest + 1;
}
