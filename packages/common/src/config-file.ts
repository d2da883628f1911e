import { isMap, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { z } from "zod";
import { MlciError } from "./errors";

/** A YAML (or JSON, which YAML reads) document that can say which line a key path sits on. */
export interface LocatedDocument {
  value: unknown;
  /** 1-based line of the node at `path`, or of its nearest existing parent. */
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

export function parseYamlLocated(text: string, file: string): LocatedDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    throw new MlciError(
      "CONFIG",
      `not valid YAML: ${(first.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "")}`,
      {
        location: pos ? { file, line: pos.line, column: pos.col } : { file },
      },
    );
  }
  return {
    value: doc.toJS({ maxAliasCount: 100 }) as unknown,
    lineOf(path) {
      let node: unknown = doc.contents;
      let line: number | undefined = lineFor(node as Node | null, lineCounter);
      for (const seg of path) {
        if (isMap(node)) {
          const pair = node.items.find(
            (p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === String(seg),
          );
          if (!pair) break;
          line = lineFor(pair.key as Node, lineCounter) ?? line;
          node = pair.value;
        } else if (isSeq(node) && typeof seg === "number") {
          const item = node.items[seg];
          if (item === undefined) break;
          node = item;
          line = lineFor(item as Node, lineCounter) ?? line;
        } else break;
      }
      return line;
    },
  };
}

function lineFor(node: Node | null | undefined, lc: LineCounter): number | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : lc.linePos(start).line;
}

/** Renders a key path the way users write it: `rules[0].min`. */
export function formatKeyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

export interface ConfigProblem {
  file: string;
  line?: number;
  key: string;
  message: string;
}

/**
 * Parses a YAML/JSON config file against a zod schema: the typed value, or every problem with
 * file, line and key. One schema per file type; its JSON Schema comes from `configJsonSchema`.
 */
export function parseConfigFile<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): { ok: true; value: z.infer<S> } | { ok: false; problems: ConfigProblem[] } {
  const doc = parseYamlLocated(text, file);
  const result = schema.safeParse(doc.value ?? {});
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const line = doc.lineOf(path);
    return {
      file,
      ...(line === undefined ? {} : { line }),
      key: formatKeyPath(path) || "(top level)",
      message: issue.message,
    };
  });
  return { ok: false, problems };
}

/** Like parseConfigFile, but throws one MlciError listing every problem. */
export function loadConfigFile<S extends z.ZodType>(text: string, file: string, schema: S): z.infer<S> {
  const res = parseConfigFile(text, file, schema);
  if (res.ok) return res.value;
  const [first] = res.problems;
  const lines = res.problems.map(
    (p) => `  ${p.file}${p.line ? `:${p.line}` : ""} (key \`${p.key}\`): ${p.message}`,
  );
  throw new MlciError(
    "CONFIG",
    res.problems.length === 1 ? first!.message : `${res.problems.length} problems:\n${lines.join("\n")}`,
    { location: { file, ...(first?.line ? { line: first.line } : {}), key: first?.key ?? "" } },
  );
}

/** The JSON Schema editors use to complete a config file. */
export function configJsonSchema(
  schema: z.ZodType,
  meta: { id: string; title: string },
): Record<string, unknown> {
  const js = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { $id: meta.id, title: meta.title, ...js };
}
