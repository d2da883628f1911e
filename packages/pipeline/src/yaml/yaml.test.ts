import { describe, expect, it } from "vitest";
import { PyFloat, pyFloatRepr, pyStr, Timestamp, type Value } from "../values";
import { dumpYaml } from "./dump";
import { loadYaml } from "./load";

const m = (entries: Array<[string | number | null, Value]>): Value => new Map(entries);

describe("loading YAML as ruamel (YAML 1.2) types it", () => {
  it("keeps floats, ints, strings and dates apart", () => {
    const v = loadYaml(
      "a: 1.0\nb: 1_000\nc: 0o17\nd: yes\ne: 2024-01-31\nf: .inf\ng: 1e-5\nh: '1.0'\ni: ~\nj: 0x1F\nk: 007\n",
      "p.yaml",
    ).value as Map<string, Value>;
    expect(v.get("a")).toEqual(new PyFloat(1));
    expect(v.get("b")).toBe(1000);
    expect(v.get("c")).toBe(15);
    expect(v.get("d")).toBe("yes");
    expect(v.get("e")).toEqual(new Timestamp("2024-01-31"));
    expect(v.get("f")).toEqual(new PyFloat(Number.POSITIVE_INFINITY));
    expect(v.get("g")).toBe(0.00001);
    expect(v.get("h")).toBe("1.0");
    expect(v.get("i")).toBeNull();
    expect(v.get("j")).toBe(31);
    expect(v.get("k")).toBe(7);
  });

  it("keeps integer keys, order, anchors and merge keys; reports lines", () => {
    const y = loadYaml("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n  2: two\n  1: one\n", "f.yaml");
    const d = (y.value as Map<string, Value>).get("d") as Map<unknown, Value>;
    expect([...d.keys()]).toEqual(["y", 2, 1, "x"]);
    expect(d.get("y")).toBe(3);
    expect(y.lineOf(["d", "y"])).toBe(4);
    expect(() => loadYaml("a: 1\na: 2\n", "dup.yaml")).toThrow(/unique/);
  });
});

describe("Python formatting", () => {
  it("prints floats like repr()", () => {
    expect([1e-5, 1e16, 1e15, 100, 0.0001, 0.1, 1.5e300, 123456789.123, -2.5e-7].map(pyFloatRepr)).toEqual([
      "1e-05",
      "1e+16",
      "1000000000000000.0",
      "100.0",
      "0.0001",
      "0.1",
      "1.5e+300",
      "123456789.123",
      "-2.5e-07",
    ]);
    expect(pyFloatRepr(-0)).toBe("-0.0");
    expect(pyStr(null)).toBe("None");
    expect(pyStr(true)).toBe("True");
  });
});

describe("dumping YAML as ruamel's round-trip dumper does", () => {
  it("quotes only what would read back differently, as DVC's files show", () => {
    expect(
      dumpYaml(
        m([
          ["schema", "2.0"],
          ["t", "true"],
          ["y", "yes"],
          ["n", "null"],
          ["e", ""],
          ["tilde", "~"],
          ["date", "2024-01-31"],
          ["int", "12"],
          ["path", "data/x.csv"],
          ["colon", "a: b"],
          ["star", "*x"],
          ["uni", "héllo wörld"],
        ]),
      ),
    ).toBe(
      "schema: '2.0'\nt: 'true'\ny: yes\nn: 'null'\ne: ''\ntilde: '~'\ndate: '2024-01-31'\nint: '12'\npath: data/x.csv\ncolon: 'a: b'\nstar: '*x'\nuni: héllo wörld\n",
    );
  });

  it("writes nulls inside collections as empty, and a null key as null", () => {
    // ruamel pads the dash of an empty item to the item's indent: "- " with a trailing space.
    expect(
      dumpYaml(
        m([
          ["a", null],
          ["b", [null, 1]],
          [null, 2],
        ]),
      ),
    ).toBe("a:\nb:\n- \n- 1\nnull: 2\n");
  });

  it("uses double quotes for text with a quote, a newline or a control character", () => {
    expect(
      dumpYaml(
        m([
          ["a", "'x' y"],
          ["b", "line1\nline2"],
          ["c", "tab\there"],
          ["d", "😀\t"],
        ]),
      ),
    ).toBe('a: "\'x\' y"\nb: "line1\\nline2"\nc: "tab\\there"\nd: "\\U0001F600\\t"\n');
  });

  it("writes numbers, booleans and empty collections", () => {
    expect(
      dumpYaml(
        m([
          ["f", 1e-5],
          ["g", new PyFloat(100)],
          ["h", new PyFloat(Number.NEGATIVE_INFINITY)],
          ["i", -3],
          ["b", false],
          ["l", []],
          ["o", new Map()],
          ["t", new Timestamp("2024-01-31")],
        ]),
      ),
    ).toBe("f: 1e-05\ng: 100.0\nh: -.inf\ni: -3\nb: false\nl: []\no: {}\nt: 2024-01-31\n");
  });

  it("folds long plain and single-quoted scalars at 80 columns, indenting continuations", () => {
    const long = `python train.py ${Array.from({ length: 12 }, (_, i) => `--opt${i} v${i}`).join(" ")}`;
    expect(dumpYaml(m([["stages", m([["s", m([["cmd", long]])]])]]))).toBe(
      "stages:\n  s:\n    cmd: python train.py --opt0 v0 --opt1 v1 --opt2 v2 --opt3 v3 --opt4 v4 --opt5\n      v5 --opt6 v6 --opt7 v7 --opt8 v8 --opt9 v9 --opt10 v10 --opt11 v11\n",
    );
    const quoted = `: ${"word ".repeat(20)}end`;
    expect(dumpYaml(m([["k", quoted]]))).toBe(
      "k: ': word word word word word word word word word word word word word word word word\n  word word word word end'\n",
    );
  });
});
