import { describe, expect, it } from "vitest";
import { formatBytes, progressBar, progressLine } from "./progress";

describe("progress bar", () => {
  it("shows bytes of the total, rows and rows per second", () => {
    const line = progressLine({ bytes: 512e6, totalBytes: 1.024e9, rows: 3_500_000 }, 10_000, 10);
    expect(line).toBe("[=====>    ] 50% 512 MB of 1.0 GB, 3.50 M rows, 350 k rows/s");
    // gzip: decompressed bytes pass the size on disk; the bar holds below 100%.
    expect(progressLine({ bytes: 3e9, totalBytes: 1e9, rows: 10 }, 1000, 10)).toMatch(
      /^\[==========\] 99% 3\.0 GB of 1\.0 GB/,
    );
    expect(formatBytes(999)).toBe("999 B");
    expect(formatBytes(1_500_000)).toBe("1.5 MB");
  });

  it("redraws in place at most every interval and clears the line at the end", () => {
    let t = 0;
    const out: string[] = [];
    const bar = progressBar(
      (s) => out.push(s),
      100,
      () => t,
    );
    t = 150;
    bar.update({ bytes: 1, totalBytes: 10, rows: 1 });
    t = 200;
    bar.update({ bytes: 2, totalBytes: 10, rows: 2 }); // too soon
    t = 300;
    bar.update({ bytes: 5, totalBytes: 10, rows: 5 });
    bar.done();
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^\r\[.*\]\s+10% .*\u001b\[K$/);
    expect(out[2]).toBe("\r\u001b[K");
    const quiet: string[] = [];
    progressBar((s) => quiet.push(s)).done();
    expect(quiet).toEqual([]);
  });
});
