import { assign, deprecate, deregister, register, unassign } from "@mlci/registry";
import type { Command } from "../command";
import {
  bumpOf,
  nameArg,
  printOutcome,
  repoGit,
  str,
  targetOf,
  writeHelp,
  writeOptions,
  writeOptionsOf,
} from "./registry-shared";

/** Thin commands over the local use cases of @mlci/registry: annotated tags in this clone, `--push` to share them. */

export const registryRegisterCommand: Command = {
  name: "registry register",
  summary: "Register a version of an artifact at a commit (annotated tag name@vX.Y.Z)",
  usage:
    "mlci registry register <name> [--version v1.2.3 | --bump patch|minor|major] [--ref REV] [-m msg] [--push] [--remote origin]",
  examples: [
    "mlci registry register churn",
    "mlci registry register churn --bump minor --push",
    "mlci registry register churn --version v1.0.0 --ref 3f2a9c0 -m 'First release'",
  ],
  options: {
    version: { type: "string" },
    bump: { type: "string" },
    ref: { type: "string" },
    ...writeOptions,
  },
  optionHelp: {
    version: "register exactly this version (`v1.2.3`, full SemVer) instead of the next one",
    bump: "which part of the greatest version to bump: patch (default), minor or major",
    ref: "the commit to register (any revision; default HEAD)",
    ...writeHelp,
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const name = nameArg(positionals, "register");
    const bump = bumpOf(values);
    const version = str(values.version);
    const ref = str(values.ref);
    const out = await register(await repoGit(values, ctx), {
      ...writeOptionsOf(values),
      name,
      ...(ref !== undefined ? { commit: ref } : {}),
      ...(version !== undefined ? { version } : {}),
      ...(bump !== undefined ? { bump } : {}),
    });
    printOutcome(ctx, out, values);
    return 0;
  },
};

export const registryAssignCommand: Command = {
  name: "registry assign",
  summary: "Assign a stage to a version (tag name#stage#N); a commit without a version is registered first",
  usage:
    "mlci registry assign <name> --stage <stage> [--version v1.2.3 | --ref REV] [--bump part] [--force] [-m msg] [--push]",
  examples: [
    "mlci registry assign churn --stage prod --version v1.2.0 --push",
    "mlci registry assign churn --stage staging --ref HEAD",
  ],
  options: {
    stage: { type: "string" },
    version: { type: "string" },
    ref: { type: "string" },
    bump: { type: "string" },
    force: { type: "boolean" },
    ...writeOptions,
  },
  optionHelp: {
    stage: "the stage to assign (`prod`, `staging`)",
    version: "the version to assign the stage to (`v1.2.3`)",
    ref: "or the commit (default HEAD); one without a version is registered first",
    bump: "the bump for that registration: patch (default), minor or major",
    force: "write a new assignment even when the version holds the stage already",
    ...writeHelp,
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const name = nameArg(positionals, "assign");
    const bump = bumpOf(values);
    const out = await assign(await repoGit(values, ctx), {
      ...writeOptionsOf(values),
      name,
      stage: str(values.stage) ?? "",
      ...targetOf(values, true),
      ...(bump !== undefined ? { bump } : {}),
      ...(values.force === true ? { force: true } : {}),
    });
    printOutcome(ctx, out, values);
    return 0;
  },
};

export const registryUnassignCommand: Command = {
  name: "registry unassign",
  summary: "Take a stage away from a version (tag name#stage!#N)",
  usage:
    "mlci registry unassign <name> --stage <stage> [--version v1.2.3 | --ref REV] [--force] [-m msg] [--push]",
  examples: ["mlci registry unassign churn --stage prod --version v1.1.0 --push"],
  options: {
    stage: { type: "string" },
    version: { type: "string" },
    ref: { type: "string" },
    force: { type: "boolean" },
    ...writeOptions,
  },
  optionHelp: {
    stage: "the stage to take away",
    version: "the version that holds it (`v1.2.3`)",
    ref: "or its commit (default HEAD)",
    force: "write the tag even when the version does not hold the stage",
    ...writeHelp,
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const name = nameArg(positionals, "unassign");
    const out = await unassign(await repoGit(values, ctx), {
      ...writeOptionsOf(values),
      name,
      stage: str(values.stage) ?? "",
      ...targetOf(values, true),
      ...(values.force === true ? { force: true } : {}),
    });
    printOutcome(ctx, out, values);
    return 0;
  },
};

export const registryDeregisterCommand: Command = {
  name: "registry deregister",
  summary: "Deregister a version (tag name@vX.Y.Z!); its tags stay, the registry marks it inactive",
  usage: "mlci registry deregister <name> (--version v1.2.3 | --ref REV) [-m msg] [--push]",
  examples: ["mlci registry deregister churn --version v1.1.0 --push"],
  options: { version: { type: "string" }, ref: { type: "string" }, ...writeOptions },
  optionHelp: { version: "the version to deregister", ref: "or its commit", ...writeHelp },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const name = nameArg(positionals, "deregister");
    const out = await deregister(await repoGit(values, ctx), {
      ...writeOptionsOf(values),
      name,
      ...targetOf(values, false),
    });
    printOutcome(ctx, out, values);
    return 0;
  },
};

export const registryDeprecateCommand: Command = {
  name: "registry deprecate",
  summary: "Deprecate an artifact (tag name@deprecated); a later registration makes it active again",
  usage: "mlci registry deprecate <name> [--ref REV] [-m msg] [--push]",
  examples: ["mlci registry deprecate old-model --push"],
  options: { ref: { type: "string" }, ...writeOptions },
  optionHelp: {
    ref: "the commit to put the tag on (default: that of the artifact's latest event)",
    ...writeHelp,
  },
  allowPositionals: true,
  async run({ values, positionals }, ctx) {
    const name = nameArg(positionals, "deprecate");
    const ref = str(values.ref);
    const out = await deprecate(await repoGit(values, ctx), {
      ...writeOptionsOf(values),
      name,
      ...(ref !== undefined ? { commit: ref } : {}),
    });
    printOutcome(ctx, out, values);
    return 0;
  },
};
