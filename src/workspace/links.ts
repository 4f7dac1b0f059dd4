import { join, resolve } from "node:path";
import { readJsonFile, writeJsonFile } from "../state/index.js";

type LinkTable = Record<string, Record<string, string>>;

/**
 * `berth link`: per workspace (its root manifest), a codebase name → a local folder used instead of the
 * pinned or declared one. Kept in the user's state folder, so nothing is committed by accident.
 */
export class Links {
  readonly #file: string;
  readonly #root: string;

  constructor(home: string, rootManifest: string) {
    this.#file = join(home, "links.json");
    this.#root = rootManifest;
  }

  all(): Record<string, string> {
    return readJsonFile<LinkTable>(this.#file, {})[this.#root] ?? {};
  }

  get(name: string): string | undefined {
    return this.all()[name];
  }

  set(name: string, dir: string): void {
    this.#update((links) => {
      links[name] = resolve(dir);
    });
  }

  remove(name: string): boolean {
    let removed = false;
    this.#update((links) => {
      removed = name in links;
      delete links[name];
    });
    return removed;
  }

  #update(change: (links: Record<string, string>) => void): void {
    const table = readJsonFile<LinkTable>(this.#file, {});
    const links = { ...(table[this.#root] ?? {}) };
    change(links);
    if (Object.keys(links).length === 0) delete table[this.#root];
    else table[this.#root] = links;
    writeJsonFile(this.#file, table);
  }
}
