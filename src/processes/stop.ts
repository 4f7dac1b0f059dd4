import type { Registry } from "./registry.js";
import { findStrays } from "./strays.js";
import type { SupervisedProcess } from "./supervised-process.js";

/**
 * Stops processes in reverse dependency order: a codebase's processes stop once every process (among
 * those being stopped) of the codebases that require it has stopped; independent ones stop in parallel.
 */
export async function stopProcesses(
  registry: Registry,
  processes: readonly SupervisedProcess[],
): Promise<string[]> {
  const stopping = new Set(processes);
  const done = new Map<SupervisedProcess, Promise<void>>();
  const order: string[] = [];
  // Descendants that left their groups, found in one pass over /proc for all the processes.
  const strays = findStrays(new Map(processes.map((process) => [process.instance, process.group])));
  const stop = (process: SupervisedProcess): Promise<void> => {
    let promise = done.get(process);
    if (promise) return promise;
    const dependents = [...stopping].filter(
      (other) => other !== process && other.spec.requires.includes(process.spec.dir),
    );
    promise = Promise.all(dependents.map(stop))
      .then(() => process.stop(strays.get(process.instance) ?? []))
      .then(() => {
        order.push(process.name);
      });
    done.set(process, promise);
    return promise;
  };
  await Promise.all([...stopping].map(stop));
  for (const process of stopping) registry.remove(process);
  return order;
}
