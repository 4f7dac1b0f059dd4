import { join } from "node:path";
import { readJsonFile, writeJsonFile } from "./private-file.js";

/** Ports chosen for `port: auto` processes, kept per codebase folder and process, so they stay stable. */
export class PortStore {
  readonly #file: string;

  constructor(home: string) {
    this.#file = join(home, "ports.json");
  }

  get(dir: string, process: string): number | undefined {
    return readJsonFile<Record<string, number>>(this.#file, {})[`${dir}#${process}`];
  }

  set(dir: string, process: string, port: number): void {
    const table = readJsonFile<Record<string, number>>(this.#file, {});
    table[`${dir}#${process}`] = port;
    writeJsonFile(this.#file, table);
  }

  all(): Record<string, number> {
    return readJsonFile<Record<string, number>>(this.#file, {});
  }
}
