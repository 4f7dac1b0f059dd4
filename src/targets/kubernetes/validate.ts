import { BerthError } from "../../errors/index.js";
import type { KubeObject } from "./objects.js";

type Validate = (this: unknown) => void;

/**
 * The validators of kubernetes-models 4.5 (the OpenAPI schemas compiled by ajv), loaded on first use:
 * the nine schemas took 140–240 ms to load here (2 busy cores), which only `export kubernetes` and
 * `deploy` should pay (esbuild puts them in chunks of their own; `berth --help` stays at ~0.1 s).
 */
const loaders: Record<string, () => Promise<{ prototype: { validate: Validate } }>> = {
  "apps/v1/Deployment": async () => (await import("kubernetes-models/apps/v1/Deployment")).Deployment,
  "apps/v1/StatefulSet": async () => (await import("kubernetes-models/apps/v1/StatefulSet")).StatefulSet,
  "batch/v1/Job": async () => (await import("kubernetes-models/batch/v1/Job")).Job,
  "v1/Service": async () => (await import("kubernetes-models/v1/Service")).Service,
  "v1/Secret": async () => (await import("kubernetes-models/v1/Secret")).Secret,
  "v1/ConfigMap": async () => (await import("kubernetes-models/v1/ConfigMap")).ConfigMap,
  "v1/ServiceAccount": async () => (await import("kubernetes-models/v1/ServiceAccount")).ServiceAccount,
  "rbac.authorization.k8s.io/v1/Role": async () =>
    (await import("kubernetes-models/rbac.authorization.k8s.io/v1/Role")).Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": async () =>
    (await import("kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding")).RoleBinding,
};

/**
 * Checks every object against the Kubernetes OpenAPI schema, and refuses any field the schema lacks:
 * kubernetes-models accepts unknown fields, so each object is validated through a proxy that records
 * which fields the compiled validator reads (it reads every field its schema knows, and every key of a
 * map); a field it never read is one the schema does not have. Throws one error naming every problem.
 */
export async function validateObjects(objects: readonly KubeObject[]): Promise<void> {
  const problems: string[] = [];
  for (const object of objects) {
    const where = `${object.kind} ${object.metadata?.name ?? "(no name)"}`;
    const load = loaders[`${object.apiVersion}/${object.kind}`];
    if (!load) {
      problems.push(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    const model = await load();
    const read = new Set<string>();
    try {
      model.prototype.validate.call(tracked(object, "", read));
    } catch (error: unknown) {
      problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const field of unreadFields(object, "", read)) problems.push(`${where}: unknown field ${field}`);
  }
  if (problems.length > 0) {
    throw new BerthError(
      "BERTH_KUBE_INVALID",
      `rendered Kubernetes objects are invalid:\n  ${problems.join("\n  ")}`,
      {
        hint: "this is a bug in Berth's Kubernetes renderer: please report it with the manifest that caused it",
      },
    );
  }
}

function tracked(value: unknown, path: string, read: Set<string>): unknown {
  if (value === null || typeof value !== "object") return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const field = Reflect.get(target, key, receiver);
      if (typeof key !== "string") return field;
      read.add(`${path}/${key}`);
      return tracked(field, `${path}/${key}`, read);
    },
  });
}

function unreadFields(value: unknown, path: string, read: Set<string>): string[] {
  if (value === null || typeof value !== "object") return [];
  if (Array.isArray(value))
    return value.flatMap((item, index) => unreadFields(item, `${path}/${index}`, read));
  return Object.entries(value).flatMap(([key, field]) => {
    const at = `${path}/${key}`;
    return read.has(at) ? unreadFields(field, at, read) : [at];
  });
}
