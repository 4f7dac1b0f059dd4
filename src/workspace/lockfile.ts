import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { BerthError } from "../errors/index.js";
import { parseYaml } from "../manifest/index.js";

export const LOCK_FILE = "berth.lock";

export interface LockEntry {
  url: string;
  ref: string | undefined;
  commit: string;
}

/** `berth.lock`: the commit each git requirement resolved to. It is committed, so a team runs the same code. */
export class Lockfile {
  readonly file: string;
  readonly #pinned = new Map<string, LockEntry>();
  readonly #used = new Map<string, LockEntry>();

  constructor(file: string) {
    this.file = file;
    if (!existsSync(file)) return;
    const source = parseYaml(file, readFileSync(file, "utf8"));
    const entries = (source.data as { git?: unknown } | null)?.git;
    if (!Array.isArray(entries)) {
      throw new BerthError("BERTH_LOCK_INVALID", "berth.lock has no `git:` list", {
        location: source.locate([]),
        hint: "delete berth.lock and run `berth update` to write it again",
      });
    }
    for (const [index, entry] of entries.entries()) {
      const { url, ref, commit } = (entry ?? {}) as Record<string, unknown>;
      if (typeof url !== "string" || typeof commit !== "string" || !/^[0-9a-f]{40,64}$/.test(commit)) {
        throw new BerthError(
          "BERTH_LOCK_INVALID",
          "this berth.lock entry needs a `url` and a full `commit`",
          {
            location: source.locate(["git", index]),
            hint: "delete berth.lock and run `berth update` to write it again",
          },
        );
      }
      const lockEntry = { url, ref: typeof ref === "string" ? ref : undefined, commit };
      this.#pinned.set(lockKey(url, lockEntry.ref), lockEntry);
    }
  }

  pinned(url: string, ref: string | undefined): string | undefined {
    return this.#pinned.get(lockKey(url, ref))?.commit;
  }

  use(url: string, ref: string | undefined, commit: string): void {
    this.#used.set(lockKey(url, ref), { url, ref, commit });
  }

  /** Writes the entries used by this resolution, if they differ from the file's. Returns whether it wrote. */
  save(): boolean {
    const used = [...this.#used.values()].sort((a, b) =>
      lockKey(a.url, a.ref).localeCompare(lockKey(b.url, b.ref)),
    );
    const unchanged =
      used.length === this.#pinned.size &&
      used.every((entry) => this.pinned(entry.url, entry.ref) === entry.commit);
    if (unchanged) return false;
    if (used.length === 0 && !existsSync(this.file)) return false;
    const git = used.map(({ url, ref, commit }) =>
      ref === undefined ? { url, commit } : { url, ref, commit },
    );
    const header =
      "# berth.lock: the commit each git requirement is pinned to. Commit it; `berth update` moves the pins.\n";
    writeFileSync(this.file, header + stringify({ version: 1, git }));
    return true;
  }
}

function lockKey(url: string, ref: string | undefined): string {
  return `${url}#${ref ?? ""}`;
}
