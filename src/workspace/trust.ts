import { join } from "node:path";
import { BerthError, BerthErrors } from "../errors/index.js";
import { readJsonFile, writeJsonFile } from "../state/index.js";

/** Manifests the user trusts, by path and exact content hash; in `$BERTH_HOME/trust.json` (0600). */
export class TrustStore {
  readonly #file: string;

  constructor(home: string) {
    this.#file = join(home, "trust.json");
  }

  isTrusted(file: string, hash: string): boolean {
    return readJsonFile<Record<string, string>>(this.#file, {})[file] === hash;
  }

  trust(entries: readonly { file: string; hash: string }[]): void {
    const table = readJsonFile<Record<string, string>>(this.#file, {});
    for (const { file, hash } of entries) table[file] = hash;
    writeJsonFile(this.#file, table);
  }

  /** Throws unless every manifest is trusted as it is now; `trustAll` is `--trust` / `BERTH_TRUST=1`. */
  assertTrusted(manifests: readonly { file: string; hash: string }[], trustAll: boolean): void {
    if (trustAll) return;
    const table = readJsonFile<Record<string, string>>(this.#file, {});
    const untrusted = manifests.filter(({ file, hash }) => table[file] !== hash);
    if (untrusted.length === 0) return;
    throw new BerthErrors(
      untrusted.map(
        ({ file }) =>
          new BerthError(
            "BERTH_UNTRUSTED",
            `${file} ${file in table ? "changed since you trusted it" : "is not trusted"}; its commands will not run`,
            { hint: `read it, then run \`berth trust ${file}\` (or pass --trust in CI)` },
          ),
      ),
    );
  }
}
