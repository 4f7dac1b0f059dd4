import { resolve } from "node:path";
import { resolveWorkspace } from "../workspace/index.js";
import { type KubernetesFolder, writeKubernetesFolder } from "./support/kubernetes-folder.js";
import { homeOf, type WorkspaceOptions } from "./support/options.js";

export type { KubernetesFolder } from "./support/kubernetes-folder.js";

/**
 * `berth export kubernetes`: the closure of `codebases` as a kustomize folder (`kubectl kustomize <dir>`,
 * `kubectl apply -k <dir>`), every object checked against the Kubernetes schemas before it is written.
 */
export async function exportKubernetes(
  options: WorkspaceOptions & {
    codebases?: readonly string[];
    out?: string;
    namespace?: string;
    hostEnv?: NodeJS.ProcessEnv;
  },
): Promise<KubernetesFolder> {
  options.signal?.throwIfAborted();
  const workspace = await resolveWorkspace({
    root: options.root,
    home: homeOf(options),
    signal: options.signal,
  });
  const dir = resolve(options.out ?? "kubernetes");
  return writeKubernetesFolder(workspace, options.codebases ?? [], dir, {
    namespace: options.namespace ?? "default",
    hostEnv: options.hostEnv ?? process.env,
  });
}
