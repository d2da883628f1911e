import { createRelease, dispatchWorkflow, findReleaseByTag } from "@mlci/github";
import { defaultMessage } from "@mlci/registry";
import type { CardFacts } from "./card-data";
import { renderCardMarkdown } from "./model-card";
import type { RegisterActionDeps, RegisteredArtifact } from "./register-action";
import { assignRemote, type RemoteOutcome, type RemoteRegistryDeps } from "./remote-registry";

export interface PublishOptions {
  deps: RegisterActionDeps;
  registry: RemoteRegistryDeps;
  facts: CardFacts;
  /** The registration written or found. */
  reg: RemoteOutcome;
  stage: string;
}

/** The stage tag's message: GTO's line, and where it came from. */
function stageMessage(name: string, stage: string, version: string, runUrl: string | undefined): string {
  const first = defaultMessage({ action: "assign", artifact: name, stage, version });
  return runUrl ? `${first}\n\nWorkflow run: ${runUrl}\n` : `${first}\n`;
}

/**
 * What follows a registration: the GitHub Release with the model card (only for a version this
 * run registered; a re-run just reports the existing release), the stage tag, and the dispatch
 * of the deployment workflow, which happens only when this run created the tag that triggers it,
 * so a re-run or a lost race never deploys twice.
 */
export async function publishVersion(o: PublishOptions): Promise<RegisteredArtifact> {
  const { deps, reg, stage } = o;
  const { inputs, ctx, log, octokit } = deps;
  const out: RegisteredArtifact = {
    name: reg.name,
    version: reg.version,
    commit: reg.commit,
    tag: reg.tag,
    created: reg.created,
    stage: "",
    stageTag: "",
    stageCreated: false,
    releaseUrl: "",
    releaseCreated: false,
    dispatched: false,
    notes: reg.note ? [reg.note] : [],
  };
  const repo = { owner: ctx.owner, repo: ctx.repo };

  if (inputs.release) {
    if (reg.created) {
      const release = await createRelease(octokit, {
        ...repo,
        tagName: reg.tag,
        name: `${reg.name} ${reg.version}`,
        body: renderCardMarkdown({ ...o.facts, version: reg.version }),
        prerelease: reg.version.includes("-"),
      });
      out.releaseUrl = release.url;
      out.releaseCreated = release.created;
      log.info(`${release.created ? "created" : "found"} release ${release.url}`);
    } else {
      out.releaseUrl = (await findReleaseByTag(octokit, { ...repo, tagName: reg.tag }))?.url ?? "";
    }
  }

  let trigger: { tag: string; created: boolean } = { tag: reg.tag, created: reg.created };
  if (stage) {
    const assigned = await assignRemote(o.registry, {
      name: reg.name,
      stage,
      version: reg.version,
      message: (version) => stageMessage(reg.name, stage, version, ctx.runUrl),
    });
    out.stage = stage;
    out.stageTag = assigned.tag;
    out.stageCreated = assigned.created;
    if (assigned.note) out.notes.push(assigned.note);
    log.info(
      assigned.created
        ? `assigned ${stage} to ${reg.name} ${reg.version} (tag ${assigned.tag})`
        : `${reg.name}: ${assigned.note ?? "stage held already"}; no stage tag written`,
    );
    trigger = { tag: assigned.tag, created: assigned.created };
  }

  const workflow = inputs.dispatchWorkflow.trim();
  if (workflow) {
    if (trigger.created) {
      const ref = inputs.dispatchRef.trim() || `refs/tags/${trigger.tag}`;
      await dispatchWorkflow(octokit, {
        ...repo,
        workflow,
        ref,
        inputs: { artifact: reg.name, version: reg.version, stage, tag: trigger.tag },
      });
      out.dispatched = true;
      log.info(`dispatched ${workflow} on ${ref} for ${trigger.tag}`);
    } else {
      log.info(`${trigger.tag} was not created by this run; ${workflow} is not dispatched again`);
    }
  }
  return out;
}
