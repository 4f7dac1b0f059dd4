import { parseDuration } from "./duration.js";

/** A duration (`parseDuration`'s grammar, or days: "1d") before now, or a date, as an epoch time in ms (for `logs --since`). */
export function sinceToEpoch(since: string, now = Date.now()): number | undefined {
  const days = /^(\d+)d$/.exec(since);
  const ms = days ? Number(days[1]) * 86_400_000 : parseDuration(since);
  if (ms !== undefined) return now - ms;
  const date = Date.parse(since);
  return Number.isNaN(date) ? undefined : date;
}
