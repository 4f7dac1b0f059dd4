import { knownEnvironment, processSpec } from "../environment/index.js";
import type { Registry, SupervisedProcess } from "../processes/index.js";
import type { Servers } from "../providers/index.js";
import { TrustStore, type Workspace } from "../workspace/index.js";

export interface RestartOptions {
  registry: Registry;
  servers: Servers;
  workspace: Workspace;
  hostEnv: NodeJS.ProcessEnv;
  trustAll: boolean;
}

/**
 * Restarts each process in turn with what its manifest says now (a command, env or probe edited since it
 * started is applied; a changed manifest must be trusted first). Resolves once all are ready again.
 */
export async function restartFromManifest(
  options: RestartOptions,
  processes: readonly SupervisedProcess[],
): Promise<{ restarted: string[]; updated: string[] }> {
  const { registry, workspace } = options;
  const environment = knownEnvironment(
    registry.home,
    workspace,
    { codebases: [...workspace.codebases.keys()] },
    options.servers,
    options.hostEnv,
  );
  const renewed = processes.map((process) => {
    const { codebase, process: name, port } = process.spec;
    if (!workspace.codebases.get(codebase)?.loaded.manifest.processes?.[name]) return undefined;
    const spec = processSpec(workspace, environment, codebase, name, port);
    return spec.hash === process.spec.hash ? undefined : { ...spec, requires: process.spec.requires };
  });
  const changed = new Set(processes.filter((_, index) => renewed[index]).map(({ spec }) => spec.codebase));
  new TrustStore(registry.home).assertTrusted(
    [...changed].flatMap((name) => workspace.codebases.get(name)?.loaded ?? []),
    options.trustAll,
  );
  const running: SupervisedProcess[] = [];
  for (const [index, process] of processes.entries()) {
    await process.stop();
    const spec = renewed[index];
    const next = spec ? registry.add(spec) : process;
    next.restarts = process.restarts + 1;
    next.start();
    running.push(next);
  }
  await Promise.all(running.map((process) => process.whenReady()));
  return {
    restarted: running.map((process) => process.name),
    updated: running.filter((_, index) => renewed[index]).map((process) => process.name),
  };
}
