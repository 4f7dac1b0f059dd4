import { JsonTable } from "./json-table.js";

/** Outputs of codebase claims, per consumer folder and alias. Secrets: the file is the user's alone. */
export class ClaimStore {
  readonly #table: JsonTable<Record<string, string>>;

  constructor(home: string) {
    this.#table = new JsonTable(home, "claims.json");
  }

  get(consumerDir: string, alias: string): Record<string, string> | undefined {
    return this.#table.get(`${consumerDir}#${alias}`);
  }

  set(consumerDir: string, alias: string, outputs: Record<string, string>): void {
    this.#table.set(`${consumerDir}#${alias}`, outputs);
  }
}
