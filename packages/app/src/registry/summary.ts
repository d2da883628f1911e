import { codeSpan, link } from "@mlci/report";
import type { RegisterActionResult } from "./register-action";

/** The job summary: one row per artifact, what was written and what was found. */
export function renderRegisterSummary(result: RegisterActionResult): string {
  const rows = result.artifacts.map((a) => {
    const wrote = [a.created && "registration", a.stageCreated && "stage", a.releaseCreated && "release"]
      .filter(Boolean)
      .join(", ");
    return [
      codeSpan(a.name),
      codeSpan(a.version),
      codeSpan(a.tag),
      a.stageTag ? codeSpan(a.stageTag) : "",
      a.releaseUrl ? link("release", a.releaseUrl) : "",
      wrote || "nothing (exists already)",
    ];
  });
  const lines = [
    `### mlci register: ${codeSpan(result.commit.slice(0, 7), { context: "prose" })}`,
    "",
    "| Artifact | Version | Tag | Stage tag | Release | Written |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
  return `${lines.join("\n")}\n`;
}
