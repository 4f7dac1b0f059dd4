import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BerthError } from "../errors/index.js";
import { type ClaimData, restoreClaim } from "./dumps.js";
import { type SnapshotManifest, verifySnapshot } from "./store.js";

/**
 * Loads what an exported snapshot archive holds for one codebase into its claims (a seed from a snapshot,
 * a migrate baseline). Claims are matched by alias; every checksum is verified before anything is touched.
 */
export async function loadArchive(
  archive: string,
  codebase: string,
  claims: ReadonlyMap<string, ClaimData>,
): Promise<string[]> {
  if (!existsSync(archive))
    throw new BerthError("BERTH_SNAPSHOT_MISSING", `${archive} does not exist`, {
      hint: "make one with `berth snapshot export <name> <file>`",
    });
  const folder = mkdtempSync(join(tmpdir(), "berth-archive-"));
  try {
    try {
      execFileSync("tar", ["-xzf", archive, "-C", folder, "--no-same-owner"], {
        stdio: ["ignore", "ignore", "pipe"],
      });
    } catch (error) {
      throw new BerthError("BERTH_SNAPSHOT_CORRUPT", `${archive} cannot be unpacked: it is damaged`, {
        cause: error,
      });
    }
    const manifest = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8")) as SnapshotManifest;
    await verifySnapshot(folder, manifest);
    const loaded: string[] = [];
    for (const entry of manifest.entries.filter(
      (item) => item.codebase === codebase && !item.what.startsWith("data:"),
    )) {
      const claim = claims.get(entry.what);
      if (!claim) continue;
      await restoreClaim(claim, join(folder, entry.file));
      loaded.push(entry.what);
    }
    if (loaded.length === 0) {
      throw new BerthError(
        "BERTH_SNAPSHOT_EMPTY",
        `${archive} holds no data for codebase ${codebase}'s claims`,
        { hint: `export a snapshot taken with ${codebase} in it` },
      );
    }
    return loaded;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
