// File sources (the working tree, a git revision, memory) live in @mlci/git, shared with the
// registry; the metrics package re-exports them as part of its surface.
export {
  byCodePoint,
  type FileSource,
  gitRevisionSource,
  memorySource,
  normalizePath,
  SKIPPED_DIRS,
  workingTreeSource,
} from "@mlci/git";
