import { type FileSource, type Git, workingTreeSource as treeSource } from "@mlci/git";

// One implementation of file sources, in @mlci/git, shared with the metrics package.
export { type FileSource, gitRevisionSource, memorySource } from "@mlci/git";

/** The working tree of the repository `git` belongs to, whatever folder it was opened in. */
export async function workingTreeSource(git: Git): Promise<FileSource> {
  return treeSource(await git.topLevel());
}
