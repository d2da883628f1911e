import { lstat, readFile } from "node:fs/promises";
import { escapeText, MlciError } from "@mlci/common";
import type { ExtraSection } from "@mlci/report";

export interface ResultSection<T = unknown> {
  section: ExtraSection;
  /** Set when the result could not be used: the section says so and the caller must fail. */
  error?: MlciError;
  /** The parsed result, when it could be used (carried in the report bundle for forks). */
  result?: T;
}

export interface ResultSectionKind<T> {
  /** `gate`, `data`: the section id. */
  id: string;
  title: string;
  /** "gate result", "data result": how messages name the file's content. */
  what: string;
  /** What the check is called when treated as failed: "the gate", "the data check". */
  check: string;
  /** Which step output to pass, for the hint. */
  hint: string;
  maxBytes: number;
  parse(text: string, file: string): T;
  render(result: T): string;
}

function unavailable<T>(kind: ResultSectionKind<T>, reason: string, error: MlciError): ResultSection<T> {
  return {
    section: {
      id: kind.id,
      title: kind.title,
      markdown: `❌ **The ${kind.what} is unavailable**: ${escapeText(reason, { maxLength: 300 })}. Treat ${kind.check} as failed.`,
      keep: true,
    },
    error,
  };
}

/**
 * A section of the sticky report from a result file another action wrote (the gate's, the data
 * check's). Fails closed: a file that is missing, too large or not a valid result gives a section
 * saying the result is unavailable, and an error the report action raises after posting.
 */
export async function resultSection<T>(kind: ResultSectionKind<T>, path: string): Promise<ResultSection<T>> {
  const info = await lstat(path).catch(() => null);
  if (!info?.isFile()) {
    const why = info ? `${path} is not a regular file` : `${path} does not exist`;
    return unavailable(
      kind,
      why,
      new MlciError("NOT_FOUND", `the ${kind.what} is unavailable: ${why}`, { hint: kind.hint }),
    );
  }
  if (info.size > kind.maxBytes) {
    const why = `${path} is ${info.size} bytes; at most ${kind.maxBytes} are accepted`;
    return unavailable(kind, why, new MlciError("INPUT", `the ${kind.what} is unavailable: ${why}`));
  }
  try {
    const result = kind.parse(await readFile(path, "utf8"), path);
    return { section: { id: kind.id, title: kind.title, markdown: kind.render(result), keep: true }, result };
  } catch (err) {
    const error =
      err instanceof MlciError
        ? err
        : new MlciError("INPUT", `${path} cannot be read: ${(err as Error).message}`);
    return unavailable(kind, error.message, error);
  }
}

/**
 * The same section from a result carried inside an untrusted report bundle: validated again with
 * the result's own parser (a forged or malformed result refuses the bundle) and re-rendered.
 */
export function sectionFromBundle<T>(kind: ResultSectionKind<T>, data: unknown, file: string): ExtraSection {
  let result: T;
  try {
    result = kind.parse(JSON.stringify(data), `${file} (${kind.id})`);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new MlciError("FAILED", `refusing the bundle: its ${kind.what} is not valid: ${why}`);
  }
  return { id: kind.id, title: kind.title, markdown: kind.render(result), keep: true };
}
