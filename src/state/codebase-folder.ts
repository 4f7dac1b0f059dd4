import { createHash } from "node:crypto";

/**
 * The name of a codebase's own folder in the state folder (its logs, its rendered files): the codebase's
 * name, told apart from a codebase of the same name elsewhere by a hash of its folder.
 */
export function codebaseFolderName(name: string, dir: string): string {
  return `${name}-${createHash("sha256").update(dir).digest("hex").slice(0, 8)}`;
}
