import type { GitHubTestServer } from "./server";

/** A bare HTTP client for the server's own tests: no retries, nothing hidden. */

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers freely.
  json: any;
}

export async function call(
  server: GitHubTestServer,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; rawBody?: string } = {},
): Promise<ApiAnswer> {
  const token = options.token === undefined ? server.tokens.actions : options.token;
  const headers: Record<string, string> = { accept: "application/vnd.github+json" };
  if (token) headers.authorization = `token ${token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

/** Parse a Link header into rel -> page number. */
export function linkPages(link: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (link ?? "").split(",")) {
    const m = /<([^>]+)>;\s*rel="(\w+)"/.exec(part.trim());
    if (m?.[1] && m[2]) out[m[2]] = Number(new URL(m[1]).searchParams.get("page"));
  }
  return out;
}
