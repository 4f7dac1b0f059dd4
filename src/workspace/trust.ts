import { BerthError, BerthErrors } from "../errors/index.js";
import { JsonTable } from "../state/index.js";

/** Manifests the user trusts, by path and exact content hash; in `$BERTH_HOME/trust.json` (0600). */
export class TrustStore {
  readonly #table: JsonTable<string>;

  constructor(home: string) {
    this.#table = new JsonTable(home, "trust.json");
  }

  isTrusted(file: string, hash: string): boolean {
    return this.#table.get(file) === hash;
  }

  trust(entries: readonly { file: string; hash: string }[]): void {
    this.#table.update((table) => {
      for (const { file, hash } of entries) table[file] = hash;
    });
  }

  /** Throws unless every manifest is trusted as it is now; `trustAll` is `--trust` / `BERTH_TRUST=1`. */
  assertTrusted(manifests: readonly { file: string; hash: string }[], trustAll: boolean): void {
    if (trustAll) return;
    const table = this.#table.all();
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
