import { join } from "node:path";
import { readJsonFile, writeJsonFile } from "./private-file.js";

/** A small JSON object in the state folder, keyed by string, read and written whole (0600). */
export class JsonTable<T> {
  readonly #file: string;

  constructor(home: string, name: string) {
    this.#file = join(home, name);
  }

  all(): Record<string, T> {
    return readJsonFile<Record<string, T>>(this.#file, {});
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
    const table = this.all();
    change(table);
    writeJsonFile(this.#file, table);
  }
}
