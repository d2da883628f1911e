import { createHash } from "node:crypto";
import type { GateResult } from "@mlci/gate";

/**
 * A digest of the metrics the gate judged: `sha256:` and the hex hash of their file, key and value,
 * sorted. Stored with the deployment, it ties what was deployed to the numbers that let it through;
 * the same values give the same digest on every machine, whatever the rule order.
 */
export function metricsDigest(result: GateResult): string {
  const rows = new Map<string, unknown>();
  for (const rule of result.rules) {
    for (const m of rule.metrics) {
      if (!m.matched || m.head === undefined) continue;
      rows.set(JSON.stringify([m.file ?? "", m.metric]), m.head);
    }
  }
  const canonical = [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => [...(JSON.parse(k) as string[]), v]);
  return `sha256:${createHash("sha256").update(JSON.stringify(canonical)).digest("hex")}`;
}
