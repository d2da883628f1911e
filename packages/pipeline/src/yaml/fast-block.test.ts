import { describe, expect, it } from "vitest";
import { isMap, isSeq, PyFloat, Timestamp, type Value } from "../values";
import { dumpYaml } from "./dump";
import { parseSimpleBlockYaml } from "./fast-block";
import { loadYaml } from "./load";

/** Deep equality that also checks mapping order and value kinds. */
function same(a: Value, b: Value): boolean {
  if (isMap(a) && isMap(b)) {
    const ka = [...a.keys()];
    const kb = [...b.keys()];
    return (
      ka.length === kb.length && ka.every((k, i) => k === kb[i] && same(a.get(k) as Value, b.get(k) as Value))
    );
  }
  if (isSeq(a) && isSeq(b)) return a.length === b.length && a.every((x, i) => same(x, b[i] as Value));
  if (a instanceof PyFloat && b instanceof PyFloat) return Object.is(a.value, b.value);
  if (a instanceof Timestamp && b instanceof Timestamp) return a.text === b.text;
  return Object.is(a, b);
}

const LONG = `python train.py ${Array.from({ length: 30 }, (_, i) => `--opt${i} v${i}`).join(" ")}`;

describe("fast block YAML reader", () => {
  it("reads what the dumper writes exactly as the general loader does", () => {
    const doc: Value = new Map<string, Value>([
      ["schema", "2.0"],
      [
        "stages",
        new Map<string, Value>([
          [
            "train@a-1",
            new Map<string, Value>([
              ["cmd", LONG],
              ["list", ["a b", "'q' x", "line\nbreak", `: ${"word ".repeat(30)}`, null, 3, [], new Map()]],
              [
                "deps",
                [
                  new Map<string, Value>([
                    ["path", "data/é😀 x.csv"],
                    ["hash", "md5"],
                    ["md5", "0123456789abcdef0123456789abcdef"],
                    ["size", 12],
                  ]),
                ],
              ],
              [
                "params",
                new Map<string, Value>([
                  [
                    "params.yaml",
                    new Map<string | number, Value>([
                      ["lr", 1e-5],
                      ["one", new PyFloat(1)],
                      ["yes", "yes"],
                      ["s", "2.0"],
                      ["e", ""],
                      ["n", null],
                      ["d", new Timestamp("2024-01-31")],
                      [3, "int key"],
                      ["tab", `a\tb ${"x ".repeat(50)}`],
                      ["nested", new Map<string, Value>([["deep", [1, 2]]])],
                    ]),
                  ],
                ]),
              ],
            ]),
          ],
        ]),
      ],
    ]);
    const text = dumpYaml(doc);
    const fast = parseSimpleBlockYaml(text);
    expect(fast).not.toBeNull();
    expect(same(fast as Value, loadYaml(text, "x").value)).toBe(true);
    expect(same(fast as Value, doc)).toBe(true);
  });

  it("declines what it does not cover, so the general loader handles it", () => {
    for (const t of [
      "a: 1 # c\n",
      "a: &x 1\nb: *x\n",
      "a: [1, 2]\n",
      "a: |\n  x\n",
      "a: 1\n\nb: 2\n",
      "a: 1\na: 2\n",
      "a:\n\tb: 1\n",
    ]) {
      expect(parseSimpleBlockYaml(t)).toBeNull();
    }
  });
});
