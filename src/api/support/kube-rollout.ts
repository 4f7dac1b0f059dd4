import { setTimeout as sleep } from "node:timers/promises";
import { BerthError } from "../../errors/index.js";
import { kubectl, targetArgs } from "./kubectl.js";
import { type RolloutItem, waitingFor } from "./rollout-lines.js";

export interface RolloutWait {
  /** `catalog/api`, or the object for those with no process (a provider, a claim). */
  who: string;
  /** `catalog/api: waiting for Job catalog-migrate-3f2a: 1 of 1 pods running, 12 s` */
  line: string;
}

/**
 * Waits until every Job of the workspace completed and every Deployment and StatefulSet is ready, saying
 * each time what is still awaited (as `up` does), until the deadline.
 */
export async function waitForRollout(
  target: { context: string; namespace?: string | undefined },
  selector: string,
  options: { timeoutMs: number; signal?: AbortSignal | undefined; onWait: (waits: RolloutWait[]) => void },
): Promise<void> {
  const started = Date.now();
  for (;;) {
    options.signal?.throwIfAborted();
    const result = await kubectl(
      [...targetArgs(target), "get", "jobs,deployments,statefulsets", "-l", selector, "-o", "json"],
      options.signal,
    );
    if (result.code !== 0) {
      throw new BerthError(
        "BERTH_KUBE_FAILED",
        `kubectl could not read the rollout: ${result.stderr.trim()}`,
        {
          hint: `kubectl --context ${target.context} get jobs,deployments,statefulsets -l ${selector}`,
        },
      );
    }
    const seconds = Math.round((Date.now() - started) / 1000);
    const items = (JSON.parse(result.stdout) as { items: RolloutItem[] }).items;
    const waits = items.flatMap((item) => {
      const line = waitingFor(item, seconds);
      return line ? [{ who: line.slice(0, line.indexOf(":")), line }] : [];
    });
    if (waits.length === 0) return;
    options.onWait(waits);
    if (Date.now() - started > options.timeoutMs) {
      throw new BerthError(
        "BERTH_KUBE_FAILED",
        `the rollout did not finish in time:\n  ${waits.map((wait) => wait.line).join("\n  ")}`,
        {
          hint: `see why: kubectl --context ${target.context} get events --sort-by=.lastTimestamp; or wait longer with --timeout`,
        },
      );
    }
    await sleep(2000, undefined, { signal: options.signal });
  }
}
