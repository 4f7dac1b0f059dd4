import type {
  CodebaseClaimModel,
  CodebaseModel,
  ContainerModel,
  DeploymentModel,
  TaskModel,
} from "../model.js";
import { claimSecretName, codebaseClaimObjects } from "./codebase-claims.js";
import { envVarsOf } from "./env.js";
import { type CodebaseFiles, codebaseFiles } from "./files.js";
import { type KubeObject, labelsOf, type Rendered } from "./objects.js";
import { processObjects } from "./process.js";
import { providerClaimJobName, providerObjects } from "./providers.js";
import { taskJob } from "./tasks.js";
import { type Waits, waiterAccount } from "./waiting.js";

export interface KubernetesRender {
  objects: Rendered[];
  /** What does not map, in words: said by the command (and, where it concerns one object, in its file). */
  notes: string[];
}

/** The image a codebase runs in: `container.image`, or for a `build` context a local name to build and push. */
export function imageOf(codebase: CodebaseModel): string {
  return codebase.container.image ?? `${codebase.name}:berth`;
}

const withImage = (codebase: CodebaseModel): ContainerModel & { image: string } => ({
  ...codebase.container,
  image: imageOf(codebase),
});

/**
 * The deployment model as Kubernetes objects: pure, given the values of the workspace's secrets (generated
 * passwords, env_file values, host variables), which go into Secrets and nowhere else.
 */
export function renderKubernetes(
  model: DeploymentModel,
  secretValues: Record<string, string>,
  namespace: string,
): KubernetesRender {
  const workspace = model.workspace;
  const secrets = `${workspace}-secrets`;
  const waiter = `${workspace}-waiter`;
  const notes = [...model.notes];
  const objects: Rendered[] = [];
  const add = (...added: KubeObject[]) => objects.push(...added.map((object) => ({ object, comments: [] })));
  const steps = new Map(model.order.map((step) => [step.id, step.after]));
  const byCodebase = new Map(model.codebases.map((codebase) => [codebase.name, codebase]));
  const files = new Map<string, CodebaseFiles>(
    model.codebases.map((codebase) => [codebase.name, codebaseFiles(workspace, codebase, secretValues)]),
  );

  /** Plan step id → the object standing for it once done; a Job is built on first need (its name is a hash of it). */
  const done = new Map<string, { job: () => string } | { deployment: string }>();
  const once = <T>(make: () => T): (() => T) => {
    let made: { value: T } | undefined;
    return () => {
      made ??= { value: make() };
      return made.value;
    };
  };
  const jobOf = (make: () => KubeObject[]) => {
    const built = once(() => {
      const made = make();
      add(...made);
      return made.find((object) => object.kind === "Job")?.metadata?.name ?? "";
    });
    return { job: built };
  };

  /** What a step waits for, as objects: a step not rendered (install, a server) stands for what it waits for. */
  const waitsOf = (after: readonly string[]): Waits => {
    const waits: Waits = { jobs: [], deployments: [] };
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      const object = done.get(id);
      if (object && "job" in object) waits.jobs.push(object.job());
      else if (object) waits.deployments.push(object.deployment);
      else for (const next of steps.get(id) ?? []) visit(next);
    };
    for (const id of after) visit(id);
    return { jobs: [...new Set(waits.jobs)].sort(), deployments: [...new Set(waits.deployments)].sort() };
  };

  const claimSecretOf = (codebase: string) => (alias: string) => claimSecretName(codebase, alias);
  const taskObjects = (codebase: CodebaseModel, task: TaskModel): KubeObject[] => [
    taskJob({
      workspace,
      codebase: codebase.name,
      task,
      container: withImage(codebase),
      env: envVarsOf(task.env, secrets, claimSecretOf(codebase.name)),
      waits: waitsOf(task.after),
      waiter,
      files: files.get(codebase.name) ?? { objects: [], volumes: [], mounts: [], notes: [] },
    }),
  ];
  const claimObjects = (claim: CodebaseClaimModel, providing: CodebaseModel): KubeObject[] =>
    codebaseClaimObjects({
      workspace,
      claim,
      container: withImage(providing),
      env: envVarsOf(claim.env, secrets, claimSecretOf(claim.provider)),
      waits: waitsOf(claim.after),
      waiter,
      namespace,
    });

  for (const provider of model.providers) {
    objects.push(...providerObjects(workspace, provider, secrets));
    for (const claim of provider.claims) {
      const name = providerClaimJobName(provider, claim);
      if (claim.database && claim.user) done.set(claim.step, { job: () => name });
    }
  }
  for (const codebase of model.codebases) {
    for (const task of codebase.tasks) {
      if ((task.kind === "migrate" || task.kind === "seed") && task.step)
        done.set(
          task.step,
          jobOf(() => taskObjects(codebase, task)),
        );
    }
    for (const process of codebase.processes)
      done.set(`ready:${codebase.name}/${process.name}`, { deployment: process.service });
  }
  for (const claim of model.codebaseClaims) {
    const providing = byCodebase.get(claim.provider);
    if (providing)
      done.set(
        claim.step,
        jobOf(() => claimObjects(claim, providing)),
      );
  }

  for (const codebase of model.codebases) {
    if (!codebase.container.image && codebase.container.build) {
      notes.push(
        `${codebase.name}: container.build has no Kubernetes equivalent: build and push ${imageOf(codebase)} where the cluster pulls from, or set container.image (${codebase.file})`,
      );
    }
    const own = files.get(codebase.name);
    if (own) {
      notes.push(...own.notes);
      add(...own.objects);
    }
    for (const task of codebase.tasks) {
      if (task.kind === "install")
        notes.push(
          `${codebase.name}/install: not rendered: in a cluster it belongs in the image (its Dockerfile)`,
        );
      const job = task.step ? done.get(task.step) : undefined;
      if (job && "job" in job) job.job();
    }
    for (const process of codebase.processes) {
      objects.push(
        ...processObjects({
          workspace,
          codebase: codebase.name,
          process,
          container: withImage(codebase),
          command: codebase.command ?? process.command,
          env: envVarsOf(process.env, secrets, claimSecretOf(codebase.name)),
          waits: waitsOf(process.after),
          waiter,
          files: own ?? { objects: [], volumes: [], mounts: [], notes: [] },
        }),
      );
    }
  }
  for (const claim of model.codebaseClaims) {
    const job = done.get(claim.step);
    if (job && "job" in job) job.job();
  }
  add(...waiterAccount(waiter, namespace, labelsOf(workspace, workspace, "waiter")));
  add(secretObject(secrets, workspace, model, secretValues));
  return { objects: sortObjects(objects), notes };
}

function secretObject(
  name: string,
  workspace: string,
  model: DeploymentModel,
  values: Record<string, string>,
): KubeObject {
  const stringData = Object.fromEntries(model.secrets.map(({ name: key }) => [key, values[key] ?? ""]));
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, labels: labelsOf(workspace, workspace, "secrets") },
    type: "Opaque",
    stringData,
  };
}

function sortObjects(objects: Rendered[]): Rendered[] {
  return objects.sort((a, b) =>
    `${a.object.kind}/${a.object.metadata?.name}`.localeCompare(
      `${b.object.kind}/${b.object.metadata?.name}`,
    ),
  );
}
