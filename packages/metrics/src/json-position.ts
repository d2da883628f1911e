/**
 * Where JSON text first goes wrong, as a 1-based line. `JSON.parse` names no position for many
 * errors on some Node versions, so after it fails we scan the text ourselves. The scan accepts
 * what `parseJsonLenient` accepts (bare NaN and Infinity too).
 */
export function jsonErrorLine(src: string): number | undefined {
  const offset = jsonErrorOffset(src);
  return offset === undefined ? undefined : src.slice(0, offset).split("\n").length;
}

class At {
  constructor(readonly offset: number) {}
}

export function jsonErrorOffset(src: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < src.length && " \t\r\n".includes(src[i]!)) i++;
  };
  const fail = (): never => {
    throw new At(i);
  };
  const expect = (ch: string) => {
    ws();
    if (src[i] !== ch) fail();
    i++;
  };
  const string = () => {
    if (src[i] !== '"') fail();
    i++;
    while (i < src.length && src[i] !== '"') {
      if (src[i] === "\\") i++;
      else if (src.charCodeAt(i) < 0x20) fail();
      i++;
    }
    if (i >= src.length) fail();
    i++;
  };
  const value = (): void => {
    ws();
    const ch = src[i];
    if (ch === "{") {
      i++;
      ws();
      if (src[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        string();
        expect(":");
        value();
        ws();
        if (src[i] === ",") i++;
        else if (src[i] === "}") {
          i++;
          return;
        } else fail();
      }
    }
    if (ch === "[") {
      i++;
      ws();
      if (src[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (src[i] === ",") i++;
        else if (src[i] === "]") {
          i++;
          return;
        } else fail();
      }
    }
    if (ch === '"') {
      string();
      return;
    }
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null|NaN|-?Infinity)/.exec(
      src.slice(i, i + 400),
    );
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value();
    ws();
    if (i < src.length) fail();
    return undefined;
  } catch (e) {
    if (e instanceof At) return e.offset;
    throw e;
  }
}
