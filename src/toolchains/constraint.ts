import { satisfies } from "../providers/index.js";

/** Words the version files use for "whatever is installed". */
const ANY = new Set(["", "*", "system", "latest", "node", "stable", "lts/*", "lts"]);

/**
 * Whether a version satisfies a constraint as version files write them: a provider constraint ("18",
 * ">=3.10", the matching of `satisfies`), and npm's and Python's spellings turned into those: "v18",
 * "^18.2", "~18.2", "18.x", ">=18 <21", ">=3.10,<3.13", "~=3.11", "==3.11.*", "18 || 20".
 */
export function matches(version: string, constraint: string): boolean {
  const trimmed = constraint.trim();
  if (ANY.has(trimmed)) return true;
  return trimmed.split("||").some((alternative) => allOf(version, alternative));
}

function allOf(version: string, constraint: string): boolean {
  const parts = constraint
    .replace(/(>=|<=|==|~=|!=|>|<|=|\^|~)\s+/g, "$1")
    .split(/[\s,]+/)
    .filter((part) => part !== "");
  return parts.every((part) => one(version, part));
}

function one(version: string, raw: string): boolean {
  const part = raw.replace(/^v/, "").replace(/(\.[x*])+$/, "");
  if (ANY.has(part) || part.startsWith("!=")) return true;
  const caret = /^\^(\d+(?:\.\d+)*)$/.exec(part);
  if (caret?.[1]) return satisfies(version, `>=${caret[1]}`) && satisfies(version, caret[1].split(".")[0]);
  const tilde = /^~=?(\d+(?:\.\d+)*)$/.exec(part);
  if (tilde?.[1]) {
    const numbers = tilde[1].split(".");
    // npm's ~18.2 keeps 18.2.x; Python's ~=3.11 keeps 3.x (the last number given may rise).
    const kept = part.startsWith("~=") ? numbers.slice(0, -1) : numbers.slice(0, 2);
    return satisfies(version, `>=${tilde[1]}`) && satisfies(version, kept.join(".") || numbers[0]);
  }
  return satisfies(version, part.replace(/^==/, "="));
}

/** The version to ask a version manager to install for a constraint: its first number ("^18.2" → "18.2"). */
export function installableVersion(constraint: string): string | undefined {
  const match = /(\d+(?:\.\d+)*)/.exec(constraint);
  if (!match?.[1]) return undefined;
  // ">=3.10" asks for at least 3.10: install that line; "<3.13" alone names no version to install.
  return /^\s*</.test(constraint) ? undefined : match[1];
}
