import { readFile } from "node:fs/promises";
import { MlciError, writeFileAtomic } from "@mlci/common";
import { PROFILE_VERSION, type Profile } from "./profile-format";

/**
 * Where profiles live. A run writes `mlci-profile.json` (the action's `profile-path` output).
 * The reference profile of a model is the profile of the data it was trained on, committed as
 * `mlci-profile.json` with the model: `registry:<artifact>#<stage>` reads it at the commit of the
 * version that holds the stage. A copy may be attached to the version's GitHub release as the
 * asset `mlci-data-profile.json`, for readers without the repository. Any file can be given too.
 */
export const DEFAULT_PROFILE_PATH = "mlci-profile.json";
export const PROFILE_ASSET_NAME = "mlci-data-profile.json";

/** Parses profile JSON, checking its kind and version. */
export function parseProfile(text: string, file: string): Profile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MlciError("INPUT", `not valid JSON: ${(err as Error).message}`, { location: { file } });
  }
  const p = value as Partial<Profile> | null;
  if (!p || typeof p !== "object" || p.kind !== "mlci-profile") {
    throw new MlciError("INPUT", "not an mlci profile (no `kind: mlci-profile`)", { location: { file } });
  }
  if (p.version !== PROFILE_VERSION) {
    throw new MlciError(
      "INPUT",
      `profile version ${String(p.version)} is not supported (expected ${PROFILE_VERSION})`,
      {
        location: { file, key: "version" },
        hint: "profile the data again with this mlci version",
      },
    );
  }
  if (!Array.isArray(p.columns) || !p.dataset || !p.config) {
    throw new MlciError("INPUT", "the profile lacks `columns`, `dataset` or `config`", {
      location: { file },
    });
  }
  return p as Profile;
}

export async function readProfile(path: string): Promise<Profile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new MlciError("NOT_FOUND", "profile not found", { location: { file: path } });
  }
  return parseProfile(text, path);
}

/** Writes a profile atomically, as compact JSON with a final newline. */
export async function writeProfile(path: string, profile: Profile): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(profile)}\n`);
}
