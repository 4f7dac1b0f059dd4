import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BerthError } from "../errors/index.js";
import { type ClaimData, dumpClaim, dumpFileName, restoreClaim, restorePlan } from "./dumps.js";

export interface ClaimLoad {
  /** `<codebase>/<alias>`, for messages. */
  name: string;
  claim: ClaimData;
  file: string;
}

/**
 * Loads each dump into its claim, all or nothing: every claim's current data is dumped aside first, and if
 * any load fails (a damaged or hostile dump), every claim gets its own data back. A restore that is
 * refused loses nothing.
 */
export async function restoreAll(loads: readonly ClaimLoad[]): Promise<void> {
  const plans = loads.map((load) => restorePlan(load.claim));
  const aside = mkdtempSync(join(tmpdir(), "berth-before-restore-"));
  try {
    const kept = await Promise.all(
      loads.map(async (load, index) => {
        const file = join(aside, `${index}.${dumpFileName(load.claim.server.kind)}`);
        return (await dumpClaim(load.claim, file)) === undefined ? undefined : file;
      }),
    );
    const results = await Promise.allSettled(
      loads.map((load, index) => restoreClaim(load.claim, load.file, plans[index])),
    );
    const failed = results.findIndex((result) => result.status === "rejected");
    if (failed === -1) return;
    const reason = (results[failed] as PromiseRejectedResult).reason as unknown;
    const back = await Promise.allSettled(
      loads.map(async (load, index) => {
        const file = kept[index];
        if (file) await restoreClaim(load.claim, file, plans[index]);
      }),
    );
    const lost = loads.filter((_, index) => back[index]?.status === "rejected").map((load) => load.name);
    const why = reason instanceof Error ? reason.message : String(reason);
    throw new BerthError("BERTH_RESTORE_REFUSED", `${loads[failed]?.name} could not be loaded: ${why}`, {
      hint:
        lost.length === 0
          ? "nothing changed: every database has its data as before"
          : `the data as before could not be put back into ${lost.join(", ")}; see \`berth logs\``,
      cause: reason,
    });
  } finally {
    rmSync(aside, { recursive: true, force: true });
  }
}
