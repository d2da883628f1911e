export {
  byCodePoint,
  type FileSource,
  gitRevisionSource,
  memorySource,
  normalizePath,
  SKIPPED_DIRS,
  workingTreeSource,
} from "./file-source";
export { Git, type GitResult, type GitRunner, spawnGit, type TagInfo } from "./git";
