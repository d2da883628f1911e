import type { TagAction } from "./tag-grammar";

/**
 * Default tag messages. Register, assign and deregister are GTO's exact texts (gto/registry.py);
 * GTO writes "Unassigning stage 'prod' to artifact 'm' version 'v1'" and "Deprecating artifact
 * 'm'", which we word like the others (nothing reads messages back).
 */
export function defaultMessage(e: {
  action: TagAction;
  artifact: string;
  version?: string;
  stage?: string;
}): string {
  switch (e.action) {
    case "register":
      return `Registering artifact ${e.artifact} version ${e.version}`;
    case "deregister":
      return `Deregistering artifact ${e.artifact} version ${e.version}`;
    case "assign":
      return `Assigning stage ${e.stage} to artifact ${e.artifact} version ${e.version}`;
    case "unassign":
      return `Unassigning stage ${e.stage} from artifact ${e.artifact} version ${e.version}`;
    case "deprecate":
      return `Deprecating artifact ${e.artifact}`;
  }
}
