import type { Container } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "./objects.js";

/** The image of the init containers that wait (the Kubernetes project's own kubectl image). */
export const KUBECTL_IMAGE = "registry.k8s.io/kubectl:v1.31.0";

/** What a pod waits for before it starts: Jobs to complete, Deployments to be available. */
export interface Waits {
  jobs: string[];
  deployments: string[];
}

const small = { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } };

/**
 * Init containers that block a pod until each Job completed and each Deployment is available: the order
 * `up` keeps (migrate, seed and claims before the processes that need them, a required codebase ready
 * first), kept in the cluster, where a Deployment has no depends_on.
 */
export function waitContainers(waits: Waits): Container[] {
  const containers: Container[] = [];
  if (waits.jobs.length > 0) {
    containers.push({
      name: "wait-for-jobs",
      image: KUBECTL_IMAGE,
      args: ["wait", "--for=condition=complete", "--timeout=-1s", ...waits.jobs.map((job) => `job/${job}`)],
      resources: small,
    });
  }
  if (waits.deployments.length > 0) {
    containers.push({
      name: "wait-for-deployments",
      image: KUBECTL_IMAGE,
      args: [
        "wait",
        "--for=condition=available",
        "--timeout=-1s",
        ...waits.deployments.map((deployment) => `deployment/${deployment}`),
      ],
      resources: small,
    });
  }
  return containers;
}

export const WAITER_RULES = [
  { apiGroups: ["batch"], resources: ["jobs"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "watch"] },
];

export const waitsAny = (waits: Waits): boolean => waits.jobs.length + waits.deployments.length > 0;

/**
 * The account waiting pods run as, allowed only to read Jobs and Deployments of its namespace:
 * `kubectl wait` gets each object, then lists and watches it with a field selector on its name, so get,
 * list and watch are the least it needs (a Role's resourceNames cannot narrow list and watch).
 */
export function waiterAccount(name: string, namespace: string, labels: Record<string, string>): KubeObject[] {
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, labels } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name, labels },
      rules: WAITER_RULES,
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    },
  ];
}
