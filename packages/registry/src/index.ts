export {
  ARTIFACTS_YAML,
  type ArtifactDeclaration,
  type ArtifactDeclarations,
  DVC_YAML,
  parseArtifactsYaml,
  parseDvcYamlArtifacts,
  readArtifactDeclarations,
} from "./artifacts";
export {
  type BumpPart,
  bumpFromLabels,
  bumpVersion,
  FIRST_VERSION,
  findVersionAtCommit,
  nextVersion,
  parseBump,
  resolveBump,
} from "./bump";
export {
  type ArtifactChange,
  artifactsChangedBetween,
  changedArtifacts,
  type LockOut,
  readLockOuts,
} from "./changed-artifacts";
export { nextCounter } from "./counter";
export { type FileSource, gitRevisionSource, memorySource, workingTreeSource } from "./file-source";
export { type AssignOptions, assign, type RegisterOptions, register } from "./local";
export { history, readRegistry, show } from "./local-read";
export { deprecate, deregister, unassign } from "./local-retire";
export type { AssignOutcome, StageOptions, TagOutcome } from "./local-shared";
export { defaultMessage } from "./messages";
export {
  renderShowJson,
  SHOW_JSON_VERSION,
  type ShowJson,
  type ShowJsonArtifact,
  type ShowJsonVersion,
  toShowJson,
} from "./show-json";
export {
  type ArtifactState,
  type BuildStateOptions,
  buildRegistryState,
  type RegistryEvent,
  type RegistryState,
  registryHistory,
  type StageHold,
  sortVersions,
  type VersionState,
} from "./state";
export {
  checkArtifactName,
  checkName,
  checkVersion,
  type DeprecateTag,
  formatTag,
  isTagError,
  isVersion,
  nameToTag,
  type ParsedTag,
  parseTag,
  type StageTag,
  splitArtifactName,
  type TagAction,
  type TagError,
  tagToName,
  type VersionTag,
} from "./tag-grammar";
export { compareEventOrder, type EventOrderKey } from "./tag-order";
export {
  type CreatedTag,
  nextTaggerDate,
  pushTag,
  TagExistsError,
  type Tagger,
  type TagRequest,
  type WriteOptions,
  writeTag,
} from "./tag-writer";
export { compareVersions, maxVersion, type VersionSort } from "./version-order";
