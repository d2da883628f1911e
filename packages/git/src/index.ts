export { Git, type GitResult, type GitRunner, spawnGit, type TagInfo } from "./git";
