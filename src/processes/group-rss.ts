import { processTable } from "./process-table.js";

/** Resident memory of every process of each group, summed; group id → bytes. */
export function groupRss(pgids: ReadonlySet<number>): Map<number, number> {
  const totals = new Map<number, number>();
  if (pgids.size === 0) return totals;
  for (const entry of processTable()) {
    if (pgids.has(entry.pgrp)) totals.set(entry.pgrp, (totals.get(entry.pgrp) ?? 0) + entry.rssBytes);
  }
  return totals;
}
