import { join } from "node:path";
import type { KubeTarget } from "./kube-target.js";
import { targetArgs } from "./kubectl.js";

/** The kinds `deploy` renders and so may prune; never PersistentVolumeClaims (they hold the data). */
export const PRUNED_KINDS = [
  "deployments.apps",
  "statefulsets.apps",
  "jobs.batch",
  "services",
  "secrets",
  "configmaps",
  "serviceaccounts",
  "roles.rbac.authorization.k8s.io",
  "rolebindings.rbac.authorization.k8s.io",
];

export const deploySelector = (workspace: string): string =>
  `app.kubernetes.io/part-of=${workspace},app.kubernetes.io/managed-by=berth`;

/** Where `deploy` keeps its render per context and namespace: the record of what it applied. */
export function deployFolder(home: string, target: KubeTarget, workspace: string): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, "_");
  return join(home, "kubernetes", safe(target.context), safe(target.namespace ?? "_default"), workspace);
}

/**
 * The objects of the workspace in the cluster (`kubectl get -o name`: `deployment.apps/x`) that the render no
 * longer has (`Deployment x`): what deploy prunes. Compared by kind, without its API group, and name.
 */
export function staleObjects(
  listed: readonly string[],
  rendered: readonly { kind: string; name: string }[],
): string[] {
  const kept = new Set(rendered.map(({ kind, name }) => `${kind.toLowerCase()}/${name}`));
  return listed.filter((line) => !kept.has(line.replace(/^([a-z]+)\.[^/]*\//, "$1/")));
}

/** The kubectl lines of deploy and down, as argv after `kubectl`. */
export function deployLines(target: KubeTarget, dir: string, workspace: string) {
  const selector = deploySelector(workspace);
  return {
    apply: [
      ...targetArgs(target),
      "apply",
      "--server-side",
      "--field-manager=berth",
      "--force-conflicts",
      "-k",
      dir,
    ],
    list: [...targetArgs(target), "get", PRUNED_KINDS.join(","), "-l", selector, "-o", "name"],
    delete: [...targetArgs(target), "delete", "--ignore-not-found", "-o", "name", "-k", dir],
    deleteVolumes: [...targetArgs(target), "delete", "persistentvolumeclaims", "-l", selector, "-o", "name"],
  };
}
