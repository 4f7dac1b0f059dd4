import type { Plan } from "../graph/index.js";
import { freePort, portTaken } from "../processes/index.js";
import { PortStore } from "../state/index.js";
import type { Workspace } from "../workspace/index.js";

/**
 * Decides the port of every process of the planned codebases before anything starts (so env, exports
 * and probes can all be rendered up front): fixed ports as written, `auto` ports chosen once and kept.
 */
export async function decidePorts(
  home: string,
  workspace: Workspace,
  codebases: readonly string[],
  isOurs: (dir: string, process: string) => boolean,
): Promise<Map<string, number>> {
  const store = new PortStore(home);
  const ports = new Map<string, number>();
  for (const name of codebases) {
    const codebase = workspace.codebases.get(name);
    for (const [process, spec] of Object.entries(codebase?.loaded.manifest.processes ?? {})) {
      if (!codebase || spec.port === undefined) continue;
      if (spec.port !== "auto") {
        ports.set(`${name}/${process}`, spec.port);
        continue;
      }
      let port = store.get(codebase.dir, process);
      // A kept port that a stranger has taken meanwhile is given up for a new one.
      if (port === undefined || (!isOurs(codebase.dir, process) && (await portTaken(port)))) {
        port = await freePort(Object.values(store.all()));
        store.set(codebase.dir, process, port);
      }
      ports.set(`${name}/${process}`, port);
    }
  }
  return ports;
}

/** Ports as the state folder remembers them, for commands that run nothing (exec, env). */
export function knownPorts(
  home: string,
  workspace: Workspace,
  plan: Pick<Plan, "codebases">,
): Map<string, number> {
  const store = new PortStore(home);
  const ports = new Map<string, number>();
  for (const name of plan.codebases) {
    const codebase = workspace.codebases.get(name);
    for (const [process, spec] of Object.entries(codebase?.loaded.manifest.processes ?? {})) {
      if (!codebase || spec.port === undefined) continue;
      const port = spec.port === "auto" ? store.get(codebase.dir, process) : spec.port;
      if (port !== undefined) ports.set(`${name}/${process}`, port);
    }
  }
  return ports;
}
