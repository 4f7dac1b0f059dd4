import { DURATION_EXAMPLES, parseDuration } from "../api/format.js";
import { BerthError } from "../errors/index.js";

/** A duration given to a flag, in milliseconds; anything that is not one is an error naming the flag. */
export function durationFlag(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw new BerthError("BERTH_USAGE", `${flag}: ${JSON.stringify(text)} is not a duration`, {
      hint: `write e.g. ${DURATION_EXAMPLES}`,
    });
  }
  return ms;
}
