import { describe, expect, it } from "vitest";
import { ParseError } from "./parse-values";
import { parsePlotFile } from "./plots";

const read = (path: string, text: string, props: { x?: string; y?: string[] } = {}) =>
  parsePlotFile({ id: path, path, ...props }, Buffer.from(text));

describe("plots files", () => {
  it("defaults x to step and y to the other numeric columns", () => {
    const p = read("loss.csv", "step,loss,acc,phase\n0,1.0,0.5,a\n1,0.5,0.7,b\n");
    expect(p).toEqual({
      id: "loss.csv",
      path: "loss.csv",
      x: "step",
      y: ["loss", "acc"],
      rows: [
        { step: 0, loss: 1, acc: 0.5 },
        { step: 1, loss: 0.5, acc: 0.7 },
      ],
    });
  });

  it("numbers the rows as step when there is no step column", () => {
    const p = read("m.tsv", "loss\tval_loss\n0.9\t1.0\n0.8\t\n");
    expect(p.x).toBe("step");
    expect(p.rows).toEqual([
      { step: 0, loss: 0.9, val_loss: 1 },
      { step: 1, loss: 0.8 },
    ]);
  });

  it("reads JSON as a list of records or {key: [records]}, with declared x and y", () => {
    const list = read(
      "roc.json",
      JSON.stringify([
        { fpr: 0, tpr: 0, thr: 1 },
        { fpr: 1, tpr: 1, thr: 0 },
      ]),
      {
        x: "fpr",
        y: ["tpr"],
      },
    );
    expect(list.rows).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 1, tpr: 1 },
    ]);
    const keyed = read("prc.json", JSON.stringify({ prc: [{ recall: 1, precision: 0.5 }] }), { x: "recall" });
    expect(keyed).toMatchObject({ x: "recall", y: ["precision"], rows: [{ recall: 1, precision: 0.5 }] });
    expect(read("p.yaml", "- {step: 1, v: 2}\n").rows).toEqual([{ step: 1, v: 2 }]);
  });

  it("refuses data that is not records, and y fields that are not there", () => {
    expect(() => read("x.json", '{"a": 1}')).toThrow(ParseError);
    expect(() => read("x.csv", "a,b\n1,2\n", { y: ["c"] })).toThrow("no field named c");
    expect(() => read("x.toml", "a = 1")).toThrow(ParseError);
  });
});
