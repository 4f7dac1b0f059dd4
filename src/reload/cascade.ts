import { formatDuration } from "../manifest/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";
import { announce } from "./report.js";

/** Restarts a `cascade` consumer's process after `after` restarted, and says so when it is ready again. */
export async function restartInPlace(
  registry: Registry,
  process: SupervisedProcess,
  after: string,
): Promise<void> {
  const began = performance.now();
  await process.stop();
  process.start();
  const outcome = await process.whenReady().then(
    () => `ready ${formatDuration(performance.now() - began)}`,
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  announce(
    registry,
    {
      codebase: process.spec.codebase,
      process: process.spec.process,
      files: [],
      outcome: process.state === "ready" ? "restarted" : "failed",
      message: `${process.name}  ${after} restarted → restarted (cascade), ${outcome}`,
    },
    [process],
  );
}
