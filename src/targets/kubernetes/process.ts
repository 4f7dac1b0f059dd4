import type { EnvVar, Volume, VolumeMount } from "kubernetes-types/core/v1.js";
import type { ContainerModel, ProcessModel } from "../model.js";
import { containerOf } from "./containers.js";
import { type KubeObject, labelsOf, type Rendered, selectorOf } from "./objects.js";
import { probesOf } from "./probes.js";
import { type Waits, waitContainers, waitsAny } from "./waiting.js";

export interface ProcessInput {
  workspace: string;
  codebase: string;
  process: ProcessModel;
  container: ContainerModel & { image: string };
  command: ProcessModel["command"];
  env: EnvVar[];
  waits: Waits;
  /** The ServiceAccount allowed to read Jobs and Deployments, for pods that wait. */
  waiter: string;
  /** The codebase's `files:`, mounted at their paths. */
  files: { volumes: Volume[]; mounts: VolumeMount[] };
}

/** A process → a Deployment of one replica, and a Service (its host name: the model's service) with a port. */
export function processObjects(input: ProcessInput): Rendered[] {
  const { process } = input;
  const name = process.service;
  const labels = labelsOf(input.workspace, input.codebase, process.name);
  const selector = selectorOf(input.codebase, process.name);
  const probes = probesOf(process.probe, process.port, `${input.codebase}/${process.name}`);
  const container = {
    ...containerOf(process.name, {
      image: input.container.image,
      command: input.command,
      env: input.env,
      resources: input.container.resources,
    }),
    ...(process.port !== undefined ? { ports: [{ name: "main", containerPort: process.port }] } : {}),
    ...(probes.readinessProbe ? { readinessProbe: probes.readinessProbe } : {}),
    ...(probes.startupProbe ? { startupProbe: probes.startupProbe } : {}),
    ...(input.files.mounts.length > 0 ? { volumeMounts: input.files.mounts } : {}),
  };
  const waits = waitsAny(input.waits);
  const deployment: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels },
        spec: {
          ...(waits ? { serviceAccountName: input.waiter, initContainers: waitContainers(input.waits) } : {}),
          containers: [container],
          ...(input.files.volumes.length > 0 ? { volumes: input.files.volumes } : {}),
          terminationGracePeriodSeconds: Math.max(1, Math.ceil(process.stopTimeoutMs / 1000)),
        },
      },
    },
  };
  const rendered: Rendered[] = [{ object: deployment, comments: probes.note ? [probes.note] : [] }];
  if (process.port !== undefined) {
    rendered.push({
      object: {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, labels },
        spec: { selector, ports: [{ name: "main", port: process.port, targetPort: process.port }] },
      },
      comments: [],
    });
  }
  return rendered;
}
