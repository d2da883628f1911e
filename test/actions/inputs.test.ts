import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "..", "..");
const actions = readdirSync(join(ROOT, "actions")).filter((name) => {
  try {
    readFileSync(join(ROOT, "actions", name, "action.yml"));
    return true;
  } catch {
    return false;
  }
});

interface Spec {
  inputs?: Record<string, { default?: string | boolean }>;
}

/**
 * What is wrong with how an action's entry point reads its inputs: every input it reads is declared
 * in action.yml; yes/no inputs (a default of true or false) go through `booleanInput` (a clear
 * error for `yes`, the default for an empty value), with the same name twice and the fallback
 * equal to action.yml's default.
 */
function checkInputs(spec: Spec, main: string): string[] {
  const problems: string[] = [];
  const declared = spec.inputs ?? {};
  for (const m of main.matchAll(/core\.get(?:Multiline)?Input\("([^"]+)"\)/g)) {
    const name = m[1] ?? "";
    if (!(name in declared)) problems.push(`reads the input "${m[1]}", which action.yml does not declare`);
  }
  for (const m of main.matchAll(/core\.getBooleanInput\("([^"]+)"\)/g)) {
    problems.push(`reads "${m[1]}" with core.getBooleanInput (a TypeError for "yes"): use booleanInput`);
  }
  for (const m of main.matchAll(
    /booleanInput\(\s*"([^"]+)",\s*core\.getInput\("([^"]+)"\),\s*(true|false)\s*\)/g,
  )) {
    const [, name = "", read, fallback] = m;
    if (name !== read) problems.push(`booleanInput("${name}") reads the input "${read}"`);
    const def = String(declared[name]?.default ?? "").trim();
    if (def !== fallback)
      problems.push(`"${name}" falls back to ${fallback}, action.yml's default is "${def}"`);
  }
  for (const [name, input] of Object.entries(declared)) {
    const isFlag = /^(true|false)$/.test(String(input?.default ?? "").trim());
    if (isFlag && !new RegExp(`booleanInput\\(\\s*"${name}"`).test(main))
      problems.push(`"${name}" is a yes/no input (default ${input?.default}) not read with booleanInput`);
  }
  return problems;
}

describe("each action reads its inputs as action.yml declares them", () => {
  it("finds the six actions", () => {
    expect(actions).toEqual(["deploy", "gate", "register", "report", "train", "validate-data"]);
  });
  for (const name of actions) {
    it(name, () => {
      const spec = parse(readFileSync(join(ROOT, "actions", name, "action.yml"), "utf8")) as Spec;
      const main = readFileSync(join(ROOT, "actions", name, "src", "main.ts"), "utf8");
      expect(main).toMatch(/booleanInput\(|core\.getInput\(/);
      expect(checkInputs(spec, main)).toEqual([]);
    });
  }
});

describe("the input check catches", () => {
  const spec: Spec = { inputs: { force: { default: "false" }, summary: { default: "true" } } };
  it("a fallback that differs from the default, and a name read under another name", () => {
    const main = `booleanInput("force", core.getInput("force"), true);
booleanInput("summary", core.getInput("force"), true);`;
    expect(checkInputs(spec, main)).toEqual([
      '"force" falls back to true, action.yml\'s default is "false"',
      'booleanInput("summary") reads the input "force"',
    ]);
  });
  it("core.getBooleanInput, and an input that is not declared", () => {
    expect(checkInputs(spec, `core.getBooleanInput("force"); core.getInput("forse");`)).toEqual([
      'reads the input "forse", which action.yml does not declare',
      'reads "force" with core.getBooleanInput (a TypeError for "yes"): use booleanInput',
      '"force" is a yes/no input (default false) not read with booleanInput',
      '"summary" is a yes/no input (default true) not read with booleanInput',
    ]);
  });
});
