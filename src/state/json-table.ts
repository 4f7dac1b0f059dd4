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
    const table = this.all();
    table[key] = value;
    writeJsonFile(this.#file, table);
  }

  delete(key: string): void {
    const table = this.all();
    delete table[key];
    writeJsonFile(this.#file, table);
  }
}
