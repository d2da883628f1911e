import { escapeMarkdown, escapePlain, fencedCode } from "./escape";
import type { PolicyResolution } from "./policy-source";

/**
 * The note on which policy applied, with the change as a diff: empty when the policy file is the
 * same on both sides and the base's applied. A policy that the pull request chose itself (bootstrap,
 * policy-from: head) is a warning; a change that waits for the merge is a note.
 */
export function renderPolicyChangeMarkdown(resolution: PolicyResolution): string {
  const { note, change } = resolution;
  if (note === undefined && change === undefined) return "";
  const out: string[] = [];
  const kind = resolution.provenance.source === "head" ? "WARNING" : "NOTE";
  if (note !== undefined) out.push(`> [!${kind}]`, `> ${escapeMarkdown(note)}`);
  if (change !== undefined && change.diff !== "") {
    if (out.length > 0) out.push("");
    out.push(
      "<details><summary>Policy change (base → pull request)</summary>",
      "",
      fencedCode(change.diff, "diff"),
      "",
      "</details>",
    );
  }
  return out.join("\n");
}

export function renderPolicyChangeText(resolution: PolicyResolution): string {
  const { note, change } = resolution;
  const out: string[] = [];
  if (note !== undefined) out.push(escapePlain(note));
  if (change !== undefined && change.diff !== "") out.push(...change.diff.split("\n").map(escapePlain));
  return out.join("\n");
}
