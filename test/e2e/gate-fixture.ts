import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TempRepo } from "../helpers/git-repo";
import { trainPenguins } from "../helpers/penguins-repo";

const root = join(import.meta.dirname, "..", "..");

/** The policy on main. Training longer passes it; training for 3 epochs fails it. */
export const PENGUINS_POLICY = `# yaml-language-server: $schema=https://mlci.dev/schemas/gates.schema.json
version: 1
rules:
  - id: accuracy
    metric: metrics.json:eval.accuracy
    min: 0.95
    max_drop: "1%"
  - id: log-loss
    metric: eval.log_loss
    max_drop: "10%"
  - id: recall
    metric: "eval.per_class.*.recall"
    min: 0.9
`;
/** The same rules, loosened until 3 epochs pass. */
export const LOOSENED_POLICY = PENGUINS_POLICY.replace("min: 0.95", "min: 0.5")
  .replace('max_drop: "1%"', 'max_drop: "50%"')
  .replace('max_drop: "10%"', 'max_drop: "1000%"')
  .replace("min: 0.9", "min: 0");

export interface GateRepo {
  repo: TempRepo;
  baseSha: string;
  headSha: string;
}

/** examples/penguins with the policy on main; branch `feature` retrains with `epochs` (metrics left in the working tree). */
export function penguinsGateRepo(o: { epochs: number; headPolicy?: string }): GateRepo {
  const example = join(root, "examples", "penguins");
  const repo = new TempRepo("mlci-gate-e2e-");
  cpSync(example, repo.dir, {
    recursive: true,
    filter: (src) => !/(__pycache__|data\/prepared|\/model)(\/|$)/.test(src.slice(example.length)),
  });
  repo.write({ ".mlci/gates.yml": PENGUINS_POLICY });
  const baseSha = repo.commit("Train the baseline");
  repo.git("checkout", "-q", "-b", "feature");
  const params = join(repo.dir, "params.yaml");
  writeFileSync(params, readFileSync(params, "utf8").replace(/epochs: \d+/, `epochs: ${o.epochs}`));
  if (o.headPolicy) repo.write({ ".mlci/gates.yml": o.headPolicy });
  const headSha = repo.commit(`Train for ${o.epochs} epochs`);
  trainPenguins(repo.dir);
  return { repo, baseSha, headSha };
}
