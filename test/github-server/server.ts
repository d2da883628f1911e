import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Fault, FaultBook, type FaultRule, faultReply } from "./faults";
import { ApiError, errorBody, type Reply } from "./http";
import { matchRoute, typePathParams, typeQuery, validateBody } from "./openapi";
import { defaultHandlers } from "./routes";
import type { Handler, RouteContext } from "./routes/context";
import { ServerState } from "./seed";
import { type Identity, TokenRegistry, tokenFrom } from "./tokens";

export interface GitHubServerOptions {
  /** Where `html_url`s point (default https://github.com). */
  webUrl?: string;
  /** The clock for timestamps (default: the real one). */
  now?: () => Date;
  /** Answer POST /graphql; without it GraphQL answers 501. */
  graphql?: (req: { query: string; variables: unknown; identity: Identity | undefined }) => unknown;
}

export interface RecordedCall {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The OpenAPI route template it matched, or null (unknown route, GraphQL). */
  route: string | null;
  operationId: string | null;
  query: Record<string, string>;
  /** Request headers, lower-case; `authorization` keeps its scheme but not the token. */
  headers: Record<string, string>;
  /** The login of the token's identity, or null when anonymous or unknown. */
  login: string | null;
  /** Parsed JSON body (or the raw text when it is not JSON; undefined when empty). */
  body: unknown;
  status: number;
  response: unknown;
}

export interface GitHubTestServer {
  /** Base URL for GITHUB_API_URL / Octokit's baseUrl, e.g. http://127.0.0.1:43121. */
  url: string;
  state: ServerState;
  /** Every request, in arrival order of completion. */
  calls: RecordedCall[];
  tokens: TokenRegistry;
  /** Inject a fault; returns a handle that counts hits and can remove it. */
  fault(rule: FaultRule): Fault;
  clearFaults(): void;
  /** Calls that matched a method and route template. */
  callsTo(method: string, route: string): RecordedCall[];
  /** Add or replace the handler of an OpenAPI operationId (e.g. "repos/get-content"). */
  handle(operationId: string, handler: Handler): void;
  close(): Promise<void>;
}

const JSON_HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "x-github-media-type": "github.v3; format=json",
  "x-github-api-version-selected": "2022-11-28",
};

const REST_DOCS = "https://docs.github.com/rest";

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function redactHeaders(h: IncomingMessage["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(", ") : v;
    out[k] = k === "authorization" ? `${value.split(/\s+/)[0] ?? ""} ***` : value;
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubTestServer> {
  const state = new ServerState({
    ...(options.webUrl ? { webUrl: options.webUrl } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const tokens = new TokenRegistry();
  const faults = new FaultBook();
  const handlers = new Map<string, Handler>(Object.entries(defaultHandlers()));
  const calls: RecordedCall[] = [];
  const usage = new Map<Identity, { used: number; reset: number }>();

  function rateHeaders(identity: Identity | undefined): {
    headers: Record<string, string>;
    exceeded: boolean;
  } {
    const limit = identity?.rateLimit ?? 60;
    const now = Math.floor(Date.now() / 1000);
    let entry = identity ? usage.get(identity) : undefined;
    if (!entry || entry.reset <= now) {
      entry = { used: 0, reset: now + 3600 };
      if (identity) usage.set(identity, entry);
    }
    entry.used++;
    const remaining = Math.max(0, limit - entry.used);
    return {
      exceeded: entry.used > limit,
      headers: {
        "x-ratelimit-limit": String(limit),
        "x-ratelimit-remaining": String(remaining),
        "x-ratelimit-reset": String(entry.reset),
        "x-ratelimit-used": String(Math.min(entry.used, limit)),
        "x-ratelimit-resource": "core",
      },
    };
  }

  async function dispatch(req: IncomingMessage, url: URL, raw: string, call: RecordedCall): Promise<Reply> {
    const method = (req.method ?? "GET").toUpperCase();
    let body: unknown;
    let bodyOk = true;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
        bodyOk = false;
      }
    }
    call.body = body;
    const token = tokenFrom(req.headers.authorization);
    const identity = token ? tokens.get(token) : undefined;
    call.login = identity?.login ?? null;

    if (url.pathname === "/graphql" && method === "POST") {
      if (!options.graphql) {
        return {
          status: 501,
          body: errorBody(
            501,
            "mlci test server: GraphQL is not implemented; pass `graphql` to startGitHubServer",
            REST_DOCS,
          ),
        };
      }
      const q = (body ?? {}) as { query?: string; variables?: unknown };
      return {
        status: 200,
        body: options.graphql({ query: q.query ?? "", variables: q.variables, identity }),
      };
    }

    const match = matchRoute(method, url.pathname);
    if (!match) return { status: 404, body: errorBody(404, "Not Found", REST_DOCS) };
    const { op } = match;
    call.route = op.route;
    call.operationId = op.operationId;

    let after502 = false;
    for (const effect of faults.take(method, op.route)) {
      if (effect.kind === "delay") await sleep(effect.ms);
      else if (effect.kind === "apply-then-502") after502 = true;
      else {
        const reply = faultReply(effect, op.docUrl);
        if (reply) return reply;
      }
    }

    if (req.headers.authorization && !identity)
      return { status: 401, body: errorBody(401, "Bad credentials", REST_DOCS) };
    const rate = rateHeaders(identity);
    if (rate.exceeded) {
      return {
        status: 403,
        headers: rate.headers,
        body: errorBody(403, `API rate limit exceeded for ${identity?.login ?? "you"}.`, op.docUrl),
      };
    }
    const reply = await handleOperation(method, url, match, body, bodyOk, identity);
    reply.headers = { ...rate.headers, ...reply.headers };
    if (after502 && reply.status < 400)
      return { status: 502, body: errorBody(502, "Server Error", op.docUrl) };
    return reply;
  }

  async function handleOperation(
    method: string,
    url: URL,
    match: NonNullable<ReturnType<typeof matchRoute>>,
    body: unknown,
    bodyOk: boolean,
    identity: Identity | undefined,
  ): Promise<Reply> {
    const { op } = match;
    try {
      const params = typePathParams(match);
      if (!params) throw new ApiError(404, "Not Found");
      if (!bodyOk) throw new ApiError(400, "Problems parsing JSON");
      const isWrite = method !== "GET" && method !== "HEAD";
      if (isWrite && params.owner !== undefined && params.repo !== undefined) {
        const repo = state.findRepo(String(params.owner), String(params.repo));
        if (!repo) throw new ApiError(404, "Not Found");
        if (!identity) throw new ApiError(401, "Requires authentication");
        // A fork PR's GITHUB_TOKEN may read but not write.
        if (identity.readOnly) throw new ApiError(403, "Resource not accessible by integration");
      }
      const invalid = validateBody(op, body);
      if (invalid) throw new ApiError(422, `Invalid request.\n\n${invalid}`);
      const handler = handlers.get(op.operationId);
      if (!handler) {
        throw new ApiError(
          501,
          `mlci test server: ${op.operationId} (${op.method} ${op.route}) is not implemented; add it under test/github-server/routes or call server.handle()`,
        );
      }
      const ctx: RouteContext = {
        state,
        op,
        params,
        query: typeQuery(op, url.searchParams),
        body: (body ?? {}) as RouteContext["body"],
        identity,
        url,
      };
      return handler(ctx);
    } catch (err) {
      if (err instanceof ApiError) {
        return {
          status: err.status,
          headers: err.headers,
          body: errorBody(err.status, err.message, op.docUrl, err.errors),
        };
      }
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      return { status: 500, body: errorBody(500, `mlci test server bug: ${message}`, op.docUrl) };
    }
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", base);
    const call: RecordedCall = {
      method: (req.method ?? "GET").toUpperCase(),
      path: url.pathname,
      route: null,
      operationId: null,
      query: Object.fromEntries(url.searchParams),
      headers: redactHeaders(req.headers),
      login: null,
      body: undefined,
      status: 0,
      response: undefined,
    };
    const raw = await readBody(req);
    const reply = await dispatch(req, url, raw, call);
    call.status = reply.status;
    call.response = reply.body;
    calls.push(call);
    const headers: Record<string, string> = {
      ...(reply.status === 204 ? {} : JSON_HEADERS),
      "x-github-request-id": randomBytes(8).toString("hex").toUpperCase(),
      ...reply.headers,
    };
    res.writeHead(reply.status, headers);
    res.end(reply.status === 204 || reply.body === undefined ? undefined : JSON.stringify(reply.body));
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      res.writeHead(500, JSON_HEADERS);
      res.end(JSON.stringify({ message: `mlci test server bug: ${String(err)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.apiUrl = base;

  return {
    url: base,
    state,
    calls,
    tokens,
    fault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    callsTo: (method, route) => calls.filter((c) => c.method === method.toUpperCase() && c.route === route),
    handle: (operationId, handler) => {
      handlers.set(operationId, handler);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
