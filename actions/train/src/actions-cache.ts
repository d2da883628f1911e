/**
 * The DVC cache kept in GitHub's cache service, through `@actions/cache` (which finds the service
 * with ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL and ACTIONS_RUNTIME_TOKEN, set by the runner).
 */
import * as cache from "@actions/cache";
import type { CacheService } from "@mlci/app";

export function actionsCacheService(): CacheService {
  return {
    unavailable: () =>
      cache.isFeatureAvailable()
        ? undefined
        : "GitHub's cache service is not available here (ACTIONS_RESULTS_URL / ACTIONS_CACHE_URL are not set)",
    restore: (paths, primaryKey, restoreKeys) => cache.restoreCache(paths, primaryKey, restoreKeys),
    async save(paths, key) {
      // saveCache reports most failures (the key taken by another job, an upload that failed) by a
      // log line and -1 rather than by throwing; -1 is not a saved cache.
      const id = await cache.saveCache(paths, key);
      if (id === -1)
        throw new Error(`GitHub's cache service did not store ${key} (its reason is logged above)`);
    },
  };
}
