import { describe, expect, it } from "vitest";
import { cellValue, parseDelimited, parseTable } from "./csv";
import { flatten, formatOf, parseValuesFile } from "./parse-values";

describe("structured files", () => {
  it("flattens nested JSON with dots and lists by index", () => {
    const text = JSON.stringify({
      eval: { test: { f1: 0.91, acc: 0.93 } },
      layers: [64, { units: 32 }],
      name: "cnn",
    });
    expect(parseValuesFile("metrics.json", text)).toEqual({
      path: "metrics.json",
      values: {
        "eval.test.f1": 0.91,
        "eval.test.acc": 0.93,
        "layers.0": 64,
        "layers.1.units": 32,
        name: "cnn",
      },
    });
  });

  it("reads YAML and YML, with nulls, booleans and YAML's .nan", () => {
    const text = "train:\n  loss: 0.25\n  done: true\n  note: null\n  odd: .nan\nempty: {}\n";
    const { values } = parseValuesFile("m.yml", text);
    expect(values["train.loss"]).toBe(0.25);
    expect(values["train.done"]).toBe(true);
    expect(values["train.note"]).toBeNull();
    expect(values["train.odd"]).toBeNaN();
    expect(Object.keys(values)).not.toContain("empty");
    expect(parseValuesFile("m.yaml", "a: 1\n").values).toEqual({ a: 1 });
  });

  it("reads TOML, dates as ISO text", () => {
    const text =
      "[eval]\nauc = 0.8\nwhen = 2026-01-02T03:04:05Z\n[[runs]]\nseed = 1\n[[runs]]\nseed = 2\ninf = inf\n";
    const { values } = parseValuesFile("m.toml", text);
    expect(values).toMatchObject({ "eval.auc": 0.8, "runs.0.seed": 1, "runs.1.seed": 2 });
    expect(values["eval.when"]).toBe("2026-01-02T03:04:05.000Z");
    expect(values["runs.1.inf"]).toBe(Number.POSITIVE_INFINITY);
  });

  it("reads Python's json.dump output with NaN and Infinity, but not inside strings", () => {
    const text = '{"loss": NaN, "best": Infinity, "worst": -Infinity, "note": "NaN stays text"}';
    const { values, problem } = parseValuesFile("m.json", text);
    expect(problem).toBeUndefined();
    expect(values.loss).toBeNaN();
    expect(values.best).toBe(Number.POSITIVE_INFINITY);
    expect(values.worst).toBe(Number.NEGATIVE_INFINITY);
    expect(values.note).toBe("NaN stays text");
  });

  it("reports parse errors with a line", () => {
    expect(parseValuesFile("m.json", '{\n  "a": 1,\n  "b": }\n').problem).toEqual({
      kind: "parse-error",
      message: expect.stringMatching(/^line 3: /),
    });
    expect(parseValuesFile("m.yaml", "a: 1\nb: [1, 2\nc: 3\n").problem?.message).toMatch(/^line \d+: /);
    expect(parseValuesFile("m.toml", "a = 1\nb = \n").problem?.message).toMatch(/^line 2: /);
    expect(parseValuesFile("m.json", "0.93").problem?.kind).toBe("parse-error");
  });

  it("says plainly when the extension is not one we read", () => {
    expect(parseValuesFile("metrics.txt", "acc 0.9").problem).toEqual({
      kind: "unreadable",
      message: "not a JSON, YAML, TOML, CSV or TSV file",
    });
    expect(formatOf("A.JSON")).toBe("json");
  });

  it("reads an empty YAML file as no values", () => {
    expect(parseValuesFile("m.yaml", "")).toEqual({ path: "m.yaml", values: {} });
  });

  it("flattens scalars at a prefix", () => {
    expect(flatten([1, [2, 3]], "xs")).toEqual({ "xs.0": 1, "xs.1.0": 2, "xs.1.1": 3 });
  });
});

describe("tables", () => {
  it("gives the last row, one value per column, numbers parsed and empty cells null", () => {
    const text = "epoch,loss,acc,note\n1,0.9,0.5,warmup\n2,0.5,,\n";
    expect(parseValuesFile("log.csv", text).values).toEqual({ epoch: 2, loss: 0.5, acc: null, note: null });
  });

  it("gives one value per row for a metric,value table", () => {
    const text = "metric,value\nacc,0.91\nf1,0.88\nmodel,resnet\nacc,0.92\n";
    expect(parseValuesFile("m.csv", text).values).toEqual({ acc: 0.92, f1: 0.88, model: "resnet" });
    expect(parseValuesFile("m.tsv", "Name\tValue\nrmse\t1.5\n").values).toEqual({ rmse: 1.5 });
    expect(parseValuesFile("m.csv", "key,value\nk,1e-3\n").values).toEqual({ k: 0.001 });
  });

  it("handles awkward CSV: quotes, embedded commas and newlines, CRLF, BOM, blank lines", () => {
    const text =
      '\uFEFFname,"score, final","comment"\r\n\r\n"a ""quoted"" one",0.5,"two\r\nlines"\r\nb,  .75 ,"x,y"\r\n';
    const records = parseDelimited(text, ",");
    expect([...records]).toEqual([
      ["name", "score, final", "comment"],
      ['a "quoted" one', "0.5", "two\r\nlines"],
      ["b", "  .75 ", "x,y"],
    ]);
    expect(records.lines).toEqual([1, 3, 5]);
    expect(parseValuesFile("t.csv", text).values).toEqual({
      name: "b",
      "score, final": 0.75,
      comment: "x,y",
    });
  });

  it("reads TSV, a missing final newline, and a trailing delimiter", () => {
    expect(parseValuesFile("t.tsv", "a\tb\n1\t2").values).toEqual({ a: 1, b: 2 });
    expect(parseValuesFile("t.csv", "a,b,\n1,2,\n").values).toEqual({ a: 1, b: 2 });
  });

  it("names the line of an unclosed quote or a row too wide", () => {
    expect(parseValuesFile("t.csv", 'a,b\n1,"2\n3,4\n').problem).toEqual({
      kind: "parse-error",
      message: "line 2: a quoted field is not closed",
    });
    expect(parseValuesFile("t.csv", "a,b\n1,2\n1,2,3\n").problem?.message).toBe(
      "line 3: 3 fields, but the header has 2",
    );
    expect(parseValuesFile("t.csv", 'a,b\n"1"x,2\n').problem?.message).toMatch(/^line 2: unexpected "x"/);
  });

  it("names empty header cells by position, and reads a header-only table as no values", () => {
    expect(parseTable(",b\n1,2\n", ",").header).toEqual(["column1", "b"]);
    expect(parseValuesFile("t.csv", "a,b\n").values).toEqual({});
  });

  it("parses cells like pandas writes them", () => {
    expect([cellValue("1e3"), cellValue("-2.5"), cellValue("+.5"), cellValue("True"), cellValue("")]).toEqual(
      [1000, -2.5, 0.5, true, null],
    );
    expect(cellValue("nan")).toBeNaN();
    expect(cellValue("-inf")).toBe(Number.NEGATIVE_INFINITY);
    expect(cellValue("0x10")).toBe("0x10");
    expect(cellValue("1,5")).toBe("1,5");
  });
});

describe("JSON error positions", () => {
  it("finds the line where JSON first goes wrong", async () => {
    const { jsonErrorLine } = await import("./json-position");
    expect(jsonErrorLine('{"a": 1}')).toBeUndefined();
    expect(jsonErrorLine('{"a": NaN, "b": [1, -Infinity]}')).toBeUndefined();
    expect(jsonErrorLine('{\n "a": [1,\n 2,,\n 3]}')).toBe(3);
    expect(jsonErrorLine('{\n "a": 1\n}\n}')).toBe(4);
    expect(jsonErrorLine('{\n "a": "open\n')).toBe(2);
    expect(jsonErrorLine("{\n 'a': 1}")).toBe(2);
  });
});
