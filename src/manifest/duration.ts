const NUMBER = String.raw`(\d+(?:\.\d+)?)`;

/**
 * The one grammar of durations, for the manifest and the command line alike: a bare number is seconds
 * (`90`, as a YAML number has always meant), otherwise units from hours down to milliseconds, each at most
 * once: `500ms`, `90s`, `5m`, `1h30m`, `1m30s`. Anything else is refused rather than guessed at.
 */
export const DURATION_PATTERN = new RegExp(
  `^(?:${NUMBER}|(?=\\d)(?:${NUMBER}h)?(?:${NUMBER}m(?!s))?(?:${NUMBER}s)?(?:${NUMBER}ms)?)$`,
);

export const DURATION_EXAMPLES = "90s, 5m, 1h30m or 500ms (a bare number is seconds)";

/** A duration in milliseconds, or undefined when `value` is not one. */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  const match = DURATION_PATTERN.exec(value);
  if (!match) return undefined;
  const [, bare, hours, minutes, seconds, ms] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return (
    (bare ?? 0) * 1000 +
    (hours ?? 0) * 3_600_000 +
    (minutes ?? 0) * 60_000 +
    (seconds ?? 0) * 1000 +
    (ms ?? 0)
  );
}

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
