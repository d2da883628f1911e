/**
 * Cut `text` so that, with `note` appended, it fits in `limit` UTF-8 bytes. The cut never splits
 * a character and prefers the end of a line, so a markdown table loses whole rows.
 */
export function truncateUtf8(
  text: string,
  limit: number,
  note: string,
): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text, "utf8") <= limit) return { text, truncated: false };
  const budget = limit - Buffer.byteLength(note, "utf8");
  if (budget <= 0) return { text: Buffer.from(note).subarray(0, limit).toString("utf8"), truncated: true };
  // Decoding a byte prefix may end in a broken character (U+FFFD); drop it.
  let head = Buffer.from(text, "utf8").subarray(0, budget).toString("utf8");
  if (head.endsWith("\uFFFD") && !text.startsWith(head)) head = head.slice(0, -1);
  while (Buffer.byteLength(head, "utf8") > budget) head = head.slice(0, -1);
  const newline = head.lastIndexOf("\n");
  // Only back up to a line end when that loses little (a tenth of the text at most).
  if (newline > head.length * 0.9) head = head.slice(0, newline);
  return { text: head + note, truncated: true };
}
