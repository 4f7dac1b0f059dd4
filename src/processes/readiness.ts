import { formatDuration } from "../manifest/index.js";
import type { Pause } from "./pause.js";
import { describeProbe, probeOnce, probing } from "./probe.js";
import type { ProcessSpec, RunningChild } from "./supervised-spec.js";

/** How long a process without a readiness probe must run, without exiting, to count as ready. */
export const NO_PROBE_GRACE_MS = 500;

export interface ReadinessRun {
  spec: ProcessSpec;
  name: string;
  child: RunningChild;
  /** Its waits; aborted when the process stops, which ends the run at once. */
  pause: Pause;
  mask: (text: string) => string;
  /** Whether this run is still the process's current start (a restart begins another). */
  current: () => boolean;
  /** Whether a log probe's line has been seen. */
  logMatched: () => boolean;
  /** What it waits for, in words, while it waits; undefined once it is done waiting. */
  onWaiting: (text: string | undefined) => void;
}

export type Readiness = { outcome: "ready" } | { outcome: "timeout"; message: string } | { outcome: "gone" };

/** Tries the probe (or the spec's `ping`) until it passes, the deadline passes or the process goes. */
export async function awaitReadiness(run: ReadinessRun): Promise<Readiness> {
  const { spec, child, pause } = run;
  const { probe, port } = spec;
  const started = Date.now();
  const deadline = started + spec.probeTimeoutMs;
  // An exec probe's command and output may carry a secret, and both are shown in status and errors.
  const what = run.mask(spec.ping ? `${run.name} round trip` : describeProbe(probe, port));
  if (probe === undefined && !spec.ping) {
    // Without a probe, having started is not enough: a process that exits at once is not ready.
    await Promise.race([pause.for(NO_PROBE_GRACE_MS), child.exited]);
    pause.wake();
    return child.running && !pause.cancelled && run.current() ? { outcome: "ready" } : { outcome: "gone" };
  }
  await pause.for(spec.startPeriodMs, false);
  let tries = 0;
  const leave = probing.enter();
  try {
    while (run.current() && child.running && !pause.cancelled) {
      tries += 1;
      const result = spec.ping
        ? await spec.ping()
        : probe === undefined
          ? { ok: true, detail: "no probe" }
          : probe.log !== undefined
            ? { ok: run.logMatched(), detail: "no matching line yet" }
            : await probeOnce(
                probe,
                { port, cwd: spec.dir, env: spec.env },
                Math.min(2000, Math.max(100, deadline - Date.now())),
              );
      if (!run.current() || !child.running) return { outcome: "gone" };
      if (result.ok) return { outcome: "ready" };
      const last = run.mask(result.detail);
      const elapsed = Date.now() - started;
      run.onWaiting(`${what} ${last}, ${tries} ${tries === 1 ? "try" : "tries"}, ${formatDuration(elapsed)}`);
      if (Date.now() >= deadline) {
        run.onWaiting(undefined);
        return {
          outcome: "timeout",
          message: `${run.name} did not become ready in ${formatDuration(spec.probeTimeoutMs)}: ${what} ${last} after ${tries} tries`,
        };
      }
      // Paced tries while a fast start is likely, then further apart as the wait grows: readiness is seen
      // within about a fortieth of the time the process took (25 ms after 1 s), up to the probe's interval.
      const next = Math.min(Math.max(probing.delayMs(), elapsed / 40), spec.probeIntervalMs);
      await pause.for(Math.min(next, Math.max(0, deadline - Date.now())));
    }
    return { outcome: "gone" };
  } finally {
    leave();
  }
}
