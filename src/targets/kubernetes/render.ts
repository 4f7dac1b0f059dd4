import type { CodebaseModel, ContainerModel, DeploymentModel, OrderStep } from "../model.js";
import { claimJobName, claimSecretName, codebaseClaimObjects } from "./codebase-claims.js";
import { envVarsOf } from "./env.js";
import { codebaseFiles } from "./files.js";
import { type KubeObject, labelsOf, type Rendered } from "./objects.js";
import { processObjects } from "./process.js";
import { providerClaimJobName, providerObjects } from "./providers.js";
import { taskJob, taskJobName } from "./tasks.js";
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

/**
 * The deployment model as Kubernetes objects: pure, given the values of the workspace's secrets (generated
 * passwords, env_file values, host variables), which go into one Secret and nowhere else.
 */
export function renderKubernetes(
  model: DeploymentModel,
  secretValues: Record<string, string>,
): KubernetesRender {
  const workspace = model.workspace;
  const secrets = `${workspace}-secrets`;
  const waiter = `${workspace}-waiter`;
  const notes = [...model.notes];
  const objects: Rendered[] = [];
  const steps = new Map(model.order.map((step) => [step.id, step]));
  /** Plan step id → the object that stands for it once done. */
  const done = new Map<string, { job: string } | { deployment: string }>();

  for (const provider of model.providers) {
    for (const claim of provider.claims) {
      if (claim.database && claim.user) done.set(claim.step, { job: providerClaimJobName(provider, claim) });
    }
  }
  const byCodebase = new Map(model.codebases.map((codebase) => [codebase.name, codebase]));
  const containerOf = (codebase: CodebaseModel): ContainerModel & { image: string } => ({
    ...codebase.container,
    image: imageOf(codebase),
  });
  for (const codebase of model.codebases) {
    if (!codebase.container.image && codebase.container.build) {
      notes.push(
        `${codebase.name}: container.build has no Kubernetes equivalent: build and push ${imageOf(codebase)} where the cluster pulls from, or set container.image (${codebase.file})`,
      );
    }
    for (const task of codebase.tasks) {
      if ((task.kind === "migrate" || task.kind === "seed") && task.step)
        done.set(task.step, { job: taskJobName(task, imageOf(codebase)) });
    }
    for (const process of codebase.processes)
      done.set(`ready:${codebase.name}/${process.name}`, { deployment: process.service });
  }
  for (const claim of model.codebaseClaims) {
    const providing = byCodebase.get(claim.provider);
    if (providing) done.set(claim.step, { job: claimJobName(claim, imageOf(providing)) });
  }

  /** What a step waits for, as objects: a step not rendered (install, a server) stands for what it waits for. */
  const waitsOf = (after: readonly string[]): Waits => {
    const waits: Waits = { jobs: [], deployments: [] };
    const seen = new Set<string>();
    const visit = (id: string) => {
      if (seen.has(id)) return;
      seen.add(id);
      const object = done.get(id);
      if (object && "job" in object) waits.jobs.push(object.job);
      else if (object) waits.deployments.push(object.deployment);
      else for (const next of (steps.get(id) as OrderStep | undefined)?.after ?? []) visit(next);
    };
    for (const id of after) visit(id);
    waits.jobs = [...new Set(waits.jobs)].sort();
    waits.deployments = [...new Set(waits.deployments)].sort();
    return waits;
  };

  for (const provider of model.providers) objects.push(...providerObjects(workspace, provider, secrets));
  for (const codebase of model.codebases) {
    const container = containerOf(codebase);
    const claimSecret = (alias: string) => claimSecretName(codebase.name, alias);
    const files = codebaseFiles(workspace, codebase, secretValues);
    notes.push(...files.notes);
    objects.push(...files.objects.map((object) => ({ object, comments: [] })));
    for (const task of codebase.tasks) {
      if (task.kind === "install") {
        notes.push(
          `${codebase.name}/install: not rendered: in a cluster it belongs in the image (its Dockerfile)`,
        );
        continue;
      }
      if (task.kind !== "migrate" && task.kind !== "seed") continue;
      objects.push({
        object: taskJob({
          workspace,
          codebase: codebase.name,
          task,
          container,
          env: envVarsOf(task.env, secrets, claimSecret),
          waits: waitsOf(task.after),
          waiter,
          files,
        }),
        comments: [],
      });
    }
    for (const process of codebase.processes) {
      const rendered = processObjects({
        workspace,
        codebase: codebase.name,
        process,
        container,
        command: codebase.command ?? process.command,
        env: envVarsOf(process.env, secrets, claimSecret),
        waits: waitsOf(process.after),
        waiter,
        files,
      });
      objects.push(...rendered);
    }
  }
  for (const claim of model.codebaseClaims) {
    const providing = byCodebase.get(claim.provider);
    if (!providing) continue;
    const claimObjects = codebaseClaimObjects({
      workspace,
      claim,
      container: containerOf(providing),
      env: envVarsOf(claim.env, secrets, (alias) => claimSecretName(claim.provider, alias)),
      waits: waitsOf(claim.after),
      waiter,
    });
    objects.push(...claimObjects.map((object) => ({ object, comments: [] })));
  }
  const waiterLabels = labelsOf(workspace, workspace, "waiter");
  objects.push(...waiterAccount(waiter, waiterLabels).map((object) => ({ object, comments: [] })));
  objects.push({ object: secretObject(secrets, workspace, model, secretValues), comments: [] });
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
