import { processTable } from "./process-table.js";

/** CPU time used so far by the living members of each group, summed, in clock ticks; group id → ticks. */
export function groupCpuTicks(pgids: ReadonlySet<number>): Map<number, number> {
  const totals = new Map<number, number>();
  if (pgids.size === 0) return totals;
  for (const entry of processTable()) {
    if (pgids.has(entry.pgrp)) totals.set(entry.pgrp, (totals.get(entry.pgrp) ?? 0) + entry.cpuTicks);
  }
  return totals;
}
