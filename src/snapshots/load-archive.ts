import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BerthError } from "../errors/index.js";
import type { ClaimData } from "./dumps.js";
import { restoreAll } from "./restore-claims.js";
import { unpackVerified } from "./store.js";

/**
 * Loads what an exported snapshot archive holds for one codebase into its claims (a seed from a snapshot,
 * a migrate baseline). Claims are matched by alias; every checksum is verified before anything is touched.
 */
export async function loadArchive(
  archive: string,
  codebase: string,
  claims: ReadonlyMap<string, ClaimData>,
): Promise<string[]> {
  if (!statSync(archive, { throwIfNoEntry: false })?.isFile())
    throw new BerthError("BERTH_SNAPSHOT_MISSING", `${archive} is not found`, {
      hint: "make one with `berth snapshot export <name> <file>`",
    });
  const folder = mkdtempSync(join(tmpdir(), "berth-archive-"));
  try {
    const manifest = await unpackVerified(archive, folder);
    const loads = manifest.entries
      .filter((item) => item.codebase === codebase && !item.what.startsWith("data:"))
      .flatMap((entry) => {
        const claim = claims.get(entry.what);
        return claim ? [{ name: `${codebase}/${entry.what}`, claim, file: join(folder, entry.file) }] : [];
      });
    const loaded = loads.map((load) => load.name.slice(codebase.length + 1));
    if (loaded.length === 0) {
      throw new BerthError(
        "BERTH_SNAPSHOT_EMPTY",
        `${archive} holds no data for codebase ${codebase}'s claims`,
        { hint: `export a snapshot taken with ${codebase} in it` },
      );
    }
    await restoreAll(loads);
    return loaded;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
