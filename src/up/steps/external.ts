import { externalReach } from "../../environment/index.js";
import { BerthError } from "../../errors/index.js";
import type { ExternalStep } from "../../graph/index.js";
import { Masker } from "../../logs/index.js";
import { durationMs, formatDuration } from "../../manifest/index.js";
import { awaitExternal } from "../../processes/index.js";
import type { StepOutcome } from "../executor.js";
import type { UpRun } from "../step-context.js";

/** Waits until an external requirement answers its probe; Berth never starts or stops it. */
export async function runExternal(run: UpRun, step: ExternalStep): Promise<StepOutcome> {
  const codebase = run.codebase(step.codebase);
  const reach = externalReach(run.environment, codebase, step.alias);
  if (reach.probe === undefined) return "done";
  const masker = new Masker(run.environment.secrets(codebase.name));
  const timeoutMs = durationMs(reach.probe.timeout, 60_000);
  const result = await awaitExternal(reach.probe, reach, {
    timeoutMs,
    intervalMs: durationMs(reach.probe.interval, 250),
    startPeriodMs: durationMs(reach.probe.start_period, 0),
    signal: run.context.signal,
    mask: (text) => masker.mask(text),
    onWaiting: (text) => {
      if (text === undefined) run.waiting.delete(step.id);
      else run.waiting.set(step.id, `${reach.label}: ${text}`);
    },
  });
  if (result.outcome === "timeout") {
    throw new BerthError(
      "BERTH_EXTERNAL_UNREACHABLE",
      `${codebase.name}: ${reach.label} was not reachable in ${formatDuration(timeoutMs)}: ${result.detail}`,
      {
        location: codebase.loaded.source.locate(["requires", step.alias]),
        hint: "Berth does not start an external: start it (e.g. the legacy stack's container), or fix its url; `berth doctor` checks every external",
      },
    );
  }
  return "done";
}
