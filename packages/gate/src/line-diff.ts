/**
 * A small unified diff of two texts, for showing a policy change in a report. Policy files are
 * short, so a plain longest-common-subsequence table is enough; past `maxCells` it gives up and
 * says so rather than spend time and memory on a file that is not a policy.
 */
export interface UnifiedDiffOptions {
  oldName: string;
  newName: string;
  context?: number;
  maxCells?: number;
}

type Op = { kind: " " | "-" | "+"; line: string; oldNo: number; newNo: number };

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function diffOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the LCS of a[i..] and b[j..], flattened.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => lcs[i * (m + 1) + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: " ", line: a[i] ?? "", oldNo: i++, newNo: j++ });
    } else if (i < n && (j >= m || at(i + 1, j) >= at(i, j + 1))) {
      // Removals before additions, as diff(1) prints them.
      ops.push({ kind: "-", line: a[i] ?? "", oldNo: i++, newNo: j });
    } else {
      ops.push({ kind: "+", line: b[j] ?? "", oldNo: i, newNo: j++ });
    }
  }
  return ops;
}

/** The unified diff (without a trailing newline); "" when the texts are equal. */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  if (oldText === newText) return "";
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const context = options.context ?? 3;
  const header = [`--- ${options.oldName}`, `+++ ${options.newName}`];
  if ((a.length + 1) * (b.length + 1) > (options.maxCells ?? 4_000_000)) {
    return [...header, `(too large to show: ${a.length} lines before, ${b.length} after)`].join("\n");
  }
  const ops = diffOps(a, b);
  const changed = ops.map((op, k) => (op.kind === " " ? -1 : k)).filter((k) => k >= 0);
  if (changed.length === 0) {
    // Only line endings differ.
    return [...header, "(only line endings or the final newline differ)"].join("\n");
  }
  const out = [...header];
  let k = 0;
  while (k < changed.length) {
    const first = changed[k] ?? 0;
    let last = first;
    while (k + 1 < changed.length && (changed[k + 1] ?? 0) - last <= 2 * context + 1)
      last = changed[++k] ?? last;
    k++;
    const start = Math.max(0, first - context);
    const end = Math.min(ops.length - 1, last + context);
    const hunk = ops.slice(start, end + 1);
    const oldCount = hunk.filter((o) => o.kind !== "+").length;
    const newCount = hunk.filter((o) => o.kind !== "-").length;
    const head = hunk[0];
    const oldStart = oldCount === 0 ? (head?.oldNo ?? 0) : (head?.oldNo ?? 0) + 1;
    const newStart = newCount === 0 ? (head?.newNo ?? 0) : (head?.newNo ?? 0) + 1;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
  }
  return out.join("\n");
}
