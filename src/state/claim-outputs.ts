import { join } from "node:path";
import { readJsonFile, writeJsonFile } from "./private-file.js";

/** Outputs of codebase claims, per consumer folder and alias. Secrets: the file is the user's alone. */
export class ClaimStore {
  readonly #file: string;

  constructor(home: string) {
    this.#file = join(home, "claims.json");
  }

  get(consumerDir: string, alias: string): Record<string, string> | undefined {
    return readJsonFile<Record<string, Record<string, string>>>(this.#file, {})[`${consumerDir}#${alias}`];
  }

  set(consumerDir: string, alias: string, outputs: Record<string, string>): void {
    const table = readJsonFile<Record<string, Record<string, string>>>(this.#file, {});
    table[`${consumerDir}#${alias}`] = outputs;
    writeJsonFile(this.#file, table);
  }
}
