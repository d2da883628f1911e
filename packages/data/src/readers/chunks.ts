import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import type { DataSource } from "./sources";

export interface ChunkOptions {
  /** Byte offset to start at (plain files only). */
  start?: number;
  /** Bytes per read: 1 MiB by default. */
  chunkBytes?: number;
  /** Called with the number of file bytes (compressed bytes for gzip) consumed by each read. */
  onProgress?: (bytes: number) => void;
}

/**
 * The bytes of a file in chunks. Plain files are read with positioned reads into one reused
 * buffer (constant memory, no garbage per chunk): a chunk is valid until the next one is asked
 * for. Gzip files are inflated as a stream, on the calling thread.
 */
export async function* fileChunks(source: DataSource, options: ChunkOptions = {}): AsyncGenerator<Buffer> {
  const size = options.chunkBytes ?? 1024 * 1024;
  if (source.gzip) {
    if (options.start) throw new Error("gzip input cannot be read from an offset");
    const raw = createReadStream(source.absolutePath, { highWaterMark: size });
    if (options.onProgress) raw.on("data", (c) => options.onProgress?.((c as Buffer).length));
    const inflated = raw.pipe(createGunzip({ chunkSize: size }));
    raw.on("error", (e) => inflated.destroy(e));
    try {
      for await (const chunk of inflated) yield chunk as Buffer;
    } finally {
      raw.destroy();
      inflated.destroy();
    }
    return;
  }
  const fh = await open(source.absolutePath, "r");
  try {
    const buf = Buffer.allocUnsafe(size);
    let position = options.start ?? 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, size, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      options.onProgress?.(bytesRead);
      yield bytesRead === size ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
