import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { BerthError } from "../errors/index.js";
import { ensurePrivateDir } from "./home.js";

/** Writes a file readable by the user alone, atomically: readers see the old or the new content, never half. */
export function writePrivateFile(file: string, content: string): void {
  ensurePrivateDir(dirname(file));
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  renameSync(temporary, file);
}

/** Reads a JSON state file; a missing file is `fallback`. */
export function readJsonFile<T>(file: string, fallback: T): T {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return fallback;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new BerthError("BERTH_STATE_CORRUPT", `the state file ${file} is not valid JSON`, {
      hint: "it was damaged outside Berth; remove it and run the command again",
      cause: error,
    });
  }
}

export function writeJsonFile(file: string, value: unknown): void {
  writePrivateFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Renames a folder made aside into its place, unless another process (a second supervisor, an `up` and a
 * `validate` at once) put one there first: that one is as good, and this one is removed.
 */
export function moveIntoPlace(made: string, place: string): void {
  try {
    renameSync(made, place);
  } catch (error) {
    if (!["ENOTEMPTY", "EEXIST"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
    rmSync(made, { recursive: true, force: true });
  }
}
