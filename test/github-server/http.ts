/** Answers and errors shaped like api.github.com's. */

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FieldError {
  resource: string;
  code: string;
  field?: string;
  message?: string;
  value?: unknown;
}

/** Thrown by handlers; the server turns it into GitHub's JSON error body. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    message: string,
    options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }
}

export const notFound = (): ApiError => new ApiError(404, "Not Found");

/** GitHub's 422 for a semantic validation failure (as opposed to a schema one). */
export function validationFailed(errors: FieldError[]): ApiError {
  return new ApiError(422, "Validation Failed", { errors });
}

/** GitHub's 422 for a request that breaks the operation's schema. */
export function invalidRequest(detail: string): ApiError {
  return new ApiError(422, `Invalid request.\n\n${detail}`);
}

export function errorBody(
  status: number,
  message: string,
  docUrl: string,
  errors?: FieldError[],
): Record<string, unknown> {
  return {
    message,
    ...(errors ? { errors } : {}),
    documentation_url: docUrl,
    status: String(status),
  };
}

export const ok = (body: unknown, headers?: Record<string, string>): Reply =>
  headers ? { status: 200, body, headers } : { status: 200, body };
export const created = (body: unknown): Reply => ({ status: 201, body });
export const noContent = (): Reply => ({ status: 204 });

export interface PageRequest {
  /** The request's absolute URL, whose query is kept in the Link header. */
  url: URL;
  query: Record<string, string | number | boolean>;
}

/**
 * One page of `items` with GitHub's Link header (rel prev, next, last, first, in GitHub's order).
 * `per_page` defaults to 30 and is capped at 100.
 */
export function paginate<T>(req: PageRequest, items: readonly T[], wrap?: (page: T[]) => unknown): Reply {
  const perPageRaw = typeof req.query.per_page === "number" ? req.query.per_page : 30;
  const perPage = Math.min(Math.max(perPageRaw, 1), 100);
  const pageRaw = typeof req.query.page === "number" ? req.query.page : 1;
  const page = Math.max(pageRaw, 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (n: number): string => {
    const u = new URL(req.url);
    u.searchParams.set("page", String(n));
    return `<${u.toString()}>`;
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`${link(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) parts.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (page > 1) parts.push(`${link(1)}; rel="first"`);
  const body = wrap ? wrap(slice) : slice;
  return parts.length ? ok(body, { link: parts.join(", ") }) : ok(body);
}
