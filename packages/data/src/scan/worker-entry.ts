/**
 * Worker thread entry for parallel scans. Bundle this file on its own (e.g. esbuild
 * `--bundle --format=esm --platform=node`) next to the action or CLI bundle and pass its URL
 * as `workerUrl`. It only listens for tasks; importing it on the main thread does nothing.
 */
import { parentPort } from "node:worker_threads";
import { MlciError } from "@mlci/common";
import type { FromWorker, ToWorker } from "./pool";
import { runUnit } from "./unit";

const port = parentPort;
if (port) {
  port.on("message", (msg: ToWorker) => {
    let pendingBytes = 0;
    let pendingRows = 0;
    const post = (): void => {
      port.postMessage({
        kind: "progress",
        id: msg.id,
        bytes: pendingBytes,
        rows: pendingRows,
      } satisfies FromWorker);
      pendingBytes = 0;
      pendingRows = 0;
    };
    const onProgress = (bytes: number, rows: number): void => {
      pendingBytes += bytes;
      pendingRows += rows;
      if (pendingBytes >= 8 * 1024 * 1024) post();
    };
    runUnit(msg.task, onProgress).then(
      (result) => {
        if (pendingBytes > 0 || pendingRows > 0) post();
        port.postMessage({ kind: "done", id: msg.id, result } satisfies FromWorker);
      },
      (err: unknown) => {
        const reply: FromWorker =
          err instanceof MlciError
            ? {
                kind: "error",
                id: msg.id,
                message: err.message,
                code: err.code,
                ...(err.location?.file === undefined ? {} : { file: err.location.file }),
                ...(err.location?.line === undefined ? {} : { line: err.location.line }),
              }
            : {
                kind: "error",
                id: msg.id,
                message: err instanceof Error ? (err.stack ?? err.message) : String(err),
              };
        port.postMessage(reply);
      },
    );
  });
}
