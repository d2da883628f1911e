import { posix } from "node:path";
import { ParseError, parseStructured } from "./parse-values";
import type { FileSource } from "./source";
import type { FlatValues, ValuesFile } from "./types";

/** How to find the MLflow run for a revision. */
export interface MlflowOptions {
  /** Folder of the file store (default `mlruns`). */
  dir?: string;
  /** Experiment id or name; all experiments when absent. */
  experiment?: string;
  /** A run id; wins over `select`. */
  runId?: string;
  /**
   * `commit`: the run whose `mlflow.source.git.commit` tag is the revision's SHA.
   * `latest`: the latest finished run (by end time, then start time).
   * Default: `commit` when the snapshot has a SHA, else `latest`.
   */
  select?: "commit" | "latest";
  /**
   * Where the store lies. MLflow stores are rarely committed, so the default is the snapshot's
   * source when it holds the store, else the working tree it belongs to.
   */
  store?: FileSource;
}

export interface MlflowRun {
  experimentId: string;
  runId: string;
  runName?: string;
  status?: RunStatus;
  startTime?: number;
  endTime?: number;
  /** The `mlflow.source.git.commit` tag. */
  commit?: string;
  /** Repo-relative folder of the run. */
  dir: string;
}

/** MLflow's RunStatus, in the order of its numeric values 1 to 5 as meta.yaml stores them. */
const STATUS = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;
export type RunStatus = (typeof STATUS)[number];

function runStatus(v: unknown): RunStatus | undefined {
  if (typeof v === "number") return STATUS[v - 1];
  return STATUS.find((s) => s === v);
}

/** Every live run in the store (deleted runs and experiments, and `.trash`, left out). */
export async function listMlflowRuns(store: FileSource, dir = "mlruns"): Promise<MlflowRun[]> {
  const root = dir.replace(/\/+$/, "");
  const files = (await store.listFiles()).filter((f) => f.startsWith(`${root}/`));
  const runs: MlflowRun[] = [];
  const deletedExperiments = new Set<string>();
  for (const f of files) {
    const parts = f.slice(root.length + 1).split("/");
    if (parts.length === 2 && parts[1] === "meta.yaml") {
      const meta = await readMeta(store, f);
      if (meta?.lifecycle_stage === "deleted") deletedExperiments.add(parts[0]!);
    }
  }
  for (const f of files) {
    const parts = f.slice(root.length + 1).split("/");
    if (parts.length !== 3 || parts[2] !== "meta.yaml" || parts[0] === ".trash") continue;
    const [exp = "", run = ""] = parts;
    if (deletedExperiments.has(exp)) continue;
    const meta = await readMeta(store, f);
    if (!meta || meta.lifecycle_stage === "deleted") continue;
    const runDir = `${root}/${exp}/${run}`;
    const commit = (await store.readFile(`${runDir}/tags/mlflow.source.git.commit`))?.toString("utf8").trim();
    const status = runStatus(meta.status);
    runs.push({
      experimentId: String(meta.experiment_id ?? exp),
      runId: String(meta.run_id ?? meta.run_uuid ?? run),
      ...(typeof meta.run_name === "string" ? { runName: meta.run_name } : {}),
      ...(status ? { status } : {}),
      ...(typeof meta.start_time === "number" ? { startTime: meta.start_time } : {}),
      ...(typeof meta.end_time === "number" ? { endTime: meta.end_time } : {}),
      ...(commit ? { commit } : {}),
      dir: runDir,
    });
  }
  return runs;
}

async function experimentIds(store: FileSource, root: string, experiment: string): Promise<Set<string>> {
  const ids = new Set([experiment]);
  for (const f of await store.listFiles()) {
    const parts = f.startsWith(`${root}/`) ? f.slice(root.length + 1).split("/") : [];
    if (parts.length !== 2 || parts[1] !== "meta.yaml") continue;
    const meta = await readMeta(store, f);
    if (meta?.name === experiment) ids.add(parts[0]!);
  }
  return ids;
}

async function readMeta(store: FileSource, path: string): Promise<Record<string, unknown> | undefined> {
  const bytes = await store.readFile(path);
  if (!bytes) return undefined;
  try {
    const v = parseStructured(bytes.toString("utf8"), "yaml");
    return v !== null && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
  } catch (e) {
    if (e instanceof ParseError) return undefined;
    throw e;
  }
}

/** Newest first: by end time, then start time, then run id for a stable order. */
export function byRecency(a: MlflowRun, b: MlflowRun): number {
  return (
    (b.endTime ?? -1) - (a.endTime ?? -1) ||
    (b.startTime ?? -1) - (a.startTime ?? -1) ||
    (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0)
  );
}

/** Python's float(): numbers, and nan/inf/infinity in any case with an optional sign. */
function pyFloat(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  const m = /^([+-]?)(nan|inf|infinity)$/i.exec(t);
  if (!m) return undefined;
  if (m[2]!.toLowerCase() === "nan") return Number.NaN;
  return m[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

/**
 * The current value of a metric history (`timestamp value [step]` per line): the entry with the
 * highest step, then the latest timestamp, then the larger value, as MLflow's file store does.
 * Malformed lines are skipped; undefined when none is left.
 */
export function latestMetricValue(text: string): number | undefined {
  let best: { step: number; ts: number; value: number } | undefined;
  for (const line of text.split(/\r?\n/)) {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 2 && parts.length !== 3) continue;
    const ts = Number(parts[0]);
    const value = pyFloat(parts[1]!);
    const step = parts[2] === undefined ? 0 : Number(parts[2]);
    if (!Number.isFinite(ts) || value === undefined || !Number.isFinite(step)) continue;
    if (
      !best ||
      step > best.step ||
      (step === best.step && (ts > best.ts || (ts === best.ts && value > best.value)))
    ) {
      best = { step, ts, value };
    }
  }
  return best?.value;
}

/** The latest value of each metric and the params of one run. Keys may hold `/`. */
export async function readMlflowRun(
  store: FileSource,
  run: MlflowRun,
): Promise<{ metrics: FlatValues; params: FlatValues }> {
  const metrics: FlatValues = {};
  const params: FlatValues = {};
  for (const f of await store.listFiles()) {
    if (!f.startsWith(`${run.dir}/`)) continue;
    const rel = f.slice(run.dir.length + 1);
    if (rel.startsWith("metrics/")) {
      const value = latestMetricValue((await store.readFile(f))?.toString("utf8") ?? "");
      if (value !== undefined) metrics[rel.slice("metrics/".length)] = value;
    } else if (rel.startsWith("params/")) {
      const text = (await store.readFile(f))?.toString("utf8");
      if (text !== undefined) params[rel.slice("params/".length)] = text.replace(/\r?\n$/, "");
    }
  }
  return { metrics, params };
}

/** Chooses the run for a revision and reads it, as `ValuesFile`s named `mlruns/<exp>/<run>`. */
export async function readMlflow(
  store: FileSource,
  options: MlflowOptions & { sha?: string },
): Promise<{ metrics: ValuesFile; params: ValuesFile; run?: MlflowRun }> {
  const root = (options.dir ?? "mlruns").replace(/\/+$/, "");
  const id = options.experiment === undefined ? "mlflow" : `mlflow:${options.experiment}`;
  let runs = await listMlflowRuns(store, root);
  if (options.experiment !== undefined) {
    const ids = await experimentIds(store, root, options.experiment);
    runs = runs.filter((r) => ids.has(r.experimentId));
  }
  runs.sort(byRecency);
  const where =
    options.experiment === undefined ? `${root}/` : `experiment ${options.experiment} of ${root}/`;
  const select = options.select ?? (options.sha ? "commit" : "latest");
  let run: MlflowRun | undefined;
  let why: string;
  if (options.runId !== undefined) {
    run = runs.find((r) => r.runId === options.runId);
    why = `MLflow run ${options.runId} not found in ${where}`;
  } else if (select === "commit") {
    const sha = options.sha ?? "";
    const tagged = runs.filter(
      (r) => r.commit && sha && (r.commit.startsWith(sha) || sha.startsWith(r.commit)),
    );
    run = tagged.find((r) => r.status === "FINISHED") ?? tagged[0];
    why = `no MLflow run in ${where} has the tag mlflow.source.git.commit = ${sha.slice(0, 12) || "(no SHA)"}`;
  } else {
    run = runs.find((r) => r.status === "FINISHED");
    why = `no finished MLflow run in ${where}`;
  }
  if (!run) {
    const path = options.experiment === undefined ? root : posix.join(root, options.experiment);
    const problem = { kind: "missing" as const, message: why };
    return { metrics: { path, id, values: {}, problem }, params: { path, id, values: {}, problem } };
  }
  const values = await readMlflowRun(store, run);
  return {
    metrics: { path: run.dir, id, values: values.metrics },
    params: { path: run.dir, id, values: values.params },
    run,
  };
}
