import { JsonTable } from "./json-table.js";

/** The keys of the tasks that last succeeded, per codebase folder and task. */
export class TaskCache {
  readonly #table: JsonTable<string>;

  constructor(home: string) {
    this.#table = new JsonTable(home, "tasks.json");
  }

  isFresh(dir: string, task: string, key: string): boolean {
    return this.#table.get(`${dir}#${task}`) === key;
  }

  remember(dir: string, task: string, key: string): void {
    this.#table.set(`${dir}#${task}`, key);
  }

  forget(dir: string, task: string): void {
    this.#table.delete(`${dir}#${task}`);
  }
}
