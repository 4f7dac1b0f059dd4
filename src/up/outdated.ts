import type { Registry, SupervisedProcess } from "../processes/index.js";
import { stopProcesses } from "../processes/index.js";
import type { Workspace } from "../workspace/index.js";

export interface Outdated {
  process: SupervisedProcess;
  reason: string;
}

/**
 * What a workspace ran that its manifests no longer describe: an instance from a codebase's former folder
 * (after `link`, `unlink` or `update`), a process removed from its manifest, a codebase no longer
 * required. Only codebases being brought up (`names`) are compared with their manifest; a process another
 * workspace also uses is left to it.
 */
export function outdatedProcesses(
  registry: Registry,
  workspace: Workspace,
  names: readonly string[],
): Outdated[] {
  const owner = workspace.root.dir;
  const outdated: Outdated[] = [];
  for (const process of registry.all()) {
    if (!process.owners.has(owner)) continue;
    const codebase = workspace.codebases.get(process.spec.codebase);
    let reason: string | undefined;
    if (!codebase) reason = `${process.spec.codebase} is no longer part of this workspace`;
    else if (!names.includes(codebase.name)) continue;
    else if (codebase.dir !== process.spec.dir)
      reason = `replaced: ${codebase.name} now runs from ${codebase.dir} (was ${process.spec.dir})`;
    else if (!codebase.loaded.manifest.processes?.[process.spec.process])
      reason = "removed from the manifest";
    if (!reason) continue;
    process.owners.delete(owner);
    if (process.owners.size === 0) outdated.push({ process, reason });
  }
  return outdated;
}

/** Stops what `outdatedProcesses` found; the servers' users forget the folders that no longer run. */
export async function stopOutdated(
  registry: Registry,
  outdated: readonly Outdated[],
  serverUsers: Map<string, Set<string>>,
): Promise<void> {
  await stopProcesses(
    registry,
    outdated.map(({ process }) => process),
  );
  const stillRunning = new Set(registry.all().map((process) => process.spec.dir));
  for (const { process } of outdated) {
    if (stillRunning.has(process.spec.dir)) continue;
    for (const users of serverUsers.values()) users.delete(process.spec.dir);
  }
}

/**
 * Every process a workspace ran, whatever folder it ran from (only of the named codebases or
 * `codebase/process` targets, when named).
 */
export function ownedProcesses(
  registry: Registry,
  workspace: Workspace | undefined,
  names: readonly string[],
): SupervisedProcess[] {
  if (!workspace) return [];
  return registry
    .all()
    .filter(
      (process) =>
        process.owners.has(workspace.root.dir) &&
        (names.length === 0 ||
          names.includes(process.spec.codebase) ||
          names.includes(`${process.spec.codebase}/${process.spec.process}`)),
    );
}
