import { JsonTable } from "./json-table.js";

/** Ports chosen for `port: auto` processes, kept per codebase folder and process, so they stay stable. */
export class PortStore {
  readonly #table: JsonTable<number>;

  constructor(home: string) {
    this.#table = new JsonTable(home, "ports.json");
  }

  get(dir: string, process: string): number | undefined {
    return this.#table.get(`${dir}#${process}`);
  }

  set(dir: string, process: string, port: number): void {
    this.#table.set(`${dir}#${process}`, port);
  }

  all(): Record<string, number> {
    return this.#table.all();
  }
}
