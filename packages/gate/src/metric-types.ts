/**
 * The metrics package's types the gate uses, in one place. The gate depends on these types only:
 * directions and values are handed in by the caller, so gate stays pure and testable.
 */
export type { Direction, FlatValues, MetricValue, ValuesFile } from "@mlci/metrics";
