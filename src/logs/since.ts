import { parseDuration } from "../manifest/index.js";

/** A duration of a validated manifest (see `parseDuration` for the grammar) in milliseconds. */
export function durationMs(value: number | string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const ms = parseDuration(value);
  if (ms === undefined)
    throw new Error(`bug: ${JSON.stringify(value)} passed validation but is not a duration`);
  return ms;
}

/** A duration as people read it: 850 ms, 7 s, 2 m 5 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A duration (`parseDuration`'s grammar, or days: "1d") before now, or a date, as an epoch time in ms (for `logs --since`). */
export function sinceToEpoch(since: string, now = Date.now()): number | undefined {
  const days = /^(\d+)d$/.exec(since);
  const ms = days ? Number(days[1]) * 86_400_000 : parseDuration(since);
  if (ms !== undefined) return now - ms;
  const date = Date.parse(since);
  return Number.isNaN(date) ? undefined : date;
}
