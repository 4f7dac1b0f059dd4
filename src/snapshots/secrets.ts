import { readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { BerthError } from "../errors/index.js";
import { GENERATED_SECRET, SecretStore } from "../state/index.js";
import type { Workspace } from "../workspace/index.js";
import { type SnapshotEntry, sha256File } from "./store.js";

/** The kind of a snapshot entry that holds a codebase's development secrets (`${secret.<name>}`). */
export const SECRETS_KIND = "secrets";

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const MAX_BYTES = 64 * 1024;

/** Keeps each codebase's generated secrets beside its data: a restore gives back the ones the data was made with. */
export async function snapshotSecrets(
  home: string,
  workspace: Workspace,
  codebases: readonly string[],
  folder: string,
): Promise<SnapshotEntry[]> {
  const store = new SecretStore(home);
  const entries: SnapshotEntry[] = [];
  for (const name of codebases) {
    const dir = workspace.codebases.get(name)?.dir;
    const secrets = dir === undefined ? {} : store.readAll(dir);
    if (Object.keys(secrets).length === 0) continue;
    const file = `${name}/secrets.json`;
    await mkdir(join(folder, name), { recursive: true });
    writeFileSync(join(folder, file), `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    const path = join(folder, file);
    entries.push({
      codebase: name,
      // Not an alias (no alias holds a colon), so no reader of claims takes it for one.
      what: "secrets:generated",
      kind: SECRETS_KIND,
      file,
      size: statSync(path).size,
      sha256: await sha256File(path),
    });
  }
  return entries;
}

export type SavedSecrets = { codebase: string; secrets: Record<string, string> }[];

/**
 * Reads and checks the secrets a snapshot holds, before any data is touched. An archive is untrusted and
 * secrets are interpolated into commands: only names and values as Berth makes them are taken.
 */
export function readSnapshotSecrets(folder: string, entries: readonly SnapshotEntry[]): SavedSecrets {
  return entries
    .filter((entry) => entry.kind === SECRETS_KIND)
    .map((entry) => {
      const path = join(folder, entry.file);
      const corrupt = (why: string) =>
        new BerthError("BERTH_SNAPSHOT_CORRUPT", `${entry.file} of the snapshot ${why}`, {
          hint: "refusing it; nothing of the current data was touched",
        });
      if (statSync(path).size > MAX_BYTES) throw corrupt(`is larger than ${MAX_BYTES / 1024} KiB`);
      let secrets: unknown;
      try {
        secrets = JSON.parse(readFileSync(path, "utf8"));
      } catch {
        throw corrupt("is not JSON");
      }
      if (secrets === null || typeof secrets !== "object" || Array.isArray(secrets))
        throw corrupt("is not a mapping of secrets");
      for (const [name, value] of Object.entries(secrets))
        if (!NAME.test(name) || typeof value !== "string" || !GENERATED_SECRET.test(value))
          throw corrupt(`holds \`${name.slice(0, 40)}\`, which is not a secret as Berth makes them`);
      return { codebase: entry.codebase, secrets: secrets as Record<string, string> };
    });
}

/** Puts the snapshot's secrets back, for the codebases of this workspace. */
export function restoreSecrets(home: string, workspace: Workspace, saved: SavedSecrets): void {
  const store = new SecretStore(home);
  for (const { codebase, secrets } of saved) {
    const dir = workspace.codebases.get(codebase)?.dir;
    if (dir !== undefined) store.writeAll(dir, secrets);
  }
}
