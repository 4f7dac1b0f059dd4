import { formatDuration, type Probe } from "../manifest/index.js";
import { describeProbe, type ProbeResult, probeOnce, probing } from "./probe.js";

/** A service Berth does not run: where its probe reaches it. */
export interface ExternalTarget {
  host: string;
  port: number;
  /** Where an exec probe runs, and with what environment. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ExternalWait {
  timeoutMs: number;
  intervalMs: number;
  startPeriodMs: number;
  signal: AbortSignal;
  mask: (text: string) => string;
  /** What it waits for, in words, while it waits; undefined once done. */
  onWaiting: (text: string | undefined) => void;
}

export type Reachability =
  | { outcome: "ready" }
  | { outcome: "timeout"; detail: string }
  | { outcome: "gone" };

/** One try: the external's probe, or without one a connection to its host and port. */
export function reachOnce(
  probe: Probe | undefined,
  target: ExternalTarget,
  timeoutMs: number,
): Promise<ProbeResult> {
  return probeOnce(probe ?? { tcp: true }, target, timeoutMs);
}

/** How a try reads: "http 127.0.0.1:9200/_cluster/health". */
export function describeReach(probe: Probe | undefined, target: ExternalTarget): string {
  return describeProbe(probe ?? { tcp: true }, target.port, target.host);
}

/** Tries the probe until it passes, its deadline passes or the wait is cancelled. */
export async function awaitExternal(
  probe: Probe,
  target: ExternalTarget,
  wait: ExternalWait,
): Promise<Reachability> {
  const started = Date.now();
  const deadline = started + wait.timeoutMs;
  const what = wait.mask(describeReach(probe, target));
  if (!(await pause(wait.startPeriodMs, wait.signal))) return { outcome: "gone" };
  const leave = probing.enter();
  try {
    for (let tries = 1; ; tries += 1) {
      const result = await probeOnce(probe, target, Math.min(2000, Math.max(100, deadline - Date.now())));
      if (wait.signal.aborted) return { outcome: "gone" };
      if (result.ok) return { outcome: "ready" };
      const detail = `${what} ${wait.mask(result.detail)}, ${tries} ${tries === 1 ? "try" : "tries"}, ${formatDuration(Date.now() - started)}`;
      wait.onWaiting(detail);
      if (Date.now() >= deadline) return { outcome: "timeout", detail };
      const delay = Math.min(wait.intervalMs, Math.max(0, deadline - Date.now()));
      if (!(await pause(delay, wait.signal))) return { outcome: "gone" };
    }
  } finally {
    wait.onWaiting(undefined);
    leave();
  }
}

/** Waits `ms`; false when cancelled first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", cancel);
      resolve(true);
    }, ms);
    const cancel = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener("abort", cancel, { once: true });
  });
}
