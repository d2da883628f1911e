import type { Profile } from "../profile/profile-format";
import type { DataSource } from "../readers/sources";
import { profileDataset, type ScanDatasetOptions } from "../scan/scan-dataset";
import { compareProfiles, type DriftOptions, type DriftReport } from "./drift";

/**
 * Profiles a data set with the reference profile's sketch settings and compares it with the
 * reference. Returns the current profile too, so callers can store it.
 */
export async function compareDataset(
  sources: readonly DataSource[],
  reference: Profile,
  options: ScanDatasetOptions & DriftOptions = {},
): Promise<{ profile: Profile; drift: DriftReport }> {
  const { kllK, hllLgK, frequentCapacity, valueCountLimit, sampleSize, nullValues } = reference.config;
  const profile = await profileDataset(sources, {
    ...options,
    sketches: { kllK, hllLgK, frequentCapacity, valueCountLimit, sampleSize },
    nullValues,
  });
  return { profile, drift: compareProfiles(reference, profile, options) };
}
