import { statSync } from "node:fs";
import { join } from "node:path";
import { readJsonFile, writeJsonFile } from "./private-file.js";

/**
 * A small JSON object in the state folder, keyed by string, read and written whole (0600). A table is read
 * from disk again only when the file changed (another inode, size or time: every write renames a new file
 * into place): an `up` asks the servers' and claims' tables hundreds of times. What it returns is frozen, as
 * it is shared by every reader of the file in this process; `update` changes a copy.
 */
export class JsonTable<T> {
  readonly #file: string;

  constructor(home: string, name: string) {
    this.#file = join(home, name);
  }

  all(): Readonly<Record<string, T>> {
    return readTable(this.#file) as Readonly<Record<string, T>>;
  }

  get(key: string): T | undefined {
    return this.all()[key];
  }

  set(key: string, value: T): void {
    this.update((table) => {
      table[key] = value;
    });
  }

  delete(key: string): void {
    this.update((table) => {
      delete table[key];
    });
  }

  /** Reads the table, changes it and writes it back: several keys in one write. */
  update(change: (table: Record<string, T>) => void): void {
    const table = structuredClone(this.all()) as Record<string, T>;
    change(table);
    read.delete(this.#file);
    writeJsonFile(this.#file, table);
  }
}

/** The tables read so far in this process, by file, with the stamp of the file they were read from. */
const read = new Map<string, { stamp: string; table: Readonly<Record<string, unknown>> }>();
const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

function readTable(file: string): Readonly<Record<string, unknown>> {
  const stat = statSync(file, { bigint: true, throwIfNoEntry: false });
  if (!stat) return EMPTY;
  // Stamped before reading: a file replaced in between is read again next time, never kept as current.
  const stamp = `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  const known = read.get(file);
  if (known?.stamp === stamp) return known.table;
  const table = deepFreeze(readJsonFile<Record<string, unknown>>(file, {}));
  read.set(file, { stamp, table });
  return table;
}

function deepFreeze<V>(value: V): V {
  if (value !== null && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
