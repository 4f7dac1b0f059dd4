import { createHash } from "node:crypto";
import type { JobSpec } from "kubernetes-types/batch/v1.js";
import type { EnvVar, Volume, VolumeMount } from "kubernetes-types/core/v1.js";
import type { ContainerModel, TaskModel } from "../model.js";
import { containerOf } from "./containers.js";
import { type KubeObject, labelsOf } from "./objects.js";
import { type Waits, waitContainers, waitsAny } from "./waiting.js";

/**
 * A Job's name: its service name and a hash of everything that makes it (its pod template, the model's
 * inputsHash of its command, env and input files). A Job's template cannot change once applied, and an
 * applied Job that completed is not run again: so any change gives a new name (a new Job, run once), and an
 * unchanged one is the same object (not re-run).
 */
export function hashedJobName(service: string, made: unknown): string {
  const hash = createHash("sha256").update(JSON.stringify(made)).digest("hex").slice(0, 8);
  return `${service.slice(0, 54).replace(/-$/, "")}-${hash}`;
}

export interface TaskInput {
  workspace: string;
  codebase: string;
  task: TaskModel;
  container: ContainerModel & { image: string };
  env: EnvVar[];
  waits: Waits;
  waiter: string;
  files: { volumes: Volume[]; mounts: VolumeMount[] };
}

/** `migrate` or `seed` → a Job that runs once (retried on failure) in the codebase's image. */
export function taskJob(input: TaskInput): KubeObject {
  const labels = labelsOf(input.workspace, input.codebase, input.task.name);
  const waits = waitsAny(input.waits);
  const spec: JobSpec = {
    backoffLimit: 3,
    // No ttlSecondsAfterFinished: a Job deleted after it finished would be created, and run, again.
    template: {
      metadata: { labels },
      spec: {
        restartPolicy: "Never",
        ...(waits ? { serviceAccountName: input.waiter, initContainers: waitContainers(input.waits) } : {}),
        containers: [
          {
            ...containerOf(input.task.name, {
              image: input.container.image,
              command: input.task.command,
              env: input.env,
              resources: input.container.resources,
            }),
            ...(input.files.mounts.length > 0 ? { volumeMounts: input.files.mounts } : {}),
          },
        ],
        ...(input.files.volumes.length > 0 ? { volumes: input.files.volumes } : {}),
      },
    },
  };
  const name = hashedJobName(input.task.service, [input.task.inputsHash, spec]);
  return { apiVersion: "batch/v1", kind: "Job", metadata: { name, labels }, spec };
}
