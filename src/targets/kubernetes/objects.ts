import type { Deployment, StatefulSet } from "kubernetes-types/apps/v1.js";
import type { Job } from "kubernetes-types/batch/v1.js";
import type { ConfigMap, Secret, Service, ServiceAccount } from "kubernetes-types/core/v1.js";
import type { Role, RoleBinding } from "kubernetes-types/rbac/v1.js";

/** Every kind of object the Kubernetes renderer writes, each with its apiVersion and kind set. */
export type KubeObject =
  | (Required<Pick<Deployment, "apiVersion" | "kind">> & Deployment)
  | (Required<Pick<StatefulSet, "apiVersion" | "kind">> & StatefulSet)
  | (Required<Pick<Job, "apiVersion" | "kind">> & Job)
  | (Required<Pick<Service, "apiVersion" | "kind">> & Service)
  | (Required<Pick<Secret, "apiVersion" | "kind">> & Secret)
  | (Required<Pick<ConfigMap, "apiVersion" | "kind">> & ConfigMap)
  | (Required<Pick<ServiceAccount, "apiVersion" | "kind">> & ServiceAccount)
  | (Required<Pick<Role, "apiVersion" | "kind">> & Role)
  | (Required<Pick<RoleBinding, "apiVersion" | "kind">> & RoleBinding);

/** A rendered object with what the command says about it (a probe with no Kubernetes equivalent). */
export interface Rendered {
  object: KubeObject;
  /** Lines written as `#` comments at the top of the object's file. */
  comments: string[];
}

export const MANAGED_BY = "berth";

/** The labels of every object: the codebase, its component (a process, a provider, a job), the workspace. */
export function labelsOf(workspace: string, codebase: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/name": codebase,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": workspace,
    "app.kubernetes.io/managed-by": MANAGED_BY,
  };
}

/** The labels a Deployment or StatefulSet selects its pods by (a subset that never changes). */
export function selectorOf(codebase: string, component: string): Record<string, string> {
  return { "app.kubernetes.io/name": codebase, "app.kubernetes.io/component": component };
}
