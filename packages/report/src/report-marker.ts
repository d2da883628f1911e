/**
 * The hidden first line of every report. The github package finds our sticky comment again by
 * it, so untrusted text must never produce `<!--` (see escape.ts) and the id is restricted.
 */
const MAX_ID_LENGTH = 100;

/** `<!-- mlci:report:<id> -->`; characters outside `[A-Za-z0-9._-]` become `-`. */
export function reportMarker(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]/g, "-").slice(0, MAX_ID_LENGTH);
  return `<!-- mlci:report:${safe === "" ? "default" : safe} -->`;
}
