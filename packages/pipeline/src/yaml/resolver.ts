/**
 * How ruamel.yaml (DVC's YAML library) types a plain scalar under YAML 1.2, its default: the
 * implicit resolvers of `ruamel/yaml/resolver.py`. Used when loading (so `1.0` is a float and
 * `yes` a string, as DVC sees them) and when dumping (so a string that would read back as
 * something else is quoted, as in `schema: '2.0'`).
 */
import { PyFloat, type Scalar, Timestamp } from "../values";

export type ImplicitTag = "null" | "bool" | "int" | "float" | "timestamp" | "merge" | "value" | "str";

const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

/**
 * Python's `re.match(...)` with a pattern ending in `$` also matches before one trailing newline;
 * that quirk only matters for strings that cannot be plain anyway, so it is not reproduced.
 */
export function resolvePlain(text: string): ImplicitTag {
  const first = text[0] ?? "";
  // ruamel picks the candidate resolvers by the first character, in this order.
  if ("tTfF".includes(first) && first !== "" && BOOL.test(text)) return "bool";
  if (first !== "" && "-+0123456789.".includes(first) && FLOAT.test(text)) return "float";
  if (first !== "" && "-+0123456789".includes(first) && INT.test(text)) return "int";
  if (first === "<" && text === "<<") return "merge";
  if ((first === "" || "~nN".includes(first)) && NULL.test(text)) return "null";
  if (first !== "" && "0123456789".includes(first) && TIMESTAMP.test(text)) return "timestamp";
  if (text === "=") return "value";
  return "str";
}

function constructInt(text: string): number {
  let s = text.replace(/_/g, "");
  let sign = 1;
  if (s[0] === "-") sign = -1;
  if (s[0] === "-" || s[0] === "+") s = s.slice(1);
  if (s === "0") return 0;
  if (s.startsWith("0b")) return sign * Number.parseInt(s.slice(2), 2);
  if (s.startsWith("0x")) return sign * Number.parseInt(s.slice(2), 16);
  if (s.startsWith("0o")) return sign * Number.parseInt(s.slice(2), 8);
  return sign * Number.parseInt(s, 10);
}

function constructFloat(text: string): number | PyFloat {
  let s = text.replace(/_/g, "").toLowerCase();
  let sign = 1;
  if (s[0] === "-") sign = -1;
  if (s[0] === "-" || s[0] === "+") s = s.slice(1);
  let v: number;
  if (s === ".inf") v = sign * Number.POSITIVE_INFINITY;
  else if (s === ".nan") v = Number.NaN;
  else v = sign * Number(s.endsWith(".") ? s.slice(0, -1) : s);
  return Number.isInteger(v) || !Number.isFinite(v) ? new PyFloat(v) : v;
}

/** The value ruamel's safe constructor builds for a plain scalar. */
export function constructPlain(text: string): Scalar {
  switch (resolvePlain(text)) {
    case "null":
      return null;
    case "bool":
      return text[0] === "t" || text[0] === "T";
    case "int":
      return constructInt(text);
    case "float":
      return constructFloat(text);
    case "timestamp":
      return new Timestamp(text);
    default:
      return text;
  }
}
