import { BerthError, type ErrorCode, isErrorCode, type Location } from "../errors/index.js";
import { didYouMean } from "./did-you-mean.js";

export interface UnknownName {
  /** What kind of name: "codebase", "process", "task", "requirement". */
  what: string;
  name: string;
  /** The names that do exist. */
  known: Iterable<string>;
  /** Where it was looked for (default "this workspace"). */
  within?: string;
  /** The hint when there is none of this kind (default: that there is none). */
  none?: string;
  /** Default `BERTH_UNKNOWN_<WHAT>` if the catalogue has it, else `BERTH_UNKNOWN_NAME`. */
  code?: ErrorCode;
  location?: Location;
}

/**
 * The one error for a name that names nothing (a codebase, process, task or requirement): what was looked
 * for and where, with the likely intended name, or else the names there are.
 */
export function unknownNameError(unknown: UnknownName): BerthError {
  const known = [...unknown.known].sort();
  const within = unknown.within ?? "this workspace";
  const hint =
    didYouMean(unknown.name, known) ??
    (known.length > 0
      ? `${within} has: ${known.join(", ")}`
      : (unknown.none ?? `${within} has no ${unknown.what}`));
  return new BerthError(
    unknown.code ?? codeOf(unknown.what),
    `no ${unknown.what} is named \`${unknown.name}\` in ${within}`,
    { hint, ...(unknown.location ? { location: unknown.location } : {}) },
  );
}

function codeOf(what: string): ErrorCode {
  const code = `BERTH_UNKNOWN_${what.toUpperCase().replace(/\W+/g, "_")}`;
  return isErrorCode(code) ? code : "BERTH_UNKNOWN_NAME";
}
