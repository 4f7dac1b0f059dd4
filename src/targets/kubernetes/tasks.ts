import { createHash } from "node:crypto";
import type { EnvVar, Volume, VolumeMount } from "kubernetes-types/core/v1.js";
import type { ContainerModel, TaskModel } from "../model.js";
import { containerOf } from "./containers.js";
import { type KubeObject, labelsOf } from "./objects.js";
import { type Waits, waitContainers, waitsAny } from "./waiting.js";

/**
 * A task's Job name: its service name and a hash of its inputs, command and env (the model's inputsHash)
 * and image. A Job's pod template cannot change, and an applied Job that completed is not run again: so a
 * change gives a new name (a new Job, run once), and an unchanged one is the same object (not re-run).
 */
export function taskJobName(task: TaskModel, image: string): string {
  const hash = createHash("sha256").update(`${task.inputsHash}\n${image}`).digest("hex").slice(0, 8);
  return `${task.service.slice(0, 54).replace(/-$/, "")}-${hash}`;
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
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: taskJobName(input.task, input.container.image), labels },
    spec: {
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
    },
  };
}
