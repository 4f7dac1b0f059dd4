import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";

const reported = new Map<string, { file: string; version: string | undefined }>();

/**
 * The major version a binary reports (`--version`), e.g. "15", "10.11", "7", "1.6". Asked once per
 * binary file: running it costs tens of milliseconds, and an upgrade replaces the file.
 */
export function reportedVersion(binary: string, args: string[], pattern: RegExp): string | undefined {
  const key = `${binary} ${args.join(" ")}`;
  const file = fileIdentity(binary);
  const known = reported.get(key);
  if (file !== undefined && known?.file === file) return known.version;
  let version: string | undefined;
  try {
    const output = execFileSync(binary, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 5000,
    });
    version = pattern.exec(output)?.[1];
  } catch {
    version = undefined;
  }
  if (file !== undefined) reported.set(key, { file, version });
  return version;
}

/** What tells one file from its replacement: inode, size and modification time (links followed). */
function fileIdentity(path: string): string | undefined {
  try {
    const stat = statSync(path);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/** Whether a version satisfies a constraint: "15" (that major), ">=14", "<16", ">10.5". */
export function satisfies(version: string, constraint: string | undefined): boolean {
  if (constraint === undefined || constraint === "" || constraint === "*") return true;
  const match = /^(>=|<=|>|<|=)?\s*(\d+(?:\.\d+)*)$/.exec(constraint.trim());
  if (!match) return false;
  const [, operator = "=", wanted = ""] = match;
  const order = compare(version, wanted);
  if (operator === "=") return version === wanted || version.startsWith(`${wanted}.`);
  if (operator === ">=") return order >= 0;
  if (operator === "<=") return order <= 0;
  if (operator === ">") return order > 0;
  return order < 0;
}

export function compare(a: string, b: string): number {
  const left = a.split(".").map(Number);
  const right = b.split(".").map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
