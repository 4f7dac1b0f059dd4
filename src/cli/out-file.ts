import { renameSync, writeFileSync } from "node:fs";

/**
 * Writes what a command was asked to save (`--out`): readable by the user alone, as it may hold what a
 * database holds, and whole or not at all.
 */
export function writeOutFile(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  renameSync(temporary, file);
}
