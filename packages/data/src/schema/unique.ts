import { mkdtempSync, writeFileSync } from "node:fs";
import { type FileHandle, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Exact uniqueness over any number of rows in bounded memory. Each value becomes a 64-bit
 * fingerprint (the package's value hash) stored with where it was seen: 16 bytes per row.
 * Up to `memoryEntries` rows (default 524,288: 8 MiB, plus 8 MiB while sorting) stay in
 * memory; past that the buffer is radix-sorted and spilled to a temporary file as a sorted run,
 * and the runs are merged at the end. Two different values share a fingerprint with
 * probability 2^-64, so over n rows the chance of any false duplicate is at most n²/2^65
 * (2.7e-6 for 10 million rows, 2.7e-4 for 100 million).
 */
export interface SpillRun {
  /** A file of sorted 16-byte records, or the records themselves. */
  path?: string;
  records?: Uint32Array;
  count: number;
  /** File names the records' file indexes refer to. */
  files: string[];
  /** Added to each record's line (a byte range's relative lines). */
  lineShift: number;
}

export interface DuplicateReport {
  /** Rows whose value appeared on an earlier row. */
  duplicates: number;
  /** Up to `limit` of them, first in data-set order, with the row that had the value first. */
  examples: Array<{ file: string; line: number; firstFile: string; firstLine: number }>;
}

export class UniqueTracker {
  private readonly capacity: number;
  private hi: Uint32Array;
  private lo: Uint32Array;
  private fileIdx: Uint32Array;
  private line: Uint32Array;
  private size = 0;
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  private readonly spilled: SpillRun[] = [];
  private spillDir: string | null = null;
  private readonly tempRoot: string;

  constructor(options: { memoryEntries?: number; tempDir?: string } = {}) {
    this.capacity = options.memoryEntries ?? 1 << 19;
    this.tempRoot = options.tempDir ?? tmpdir();
    this.hi = new Uint32Array(Math.min(this.capacity, 4096));
    this.lo = new Uint32Array(this.hi.length);
    this.fileIdx = new Uint32Array(this.hi.length);
    this.line = new Uint32Array(this.hi.length);
  }

  /** Records a fingerprint; call `flushIfFull` after a batch (it may write to disk). */
  add(hash: Uint32Array, file: string, line: number): void {
    if (this.size === this.hi.length) this.grow();
    let f = this.fileIndex.get(file);
    if (f === undefined) {
      f = this.files.length;
      this.files.push(file);
      this.fileIndex.set(file, f);
    }
    const i = this.size++;
    this.hi[i] = hash[0]!;
    this.lo[i] = hash[1]!;
    this.fileIdx[i] = f;
    this.line[i] = line;
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  private grow(): void {
    const n = Math.min(this.capacity, this.hi.length * 2);
    if (n === this.hi.length) throw new Error("UniqueTracker is full: call spill() first");
    const grow = (a: Uint32Array): Uint32Array => {
      const b = new Uint32Array(n);
      b.set(a);
      return b;
    };
    this.hi = grow(this.hi);
    this.lo = grow(this.lo);
    this.fileIdx = grow(this.fileIdx);
    this.line = grow(this.line);
  }

  /**
   * Sorts the buffer and writes it to a temporary file as a run. Synchronous: it runs between
   * rows, from a row callback (a few MiB, rarely).
   */
  spill(): void {
    if (this.size === 0) return;
    const records = this.sortedRecords();
    if (!this.spillDir) this.spillDir = mkdtempSync(join(this.tempRoot, "mlci-unique-"));
    const path = join(this.spillDir, `run-${this.spilled.length}.bin`);
    writeFileSync(path, new Uint8Array(records.buffer, records.byteOffset, records.byteLength));
    this.spilled.push({ path, count: this.size, files: [...this.files], lineShift: 0 });
    this.size = 0;
  }

  /** Every run so far: spilled ones and the in-memory buffer (sorted). */
  runs(): SpillRun[] {
    const out = [...this.spilled];
    if (this.size > 0)
      out.push({ records: this.sortedRecords(), count: this.size, files: [...this.files], lineShift: 0 });
    return out;
  }

  /** Spills the buffer too, so the runs can travel to another thread. */
  runsOnDisk(): SpillRun[] {
    this.spill();
    return [...this.spilled];
  }

  /** The temporary directory to remove once the runs are merged, if any was made. */
  get directory(): string | null {
    return this.spillDir;
  }

  /**
   * Interleaved records [hi, lo, file, line] sorted by (hi, lo). Fingerprints are uniform, so
   * one counting pass on the top 16 bits spreads them over 65,536 buckets of a few records
   * each, which an insertion sort finishes.
   */
  private sortedRecords(): Uint32Array {
    const n = this.size;
    const { hi, lo, fileIdx, line } = this;
    const starts = new Uint32Array(65537);
    for (let i = 0; i < n; i++) starts[(hi[i]! >>> 16) + 1]!++;
    for (let b = 1; b <= 65536; b++) starts[b]! += starts[b - 1]!;
    const next = starts.slice(0, 65536);
    const out = new Uint32Array(n * 4);
    for (let i = 0; i < n; i++) {
      const o = 4 * next[hi[i]! >>> 16]!++;
      out[o] = hi[i]!;
      out[o + 1] = lo[i]!;
      out[o + 2] = fileIdx[i]!;
      out[o + 3] = line[i]!;
    }
    for (let b = 0; b < 65536; b++) {
      const from = starts[b]!;
      const to = starts[b + 1]!;
      if (to - from > 64) {
        // Many records in one bucket: repeated values (a column that is not unique after all).
        sortRange(out, from, to);
        continue;
      }
      for (let k = from + 1; k < to; k++) {
        const h = out[4 * k]!;
        const l = out[4 * k + 1]!;
        const f = out[4 * k + 2]!;
        const ln = out[4 * k + 3]!;
        let m = k - 1;
        while (m >= from && (out[4 * m]! > h || (out[4 * m] === h && out[4 * m + 1]! > l))) {
          out.copyWithin(4 * (m + 1), 4 * m, 4 * m + 4);
          m--;
        }
        const o = 4 * (m + 1);
        out[o] = h;
        out[o + 1] = l;
        out[o + 2] = f;
        out[o + 3] = ln;
      }
    }
    return out;
  }
}

/** Sorts records [from, to) of an interleaved array by (hi, lo), in O(n log n). */
function sortRange(out: Uint32Array, from: number, to: number): void {
  const idx = Array.from({ length: to - from }, (_, i) => from + i);
  idx.sort((a, b) => out[4 * a]! - out[4 * b]! || out[4 * a + 1]! - out[4 * b + 1]! || a - b);
  const copy = out.slice(4 * from, 4 * to);
  for (let i = 0; i < idx.length; i++)
    out.set(copy.subarray(4 * (idx[i]! - from), 4 * (idx[i]! - from) + 4), 4 * (from + i));
}

/** Reads a run's records in blocks. */
class RunCursor {
  private block: Uint32Array = new Uint32Array(0);
  private pos = 0;
  private read = 0;
  hi = 0;
  lo = 0;
  file = 0;
  line = 0;
  done = false;

  constructor(
    readonly run: SpillRun,
    private readonly fh: FileHandle | null,
  ) {}

  async next(): Promise<void> {
    if (this.pos >= this.block.length) {
      if (this.read >= this.run.count) {
        this.done = true;
        return;
      }
      if (this.run.records) {
        this.block = this.run.records;
        this.read = this.run.count;
      } else {
        const n = Math.min(4096, this.run.count - this.read);
        const buf = Buffer.alloc(n * 16);
        await this.fh!.read(buf, 0, buf.length, this.read * 16);
        this.block = new Uint32Array(buf.buffer, buf.byteOffset, n * 4);
        this.read += n;
      }
      this.pos = 0;
    }
    const b = this.block;
    this.hi = b[this.pos]!;
    this.lo = b[this.pos + 1]!;
    this.file = b[this.pos + 2]!;
    this.line = b[this.pos + 3]! + this.run.lineShift;
    this.pos += 4;
  }
}

/**
 * Merges sorted runs and reports the rows whose fingerprint was seen before. `fileOrder`
 * ranks file names in data-set order, which decides which row of a group came first.
 */
export async function findDuplicates(
  runs: readonly SpillRun[],
  fileOrder: ReadonlyMap<string, number>,
  limit = 20,
): Promise<DuplicateReport> {
  const cursors: RunCursor[] = [];
  const handles: FileHandle[] = [];
  try {
    for (const run of runs) {
      const fh = run.path ? await open(run.path, "r") : null;
      if (fh) handles.push(fh);
      const c = new RunCursor(run, fh);
      await c.next();
      if (!c.done) cursors.push(c);
    }
    let duplicates = 0;
    let examples: DuplicateReport["examples"] = [];
    const rank = (c: { run: SpillRun; file: number }): number => fileOrder.get(c.run.files[c.file]!) ?? 0;
    while (cursors.length > 0) {
      // The smallest key among the cursors (few runs: a linear scan beats a heap here).
      let best = 0;
      for (let i = 1; i < cursors.length; i++) {
        const a = cursors[i]!;
        const b = cursors[best]!;
        if (a.hi < b.hi || (a.hi === b.hi && a.lo < b.lo)) best = i;
      }
      const hi = cursors[best]!.hi;
      const lo = cursors[best]!.lo;
      const group: Array<{ file: string; line: number; rank: number }> = [];
      for (let i = 0; i < cursors.length; i++) {
        const c = cursors[i]!;
        while (!c.done && c.hi === hi && c.lo === lo) {
          group.push({ file: c.run.files[c.file]!, line: c.line, rank: rank(c) });
          await c.next();
        }
      }
      for (let i = cursors.length - 1; i >= 0; i--) if (cursors[i]!.done) cursors.splice(i, 1);
      if (group.length < 2) continue;
      duplicates += group.length - 1;
      group.sort((a, b) => a.rank - b.rank || a.line - b.line);
      const first = group[0]!;
      for (const g of group.slice(1, limit + 1)) {
        examples.push({ file: g.file, line: g.line, firstFile: first.file, firstLine: first.line });
      }
      if (examples.length > 4 * limit) examples = trim(examples, fileOrder, limit);
    }
    return { duplicates, examples: trim(examples, fileOrder, limit) };
  } finally {
    for (const fh of handles) await fh.close();
  }
}

function trim(
  examples: DuplicateReport["examples"],
  fileOrder: ReadonlyMap<string, number>,
  limit: number,
): DuplicateReport["examples"] {
  return examples
    .sort((a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.line - b.line)
    .slice(0, limit);
}

/** Removes spill directories. */
export async function removeSpillDirs(dirs: Iterable<string | null>): Promise<void> {
  for (const d of dirs) if (d) await rm(d, { recursive: true, force: true });
}
