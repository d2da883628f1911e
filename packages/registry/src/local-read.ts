import { MlciError } from "@mlci/common";
import type { Git } from "@mlci/git";
import {
  type ArtifactState,
  type BuildStateOptions,
  buildRegistryState,
  type RegistryEvent,
  type RegistryState,
  registryHistory,
} from "./state";

/** The registry as the repository's tags describe it now. */
export async function readRegistry(git: Git, options: BuildStateOptions = {}): Promise<RegistryState> {
  return buildRegistryState(await git.listTags(), options);
}

/** The whole registry, or one artifact's part of it (NOT_FOUND when it has no tags). */
export async function show(
  git: Git,
  options: BuildStateOptions & { name?: string } = {},
): Promise<RegistryState> {
  const state = await readRegistry(git, options);
  if (options.name === undefined) return state;
  const artifact = requireArtifact(state, options.name);
  return { ...state, artifacts: new Map([[artifact.name, artifact]]) };
}

/** Every registry event (or one artifact's), oldest first. */
export async function history(git: Git, name?: string): Promise<RegistryEvent[]> {
  const state = await readRegistry(git);
  if (name !== undefined) requireArtifact(state, name);
  return registryHistory(state, name);
}

export function requireArtifact(state: RegistryState, name: string): ArtifactState {
  const a = state.artifacts.get(name);
  if (!a) throw new MlciError("NOT_FOUND", `artifact "${name}" has no registry tags`);
  return a;
}
