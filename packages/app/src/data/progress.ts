/**
 * A one-line progress bar for terminals: bytes read of the total, rows and rows per second.
 * `progressLine` is pure; `progressBar` redraws it in place (carriage return) at most every
 * `intervalMs` and clears it at the end, so nothing of it stays in the output.
 */

export interface ScanProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];

export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${UNITS[u]}`;
}

function formatRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} k`;
  return `${Math.round(n)}`;
}

export function progressLine(p: ScanProgress, elapsedMs: number, width = 24): string {
  // gzip input counts decompressed bytes, which pass the size on disk: hold at 99% until done.
  const share = p.totalBytes > 0 ? Math.min(0.99, p.bytes / p.totalBytes) : 0;
  const filled = Math.round(share * width);
  const bar = `${"=".repeat(filled)}${filled < width ? ">" : ""}${" ".repeat(Math.max(0, width - filled - 1))}`;
  const seconds = Math.max(elapsedMs / 1000, 1e-3);
  return `[${bar}] ${String(Math.floor(share * 100)).padStart(2)}% ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}, ${formatRate(p.rows)} rows, ${formatRate(p.rows / seconds)} rows/s`;
}

export interface ProgressBar {
  update(p: ScanProgress): void;
  /** Clears the line. */
  done(): void;
}

export function progressBar(write: (text: string) => void, intervalMs = 100, now = Date.now): ProgressBar {
  const start = now();
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const t = now();
      if (t - last < intervalMs) return;
      last = t;
      drawn = true;
      write(`\r${progressLine(p, t - start)}\u001b[K`);
    },
    done() {
      if (drawn) write("\r\u001b[K");
    },
  };
}
