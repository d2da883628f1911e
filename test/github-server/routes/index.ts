import { checkRoutes } from "./checks";
import { commentRoutes } from "./comments";
import type { HandlerTable } from "./context";
import { deploymentRoutes } from "./deployments";
import { gitRoutes } from "./git";
import { pullRoutes } from "./pulls";
import { releaseRoutes } from "./releases";
import { repoRoutes } from "./repos";

/** Every implemented operation, by OpenAPI operationId. */
export function defaultHandlers(): HandlerTable {
  return {
    ...repoRoutes,
    ...pullRoutes,
    ...commentRoutes,
    ...checkRoutes,
    ...gitRoutes,
    ...releaseRoutes,
    ...deploymentRoutes,
  };
}
