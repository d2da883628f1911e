// Loaded with `node --import` into a benchmarked process: at exit, writes the process's peak
// resident set size (getrusage's ru_maxrss, all threads: workers included) in bytes and its CPU
// time (user + system, all threads) in seconds to the file named by MLCI_BENCH_RSS_FILE, as JSON.
import { writeFileSync } from "node:fs";
import { isMainThread } from "node:worker_threads";

const file = process.env.MLCI_BENCH_RSS_FILE;
if (file && isMainThread) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ rss: u.maxRSS * 1024, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 }),
    );
  });
}
