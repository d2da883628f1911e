/**
 * MD5 of a file as DVC 3 records it: `md5` hashes the raw bytes; the legacy `md5-dos2unix`
 * (entries that DVC 2 wrote, without `hash: md5`) reads 1 MiB chunks and, in each chunk whose
 * first 512 bytes look like text, replaces CRLF by LF before hashing (dvc_data's
 * `Dos2UnixHashStreamFile`). A CRLF split across two chunks is left alone, as in DVC.
 */
import { createHash } from "node:crypto";
import { type FileHandle, open } from "node:fs/promises";

const LEGACY_CHUNK = 1 << 20;
const TEXT_PROBE = 512;
/** 1 MiB reads hash as fast as larger ones (they stay in CPU caches); two buffers let the next read overlap hashing. */
const FAST_CHUNK = 1 << 20;

const TEXT_BYTES = (() => {
  const t = new Uint8Array(256);
  for (let b = 32; b < 127; b++) t[b] = 1;
  for (const c of "\n\r\t\f\b") t[c.charCodeAt(0)] = 1;
  return t;
})();

/** dvc_data's `istextblock`: no NUL byte and at most 30% of bytes outside printable ASCII and \n\r\t\f\b. */
export function isTextBlock(block: Uint8Array): boolean {
  if (block.length === 0) return true;
  let nontext = 0;
  for (const b of block) {
    if (b === 0) return false;
    if (!TEXT_BYTES[b]) nontext++;
  }
  return nontext / block.length <= 0.3;
}

/** Replace every CRLF in the buffer by LF. */
export function dos2unix(data: Buffer): Buffer {
  let idx = data.indexOf("\r\n");
  if (idx < 0) return data;
  const parts: Buffer[] = [];
  let start = 0;
  while (idx >= 0) {
    parts.push(data.subarray(start, idx));
    start = idx + 1; // keep the \n
    idx = data.indexOf("\r\n", start);
  }
  parts.push(data.subarray(start));
  return Buffer.concat(parts);
}

async function readFull(fh: FileHandle, buf: Buffer): Promise<number> {
  let filled = 0;
  while (filled < buf.length) {
    const { bytesRead } = await fh.read(buf, filled, buf.length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

async function md5Raw(fh: FileHandle): Promise<string> {
  const hash = createHash("md5");
  const bufs = [Buffer.allocUnsafe(FAST_CHUNK), Buffer.allocUnsafe(FAST_CHUNK)];
  let turn = 0;
  let pending = fh.read(bufs[0] as Buffer, 0, FAST_CHUNK, null);
  for (;;) {
    const { bytesRead, buffer } = await pending;
    if (bytesRead === 0) break;
    turn ^= 1;
    pending = fh.read(bufs[turn] as Buffer, 0, FAST_CHUNK, null);
    hash.update(buffer.subarray(0, bytesRead));
  }
  return hash.digest("hex");
}

async function md5Dos2Unix(fh: FileHandle): Promise<string> {
  const hash = createHash("md5");
  const buf = Buffer.allocUnsafe(LEGACY_CHUNK);
  for (;;) {
    const n = await readFull(fh, buf);
    if (n === 0) break;
    const chunk = buf.subarray(0, n);
    hash.update(isTextBlock(chunk.subarray(0, TEXT_PROBE)) ? dos2unix(chunk) : chunk);
    if (n < LEGACY_CHUNK) break;
  }
  return hash.digest("hex");
}

/** MD5 of a file's content; `legacy` selects DVC 2's `md5-dos2unix`. */
export async function md5File(path: string, legacy = false): Promise<string> {
  const fh = await open(path, "r");
  try {
    return legacy ? await md5Dos2Unix(fh) : await md5Raw(fh);
  } finally {
    await fh.close();
  }
}

export function md5Bytes(data: string | Uint8Array): string {
  return createHash("md5").update(data).digest("hex");
}
