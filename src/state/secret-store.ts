import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { readJsonFile, writeJsonFile } from "./private-file.js";

/** What a generated secret looks like: 32 URL-safe characters (192 random bits). */
export const GENERATED_SECRET = /^[A-Za-z0-9_-]{32}$/;

/**
 * Development secrets (`${secret.<name>}`), made once per codebase folder and name and kept (0600), so
 * they stay the same from one `up` to the next and match the data written with them.
 */
export class SecretStore {
  readonly #file: string;

  constructor(home: string) {
    this.#file = join(home, "secrets.json");
  }

  /** The secret, made now if it is new. */
  get(dir: string, name: string): string {
    const table = this.#all();
    const known = table[`${dir}#${name}`];
    if (known !== undefined) return known;
    const made = randomBytes(24).toString("base64url");
    table[`${dir}#${name}`] = made;
    writeJsonFile(this.#file, table);
    return made;
  }

  /** Every secret of one codebase folder, by name: what a snapshot keeps. */
  readAll(dir: string): Record<string, string> {
    const prefix = `${dir}#`;
    return Object.fromEntries(
      Object.entries(this.#all())
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, value]) => [key.slice(prefix.length), value]),
    );
  }

  /** Puts back a codebase folder's secrets as a snapshot kept them; others of the folder stay. */
  writeAll(dir: string, secrets: Record<string, string>): void {
    const table = this.#all();
    for (const [name, value] of Object.entries(secrets)) table[`${dir}#${name}`] = value;
    writeJsonFile(this.#file, table);
  }

  #all(): Record<string, string> {
    return readJsonFile<Record<string, string>>(this.#file, {});
  }
}
