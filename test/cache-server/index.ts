import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for GitHub Actions' cache service (version 2, what `@actions/cache` uses when the
 * runner sets ACTIONS_CACHE_SERVICE_V2), on 127.0.0.1, for end-to-end tests of the real library:
 *
 * - Twirp JSON at `/twirp/github.actions.results.api.v1.CacheService/<Method>` with a bearer
 *   token (ACTIONS_RUNTIME_TOKEN): `CreateCacheEntry` (reserves key + version; entries are
 *   immutable, so a second reservation is a 409 `already_exists`), `FinalizeCacheEntryUpload`
 *   (checks the uploaded size), `GetCacheEntryDownloadURL` (the key exactly, else each restore key
 *   as a prefix, newest entry first; only entries of the same version, i.e. the same paths and
 *   compression);
 * - signed URLs in Azure Blob's IP-style form (`/<account>/<container>/<blob>?sig=...`): the
 *   single-shot `PUT` (`x-ms-blob-type: BlockBlob`) that the Azure SDK sends for archives up to
 *   128 MiB, and `GET` for downloads. Block uploads (larger archives) answer 501.
 *
 * Request fields are read in Twirp's proto names (`restore_keys`, `size_bytes`), as the client
 * sends them.
 */

export interface CacheEntry {
  id: number;
  key: string;
  version: string;
  /** The uploaded archive; undefined until the upload. */
  data?: Buffer;
  finalized: boolean;
  createdAt: number;
  sig: string;
}

export interface CacheServerCall {
  method: string;
  path: string;
  status: number;
  body?: unknown;
}

export interface CacheTestServer {
  /** Base URL for ACTIONS_RESULTS_URL, with the trailing slash the runner gives. */
  url: string;
  token: string;
  entries: CacheEntry[];
  calls: CacheServerCall[];
  /** The variables a runner sets so that `@actions/cache` finds this service. */
  env(): Record<string, string>;
  /** While set, CreateCacheEntry answers 409 `already_exists`, as when another job holds the key. */
  refuseReservations: boolean;
  close(): Promise<void>;
}

const SERVICE = "/twirp/github.actions.results.api.v1.CacheService/";
const BLOB = /^\/devstoreaccount1\/actions-cache\/(\d+)$/;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

interface Reply {
  status: number;
  body: unknown;
}

function sendJson(res: ServerResponse, { status, body }: Reply): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const ok = (body: unknown): Reply => ({ status: 200, body });

/** A Twirp error (`code`, `msg`), as the service answers failures. */
const twirpError = (status: number, code: string, msg: string): Reply => ({ status, body: { code, msg } });

/** An Azure Blob answer without a body. */
function blobReply(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}

export async function startCacheServer(): Promise<CacheTestServer> {
  const token = `ghs_cache_${randomBytes(12).toString("hex")}`;
  const entries: CacheEntry[] = [];
  const calls: CacheServerCall[] = [];
  let nextId = 1;
  let clock = 0;
  let base = "";

  const twirp = (method: string, body: Record<string, unknown>): Reply => {
    const key = typeof body.key === "string" ? body.key : "";
    const version = typeof body.version === "string" ? body.version : "";
    if (!key || !version) return twirpError(400, "invalid_argument", "key and version are required");
    switch (method) {
      case "CreateCacheEntry": {
        if (api.refuseReservations || entries.some((e) => e.key === key && e.version === version)) {
          return twirpError(
            409,
            "already_exists",
            "cache entry with the same key, version, and scope already exists",
          );
        }
        const entry: CacheEntry = {
          id: nextId++,
          key,
          version,
          finalized: false,
          createdAt: ++clock,
          sig: randomBytes(8).toString("hex"),
        };
        entries.push(entry);
        return ok({
          ok: true,
          signed_upload_url: `${base}devstoreaccount1/actions-cache/${entry.id}?sv=2024-11-04&sig=${entry.sig}`,
        });
      }
      case "FinalizeCacheEntryUpload": {
        const entry = entries.find((e) => e.key === key && e.version === version && !e.finalized);
        if (!entry?.data) return ok({ ok: false, message: `no upload for key ${key}` });
        if (String(entry.data.length) !== String(body.size_bytes)) {
          return ok({
            ok: false,
            message: `uploaded ${entry.data.length} bytes, finalize says ${String(body.size_bytes)}`,
          });
        }
        entry.finalized = true;
        return ok({ ok: true, entry_id: String(entry.id) });
      }
      case "GetCacheEntryDownloadURL": {
        const ready = entries
          .filter((e) => e.finalized && e.version === version)
          .sort((a, b) => b.createdAt - a.createdAt);
        const restoreKeys = Array.isArray(body.restore_keys) ? (body.restore_keys as unknown[]) : [];
        const hit =
          ready.find((e) => e.key === key) ??
          restoreKeys
            .filter((k): k is string => typeof k === "string")
            .map((k) => ready.find((e) => e.key.startsWith(k)))
            .find((e) => e !== undefined);
        if (!hit) return ok({ ok: false, signed_download_url: "", matched_key: "" });
        return ok({
          ok: true,
          signed_download_url: `${base}devstoreaccount1/actions-cache/${hit.id}?sv=2024-11-04&sig=${hit.sig}`,
          matched_key: hit.key,
        });
      }
      default:
        return twirpError(404, "bad_route", `no method ${method}`);
    }
  };

  const blob = (req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void => {
    const m = BLOB.exec(url.pathname);
    const entry = m ? entries.find((e) => e.id === Number(m[1])) : undefined;
    if (!entry || url.searchParams.get("sig") !== entry.sig) {
      blobReply(res, 403, { "x-ms-error-code": "AuthenticationFailed" });
    } else if (req.method === "PUT" && url.searchParams.has("comp")) {
      blobReply(res, 501, { "x-ms-error-code": "NotImplemented" });
    } else if (req.method === "PUT") {
      if (req.headers["x-ms-blob-type"] !== "BlockBlob" || entry.finalized || entry.data) {
        blobReply(res, 409, { "x-ms-error-code": "InvalidBlobType" });
        return;
      }
      entry.data = body;
      blobReply(res, 201, {
        etag: `"0x${createHash("md5").update(body).digest("hex").slice(0, 16)}"`,
        "last-modified": new Date().toUTCString(),
        "content-md5": createHash("md5").update(body).digest("base64"),
        "x-ms-request-id": randomBytes(8).toString("hex"),
        "x-ms-version": "2024-11-04",
        "x-ms-request-server-encrypted": "true",
      });
    } else if (req.method === "GET" && entry.finalized && entry.data) {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": entry.data.length });
      res.end(entry.data);
    } else {
      blobReply(res, 404, { "x-ms-error-code": "BlobNotFound" });
    }
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const body = await readBody(req);
      let parsed: unknown;
      if (url.pathname.startsWith(SERVICE)) {
        try {
          parsed = JSON.parse(body.toString("utf8") || "{}");
        } catch {
          parsed = undefined;
        }
      }
      res.on("finish", () =>
        calls.push({
          method: req.method ?? "",
          path: url.pathname,
          status: res.statusCode,
          ...(parsed === undefined ? {} : { body: parsed }),
        }),
      );
      if (!url.pathname.startsWith(SERVICE)) {
        blob(req, res, url, body);
        return;
      }
      let reply: Reply;
      if (req.headers.authorization !== `Bearer ${token}`) {
        reply = twirpError(401, "unauthenticated", "invalid or missing runtime token");
      } else if (req.method !== "POST" || parsed === null || typeof parsed !== "object") {
        reply = twirpError(400, "malformed", "expected a JSON object in a POST");
      } else {
        reply = twirp(url.pathname.slice(SERVICE.length), parsed as Record<string, unknown>);
      }
      sendJson(res, reply);
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const api: CacheTestServer = {
    url: base,
    token,
    entries,
    calls,
    refuseReservations: false,
    env: () => ({
      ACTIONS_CACHE_SERVICE_V2: "true",
      ACTIONS_RESULTS_URL: base,
      ACTIONS_RUNTIME_TOKEN: token,
    }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return api;
}
