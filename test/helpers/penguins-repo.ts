import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TempRepo } from "./git-repo";

const example = join(import.meta.dirname, "..", "..", "examples", "penguins");

/** Runs the example's three stages as DVC would, in order, in the repository. */
export function trainPenguins(dir: string): void {
  for (const stage of ["prepare", "train", "evaluate"]) {
    execFileSync("python3", [`src/${stage}.py`], { cwd: dir, stdio: "pipe" });
  }
}

export interface PenguinsRepo {
  repo: TempRepo;
  baseSha: string;
  headSha: string;
}

/**
 * A real git repository made from examples/penguins: `main` holds the committed metrics of the
 * default params; branch `feature` changes `train.epochs` and retrains, leaving the new metrics in
 * the working tree (as after a training step in CI) and, with `commitHead`, committed too.
 */
export function makePenguinsRepo(options: { epochs?: number; commitHead?: boolean } = {}): PenguinsRepo {
  const repo = new TempRepo("mlci-penguins-");
  cpSync(example, repo.dir, {
    recursive: true,
    filter: (src) => !/(__pycache__|data\/prepared|\/model)(\/|$)/.test(src.slice(example.length)),
  });
  const baseSha = repo.commit("Train the baseline");
  repo.git("checkout", "-q", "-b", "feature");
  const params = join(repo.dir, "params.yaml");
  writeFileSync(
    params,
    readFileSync(params, "utf8").replace(/epochs: \d+/, `epochs: ${options.epochs ?? 150}`),
  );
  const headSha = repo.commit("Train longer");
  trainPenguins(repo.dir);
  if (options.commitHead) repo.commit("Record the new metrics");
  return { repo, baseSha, headSha: options.commitHead ? repo.git("rev-parse", "HEAD").trim() : headSha };
}
