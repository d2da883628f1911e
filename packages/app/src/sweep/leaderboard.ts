import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { type Direction, directionResolver, type MlciConfig, parseValuesFile } from "@mlci/metrics";
import { type Project, repoPath, selectStages } from "@mlci/pipeline";
import { codeSpan, escapeText, formatNumber } from "@mlci/report";
import { sweepUnits } from "./units";

export const LEADERBOARD_VERSION = 1;

export interface LeaderboardRow {
  /** The run's root stage (`train@lr0.1-l20.001`). */
  run: string;
  /** The metric's value, when a metrics file of the run holds a number under the key. */
  value?: number;
  /** The metrics file the value came from. */
  file?: string;
  /** The shard directory that produced the run in this merge (none: the workspace's result). */
  shard?: string;
  /** Why there is no value. */
  note?: string;
}

export interface Leaderboard {
  version: typeof LEADERBOARD_VERSION;
  metric: string;
  direction: Direction;
  /** `given` (a flag), `config` (.mlci/config.yml), `inferred` (the name) or `default` (higher). */
  directionSource: "given" | "config" | "inferred" | "default";
  /** Best first; runs without a value last, in pipeline order. */
  rows: LeaderboardRow[];
  best?: LeaderboardRow;
}

/** `file:key` when the part before `:` names one of the files, else the whole text is the key. */
function splitMetric(metric: string, files: readonly string[]): { file?: string; key: string } {
  const i = metric.indexOf(":");
  if (i > 0 && files.includes(metric.slice(0, i)))
    return { file: metric.slice(0, i), key: metric.slice(i + 1) };
  return { key: metric };
}

/**
 * Ranks the sweep's runs by one metric, read from each run's metrics files in the workspace
 * (after the merge copied the shards' files there).
 */
export async function buildLeaderboard(
  project: Project,
  o: {
    metric: string;
    direction?: Direction;
    config: MlciConfig;
    /** Stage → shard directory, for the runs this merge took from shards. */
    shards?: ReadonlyMap<string, string>;
    targets?: readonly string[];
  },
): Promise<Leaderboard> {
  const graph = project.graph;
  const { units } = sweepUnits(
    graph,
    selectStages(graph, o.targets?.length ? { targets: [...o.targets] } : {}),
  );
  const rows: LeaderboardRow[] = [];
  let firstFile: string | undefined;
  for (const unit of units.filter((u) => u.kind === "run")) {
    const files = unit.stages.flatMap((name) => {
      const stage = graph.byName.get(name);
      return stage ? stage.outs.filter((x) => x.kind === "metric").map((x) => repoPath(stage, x.path)) : [];
    });
    const { file: only, key } = splitMetric(o.metric, files);
    const row: LeaderboardRow = { run: unit.name };
    const shard = unit.stages.map((s) => o.shards?.get(s)).find((s) => s !== undefined);
    if (shard !== undefined) row.shard = shard;
    for (const file of files.filter((f) => only === undefined || f === only)) {
      const bytes = await readFile(join(project.root, file)).catch(() => null);
      if (!bytes) continue;
      const value = parseValuesFile(file, bytes).values[key];
      if (typeof value === "number" && Number.isFinite(value)) {
        row.value = value;
        row.file = file;
        firstFile ??= file;
        break;
      }
    }
    if (row.value === undefined)
      row.note = files.length ? `no number at ${key}` : "the run declares no metrics file";
    rows.push(row);
  }
  let direction = o.direction;
  let source: Leaderboard["directionSource"] = "given";
  if (!direction) {
    const resolved = directionResolver(o.config.metrics.direction)(
      firstFile ?? "",
      splitMetric(o.metric, []).key,
    );
    direction = resolved.direction;
    source = resolved.source;
  }
  const sign = direction === "lower" ? 1 : -1;
  const ranked = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      if (a.r.value === undefined || b.r.value === undefined)
        return (a.r.value === undefined ? 1 : 0) - (b.r.value === undefined ? 1 : 0) || a.i - b.i;
      return sign * (a.r.value - b.r.value) || a.i - b.i;
    })
    .map(({ r }) => r);
  const best = ranked[0]?.value !== undefined ? ranked[0] : undefined;
  return {
    version: LEADERBOARD_VERSION,
    metric: o.metric,
    direction,
    directionSource: source,
    rows: ranked,
    ...(best ? { best } : {}),
  };
}

const MAX_ROWS = 100;

/** The leaderboard as a report section (markdown; stage names and keys escaped). */
export function renderLeaderboard(lb: Leaderboard): string {
  const metric = codeSpan(lb.metric);
  const dir = `${lb.direction} is better${lb.directionSource === "given" ? "" : `, ${lb.directionSource}`}`;
  const lines = ["### Sweep leaderboard", ""];
  if (lb.best?.value !== undefined) {
    lines.push(
      `Best run: ${codeSpan(lb.best.run, { context: "prose" })} with ${codeSpan(lb.metric, { context: "prose" })} = ${formatNumber(lb.best.value)} (${dir}).`,
      "",
    );
  } else {
    lines.push(`No run has a number at ${codeSpan(lb.metric, { context: "prose" })}.`, "");
  }
  lines.push(`| # | Run | ${metric} | Shard |`, "| -: | :- | -: | :- |");
  lb.rows.slice(0, MAX_ROWS).forEach((r, i) => {
    const rank = r.value === undefined ? "–" : `${i + 1}${r === lb.best ? " 🏆" : ""}`;
    const value = r.value === undefined ? escapeText(r.note ?? "–") : formatNumber(r.value);
    const shard = r.shard === undefined ? "workspace" : escapeText(basename(r.shard));
    lines.push(`| ${rank} | ${codeSpan(r.run)} | ${value} | ${shard} |`);
  });
  if (lb.rows.length > MAX_ROWS)
    lines.push("", `<sub>${lb.rows.length - MAX_ROWS} more runs not shown.</sub>`);
  lines.push(
    "",
    `<sub>${lb.rows.length} run${lb.rows.length === 1 ? "" : "s"}, ranked by ${metric} (${dir}).</sub>`,
  );
  return `${lines.join("\n")}\n`;
}
