import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";

/**
 * GitHub's own OpenAPI description drives routing and request validation, so the test server
 * rejects exactly what api.github.com would reject by schema. The description is 13 MB: it is
 * read once per process, and each operation's body validator is compiled on first use.
 */

type Schema = Record<string, unknown>;

interface ParameterSpec {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Schema;
  "x-multi-segment"?: boolean;
}

interface OperationSpec {
  operationId: string;
  parameters?: Array<ParameterSpec | { $ref: string }>;
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  externalDocs?: { url: string };
}

interface Spec {
  paths: Record<string, Record<string, OperationSpec>>;
  components: { schemas: Record<string, Schema>; parameters: Record<string, ParameterSpec> };
}

export interface Operation {
  method: string;
  /** The OpenAPI path template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  route: string;
  operationId: string;
  docUrl: string;
  pathParams: ParameterSpec[];
  queryParams: ParameterSpec[];
  /** Literal segments, for choosing the most specific of several matching templates. */
  literals: number;
  greedy: number;
  regex: RegExp;
  keys: string[];
  spec: OperationSpec;
}

export interface RouteMatch {
  op: Operation;
  rawParams: Record<string, string>;
}

const SPEC_ID = "https://api.github.com/openapi";

let spec: Spec | undefined;
let operations: Operation[] | undefined;
let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction | null>();

function loadSpec(): Spec {
  if (!spec) {
    const require = createRequire(import.meta.url);
    const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
    spec = JSON.parse(readFileSync(file, "utf8")) as Spec;
  }
  return spec;
}

function resolveParam(p: ParameterSpec | { $ref: string }): ParameterSpec {
  if (!("$ref" in p)) return p;
  const name = p.$ref.split("/").pop() ?? "";
  const found = loadSpec().components.parameters[name];
  if (!found) throw new Error(`OpenAPI: unresolved parameter ${p.$ref}`);
  return found;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileOperation(route: string, method: string, op: OperationSpec): Operation {
  const params = (op.parameters ?? []).map(resolveParam);
  const pathParams = params.filter((p) => p.in === "path");
  const keys: string[] = [];
  let literals = 0;
  let greedy = 0;
  const pattern = route
    .split("/")
    .map((segment) => {
      const m = /^\{(\w+)\}$/.exec(segment);
      if (!m) {
        if (segment) literals++;
        return escapeRegex(segment);
      }
      const name = m[1] ?? "";
      keys.push(name);
      // `x-multi-segment` marks parameters such as git refs that may contain slashes.
      const multi = pathParams.find((p) => p.name === name)?.["x-multi-segment"] === true;
      if (multi) greedy++;
      return multi ? "(.+)" : "([^/]+)";
    })
    .join("/");
  return {
    method: method.toUpperCase(),
    route,
    operationId: op.operationId,
    docUrl: op.externalDocs?.url ?? "https://docs.github.com/rest",
    pathParams,
    queryParams: params.filter((p) => p.in === "query"),
    literals,
    greedy,
    regex: new RegExp(`^${pattern}$`),
    keys,
    spec: op,
  };
}

export function allOperations(): Operation[] {
  if (!operations) {
    const out: Operation[] = [];
    for (const [route, item] of Object.entries(loadSpec().paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (typeof op === "object" && op && "operationId" in op)
          out.push(compileOperation(route, method, op));
      }
    }
    // Most specific first: `/commits/{sha}/comments` must win over the greedy `/commits/{ref}`.
    out.sort((a, b) => b.literals - a.literals || a.greedy - b.greedy);
    operations = out;
  }
  return operations;
}

/** The operation for a method and raw (still percent-encoded) path, or undefined like GitHub's 404. */
export function matchRoute(method: string, rawPath: string): RouteMatch | undefined {
  const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, "") : rawPath;
  for (const op of allOperations()) {
    if (op.method !== method) continue;
    const m = op.regex.exec(path);
    if (!m) continue;
    const rawParams: Record<string, string> = {};
    op.keys.forEach((k, i) => {
      rawParams[k] = m[i + 1] ?? "";
    });
    return { op, rawParams };
  }
  return undefined;
}

export function findOperation(method: string, route: string): Operation | undefined {
  return allOperations().find((op) => op.method === method.toUpperCase() && op.route === route);
}

function schemaType(p: ParameterSpec): string | undefined {
  const t = p.schema?.type;
  return typeof t === "string" ? t : undefined;
}

/** Path parameters typed by the description; undefined when one cannot be (GitHub answers 404). */
export function typePathParams(match: RouteMatch): Record<string, string | number> | undefined {
  const out: Record<string, string | number> = {};
  for (const [key, raw] of Object.entries(match.rawParams)) {
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    const spec = match.op.pathParams.find((p) => p.name === key);
    if (spec && schemaType(spec) === "integer") {
      if (!/^\d+$/.test(value)) return undefined;
      out[key] = Number(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Query values typed by the description; values that do not parse are dropped, as GitHub ignores them. */
export function typeQuery(op: Operation, query: URLSearchParams): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of query) {
    const spec = op.queryParams.find((p) => p.name === key);
    const type = spec ? schemaType(spec) : undefined;
    if (type === "integer") {
      if (/^-?\d+$/.test(value)) out[key] = Number(value);
    } else if (type === "boolean") {
      if (value === "true" || value === "false") out[key] = value === "true";
    } else {
      out[key] = value;
    }
  }
  return out;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `${SPEC_ID}${v}` : rewriteRefs(v);
    }
    return out;
  }
  return value;
}

function getAjv(): Ajv {
  if (!ajv) {
    // strict off: the description uses OpenAPI keywords (example, x-github, nullable) and formats
    // of its own such as `repo.nwo`; validateSchema off: checking 13 MB against the meta-schema is slow.
    ajv = new Ajv({ strict: false, validateSchema: false, allErrors: false, logger: false });
    const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
    addFormats(ajv);
    ajv.addFormat("repo.nwo", true);
    ajv.addSchema({ $id: SPEC_ID, components: { schemas: loadSpec().components.schemas } });
  }
  return ajv;
}

function bodyValidator(op: Operation): ValidateFunction | null {
  const key = `${op.method} ${op.route}`;
  let v = validators.get(key);
  if (v === undefined) {
    const schema = op.spec.requestBody?.content["application/json"]?.schema;
    v = schema ? getAjv().compile(rewriteRefs(schema) as Schema) : null;
    validators.set(key, v);
  }
  return v;
}

/** Ruby's spelling of a JSON value, as GitHub's validation messages quote it. */
function quote(value: unknown): string {
  if (value === null || value === undefined) return "nil";
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function propertyPath(instancePath: string): string {
  return instancePath
    .split("/")
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `items/${p}` : `properties/${p}`))
    .join("/");
}

function describe(err: ErrorObject, data: unknown): string {
  const value = err.instancePath
    .split("/")
    .filter(Boolean)
    .reduce<unknown>(
      (acc, k) => (acc && typeof acc === "object" ? (acc as Record<string, unknown>)[k] : undefined),
      data,
    );
  const where = propertyPath(err.instancePath) || "links/0/schema";
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case "required":
      return `"${String(params.missingProperty)}" wasn't supplied.`;
    case "maxLength":
      return `Only ${String(params.limit)} characters are allowed; ${typeof value === "string" ? value.length : "more"} were supplied.`;
    case "maxItems":
      return `No more than ${String(params.limit)} items are allowed; ${Array.isArray(value) ? value.length : "more"} were supplied.`;
    case "type":
      return `For '${where}', ${quote(value)} is not ${/^[aeiou]/.test(String(params.type)) ? "an" : "a"} ${String(params.type)}.`;
    case "enum":
      return `For '${where}', ${quote(value)} is not a member of ${JSON.stringify(params.allowedValues)}.`;
    default:
      return `For '${where}', ${quote(value)} ${err.message ?? "is invalid"}.`;
  }
}

/** Validate a parsed JSON body; returns GitHub's "Invalid request" detail, or undefined when valid. */
export function validateBody(op: Operation, body: unknown): string | undefined {
  const validate = bodyValidator(op);
  if (!validate) return undefined;
  if (body === undefined && op.spec.requestBody?.required !== true) return undefined;
  if (validate(body)) return undefined;
  const errors = validate.errors ?? [];
  // A combinator's own error says less than the branch error that precedes it.
  const best = errors.find((e) => !["anyOf", "oneOf", "allOf", "if"].includes(e.keyword)) ?? errors[0];
  return best ? describe(best, body) : "Invalid request.";
}
