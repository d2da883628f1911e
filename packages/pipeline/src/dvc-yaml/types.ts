import type { Value } from "../values";

/** An output of a stage: `outs`, `metrics` or `plots` in dvc.yaml. */
export interface StageOut {
  /** The path as written in dvc.yaml (relative to the stage's wdir), as DVC records it in dvc.lock. */
  path: string;
  kind: "out" | "metric" | "plot";
  /** Stored in the DVC cache (default true). */
  cache: boolean;
  /** Kept (not removed) before the stage runs. */
  persist: boolean;
  /** Pushed to remotes (default true). */
  push: boolean;
  remote?: string;
  desc?: string;
}

/** Tracked params of one file: `keys` null means the whole file. */
export interface ParamsRef {
  /** The file as written (relative to the stage's wdir), `params.yaml` by default. */
  file: string;
  keys: string[] | null;
}

export interface Stage {
  /** The stage name, `name@key` for foreach and matrix stages. */
  name: string;
  /** The resolved command, a list when dvc.yaml gives a list (run in order). */
  cmd: string | string[];
  /** Working directory, posix, relative to the repository root ("." for the root). */
  wdir: string;
  /** Dependencies as written (relative to wdir), in dvc.yaml order. */
  deps: string[];
  params: ParamsRef[];
  /** Outputs, metrics and plots, in dvc.yaml order. */
  outs: StageOut[];
  frozen: boolean;
  alwaysChanged: boolean;
  desc?: string;
  meta?: Value;
  /** Where the stage is defined (the `foreach`/`matrix` group for generated stages). */
  source: { file: string; line?: number; key: string };
}

export interface Pipeline {
  /** Absolute repository root (the directory that holds `.dvc`, or the pipeline's directory). */
  root: string;
  /** dvc.yaml path relative to the root, posix. */
  file: string;
  stages: Stage[];
}
