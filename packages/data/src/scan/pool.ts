import { Worker } from "node:worker_threads";
import { MlciError } from "@mlci/common";
import type { UnitResult, UnitTask } from "./unit";

/** Messages between the pool and `worker-entry`. */
export type ToWorker = { kind: "task"; id: number; task: UnitTask };
export type FromWorker =
  | { kind: "progress"; id: number; bytes: number; rows: number }
  | { kind: "done"; id: number; result: UnitResult }
  | { kind: "error"; id: number; message: string; code?: string; file?: string; line?: number };

interface Pending {
  resolve: (r: UnitResult) => void;
  reject: (e: unknown) => void;
  onProgress: ((bytes: number, rows: number) => void) | undefined;
}

/**
 * A fixed set of worker threads running `runUnit` (the script at `url` is the bundled
 * `worker-entry`). Tasks queue and go to the first idle worker.
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{ msg: ToWorker; pending: Pending }> = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failed: unknown = null;

  constructor(url: URL | string, size: number) {
    for (let i = 0; i < size; i++) {
      // A small young generation keeps each worker near 40 MB: the hot path allocates little.
      const w = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
      w.on("message", (m: FromWorker) => this.onMessage(w, m));
      w.on("error", (e) => this.fail(e));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  run(task: UnitTask, onProgress?: (bytes: number, rows: number) => void): Promise<UnitResult> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      const msg: ToWorker = { kind: "task", id: this.nextId++, task };
      this.queue.push({ msg, pending: { resolve, reject, onProgress } });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop()!;
      const { msg, pending } = this.queue.shift()!;
      this.pending.set(msg.id, pending);
      w.postMessage(msg);
    }
  }

  private onMessage(w: Worker, m: FromWorker): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.kind === "progress") {
      p.onProgress?.(m.bytes, m.rows);
      return;
    }
    this.pending.delete(m.id);
    this.idle.push(w);
    if (m.kind === "done") p.resolve(m.result);
    else if (m.code) {
      const location =
        m.file === undefined ? {} : { file: m.file, ...(m.line === undefined ? {} : { line: m.line }) };
      p.reject(new MlciError(m.code as MlciError["code"], m.message, { location }));
    } else p.reject(new Error(m.message));
    this.dispatch();
  }

  private fail(e: unknown): void {
    this.failed = e;
    for (const p of this.pending.values()) p.reject(e);
    for (const q of this.queue) q.pending.reject(e);
    this.pending.clear();
    this.queue.length = 0;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
