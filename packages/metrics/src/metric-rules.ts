import picomatch from "picomatch";

/**
 * Looks up a per-metric setting written as `{pattern: value}`. A pattern is matched against the
 * metric's key (`eval.loss`) and against `path:key` (`reports/eval.json:eval.loss`).
 * Exact names win over globs; among globs, the first one written wins. `*` does not cross `/`
 * (use `**` for that), and matches dots, so `*.auc` matches `test.auc` but not `a/test.auc`.
 * Keys that are plain integers are reordered by JavaScript objects; write them as `path:key`.
 */
export function ruleMatcher<T>(
  rules: Readonly<Record<string, T>>,
  reserved: readonly string[] = [],
): (path: string, key: string) => T | undefined {
  const exact = new Map<string, T>();
  const globs: Array<{ test: (s: string) => boolean; value: T }> = [];
  for (const [pattern, value] of Object.entries(rules)) {
    if (reserved.includes(pattern)) continue;
    if (picomatch.scan(pattern).isGlob) globs.push({ test: picomatch(pattern, { dot: true }), value });
    else exact.set(pattern, value);
  }
  return (path, key) => {
    const qualified = `${path}:${key}`;
    const hit = exact.get(qualified) ?? exact.get(key);
    if (hit !== undefined) return hit;
    return globs.find((g) => g.test(key) || g.test(qualified))?.value;
  };
}
