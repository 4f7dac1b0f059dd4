import { closeSync, mkdirSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";

/** One stored line of output. `s` is the stream: out, err, or berth for Berth's own notes. */
export interface LogEntry {
  t: number;
  s: "out" | "err" | "berth";
  l: string;
}

export const DEFAULT_LOG_CAP_BYTES = 5 * 1024 * 1024;

/** Where the log of one process or task lives in its codebase's logs folder. Tasks are `task-<name>`. */
export function logFile(codebaseLogsDir: string, name: string): string {
  return join(codebaseLogsDir, `${name}.jsonl`);
}

/**
 * An append-only JSONL log with a size cap: past the cap the file is rotated to `<file>.1` (the one
 * before is dropped), so a chatty process costs at most twice the cap on disk.
 */
export class LogWriter {
  readonly file: string;
  readonly #cap: number;
  #fd: number;
  #size: number;

  constructor(file: string, cap = DEFAULT_LOG_CAP_BYTES) {
    this.file = file;
    this.#cap = cap;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.#fd = openSync(file, "a", 0o600);
    this.#size = statSync(file).size;
  }

  write(entry: LogEntry): void {
    const line = `${JSON.stringify(entry)}\n`;
    if (this.#size + line.length > this.#cap && this.#size > 0) this.#rotate();
    this.#size += writeSync(this.#fd, line);
  }

  close(): void {
    closeSync(this.#fd);
  }

  #rotate(): void {
    closeSync(this.#fd);
    renameSync(this.file, `${this.file}.1`);
    this.#fd = openSync(this.file, "a", 0o600);
    this.#size = 0;
  }
}
