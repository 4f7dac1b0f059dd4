import { knownEnvironment } from "../environment/index.js";
import { type Plan, planUp } from "../graph/index.js";
import { Servers } from "../providers/index.js";
import { TaskCache } from "../state/index.js";
import { createdPathsExist, keyOfTask } from "../tasks/index.js";
import { resolveWorkspace, TrustStore, type Workspace } from "../workspace/index.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

export interface PlanResult extends Plan {
  /** Task steps whose key is unchanged since they last succeeded: `up` skips them. */
  cached: string[];
  /** Codebases whose folder `berth link` replaced. */
  linked: { name: string; dir: string }[];
  /** Manifests in the plan that are not trusted yet: `up` would refuse them (none under `trustAll`). */
  untrusted: string[];
}

/** What `berth up` would do for these codebases, in order, with what each step waits for. */
export async function plan(
  options: WorkspaceOptions & { codebases?: readonly string[]; trustAll?: boolean },
): Promise<PlanResult> {
  options.signal?.throwIfAborted();
  const home = homeOf(options);
  const workspace = await resolveWorkspace({ root: options.root, home, signal: options.signal });
  const result = planUp(workspace, options.codebases ?? []);
  const planned = result.codebases.flatMap((name) => {
    const codebase = workspace.codebases.get(name);
    return codebase ? [codebase] : [];
  });
  const trust = new TrustStore(home);
  return {
    ...result,
    cached: cachedSteps(home, workspace, result),
    linked: planned.filter((codebase) => codebase.linkedFrom).map(({ name, dir }) => ({ name, dir })),
    untrusted: planned
      .filter(({ loaded }) => !options.trustAll && !trust.isTrusted(loaded.file, loaded.hash))
      .map(({ loaded }) => loaded.file),
  };
}

/** The task steps `up` would skip, judged with what the state folder knows (ports, claims, last keys). */
function cachedSteps(home: string, workspace: Workspace, result: Plan): string[] {
  const servers = new Servers(home);
  const environment = knownEnvironment(home, workspace, result, servers);
  const cache = new TaskCache(home);
  return result.steps.flatMap((step) => {
    if (step.kind !== "install" && step.kind !== "migrate" && step.kind !== "seed") return [];
    const codebase = workspace.codebases.get(step.codebase);
    if (!codebase) return [];
    try {
      const key = keyOfTask(codebase, step.kind, environment, servers);
      const fresh = key !== undefined && cache.isFresh(codebase.dir, step.kind, key);
      return fresh && createdPathsExist(codebase, step.kind) ? [step.id] : [];
    } catch {
      return []; // a value not known yet (a claim never made): it will run
    }
  });
}
