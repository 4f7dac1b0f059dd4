import { existsSync } from "node:fs";
import { join } from "node:path";
import { BerthError } from "../errors/index.js";
import { resolveWorkspace } from "../workspace/index.js";
import { deployFolder, deployLines, deploySelector, staleObjects } from "./support/deploy-lines.js";
import { type RolloutWait, waitForRollout } from "./support/kube-rollout.js";
import type { KubeTarget } from "./support/kube-target.js";
import { checkedContext, contextNamespace, kubectlOrFail, targetArgs } from "./support/kubectl.js";
import { type KubernetesFolder, writeKubernetesFolder } from "./support/kubernetes-folder.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

export type { RolloutWait } from "./support/kube-rollout.js";

export interface DeployResult {
  context: string;
  namespace: string;
  folder: KubernetesFolder;
  /** Every kubectl line run (or, with `dryRun`, that would run), as argv after `kubectl`. */
  kubectl: string[][];
  pruned: string[];
}

/**
 * `berth deploy`: renders the closure as `export kubernetes` does (into the state folder, so generated
 * passwords stay what the cluster has), applies it with server-side apply, deletes objects of the same
 * workspace it no longer renders, and waits for the rollout. `dryRun` contacts no cluster: it renders and
 * returns the kubectl lines it would run.
 */
export async function deploy(
  options: WorkspaceOptions & {
    codebases?: readonly string[];
    context?: string;
    namespace?: string;
    dryRun?: boolean;
    timeoutMs?: number;
    hostEnv?: NodeJS.ProcessEnv;
    onWait?: (waits: RolloutWait[]) => void;
  },
): Promise<DeployResult> {
  options.signal?.throwIfAborted();
  const home = homeOf(options);
  const workspace = await resolveWorkspace({ root: options.root, home, signal: options.signal });
  const context = options.dryRun
    ? (options.context ?? "(current context)")
    : await checkedContext(options.context, options.signal);
  // Explicit everywhere: a RoleBinding must name its ServiceAccount's namespace.
  const namespace =
    options.namespace ?? (options.dryRun ? "default" : await contextNamespace(context, options.signal));
  const target: KubeTarget = { context, namespace };
  const dir = deployFolder(home, target, workspace.root.name);
  const folder = await writeKubernetesFolder(workspace, options.codebases ?? [], dir, {
    namespace,
    hostEnv: options.hostEnv ?? process.env,
  });
  const lines = deployLines(target, dir, folder.workspace);
  if (options.dryRun) return { context, namespace, folder, kubectl: [lines.apply, lines.list], pruned: [] };
  const ran: string[][] = [];
  const run = async (args: string[], what: string) => {
    ran.push(args);
    return kubectlOrFail(args, what, options.signal);
  };
  await run(lines.apply, "apply the rendered objects");
  const listed = (await run(lines.list, "list the workspace's objects")).split("\n").filter(Boolean);
  const stale = staleObjects(listed, folder.objects);
  if (stale.length > 0) await run([...targetArgs(target), "delete", "--ignore-not-found", ...stale], "prune");
  await waitForRollout(target, deploySelector(folder.workspace), {
    timeoutMs: options.timeoutMs ?? 600_000,
    signal: options.signal,
    onWait: options.onWait ?? (() => {}),
  });
  return { context, namespace, folder, kubectl: ran, pruned: stale };
}

/**
 * `berth down --context`: deletes what `deploy` applied to that context (the objects of its last render),
 * and the PersistentVolumeClaims of the workspace's providers only with `volumes` and `yes`.
 */
export async function downKubernetes(
  options: WorkspaceOptions & { context?: string; namespace?: string; volumes?: boolean; yes?: boolean },
): Promise<{ context: string; deleted: string[]; kubectl: string[][] }> {
  if (options.volumes && !options.yes) {
    throw new BerthError(
      "BERTH_NOT_CONFIRMED",
      "--volumes deletes the databases' volumes in the cluster: nothing was deleted",
      {
        hint: "add --yes to delete them (there is no undo), or leave out --volumes to keep them",
      },
    );
  }
  const home = homeOf(options);
  const workspace = await resolveWorkspace({ root: options.root, home, signal: options.signal });
  const context = await checkedContext(options.context, options.signal);
  const namespace = options.namespace ?? (await contextNamespace(context, options.signal));
  const target: KubeTarget = { context, namespace };
  const dir = deployFolder(home, target, workspace.root.name);
  if (!existsSync(join(dir, "kustomization.yaml"))) {
    throw new BerthError(
      "BERTH_NOT_RUNNING",
      `this state folder deployed nothing of ${workspace.root.name} to ${context}`,
      {
        hint: "berth down --context deletes what `berth deploy` applied from this state folder; to delete by hand: kubectl delete all -l app.kubernetes.io/managed-by=berth",
      },
    );
  }
  const lines = deployLines(target, dir, workspace.root.name);
  const ran: string[][] = [lines.delete];
  const deleted = (await kubectlOrFail(lines.delete, "delete the deployed objects", options.signal))
    .split("\n")
    .filter(Boolean);
  if (options.volumes) {
    ran.push(lines.deleteVolumes);
    deleted.push(
      ...(await kubectlOrFail(lines.deleteVolumes, "delete the volumes", options.signal))
        .split("\n")
        .filter(Boolean),
    );
  }
  return { context, deleted, kubectl: ran };
}
