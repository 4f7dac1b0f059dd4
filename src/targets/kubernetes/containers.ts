import type { Container, EnvVar, ResourceRequirements } from "kubernetes-types/core/v1.js";

/** What a codebase's container runs: its image, the command (a shell line or an argv), its env. */
export interface ContainerInput {
  image: string;
  command?: string | readonly string[] | undefined;
  env: EnvVar[];
  resources?: { cpu?: string | undefined; memory?: string | undefined } | undefined;
}

/** Requests when the manifest sets none: enough for a development server, small enough to schedule. */
export const DEFAULT_REQUESTS = { cpu: "100m", memory: "128Mi" } as const;

export function resourcesOf(resources: ContainerInput["resources"]): ResourceRequirements {
  const cpu = resources?.cpu ?? DEFAULT_REQUESTS.cpu;
  const memory = resources?.memory ?? DEFAULT_REQUESTS.memory;
  // A memory limit equal to the request: an out-of-memory kill names the container instead of a neighbour.
  return { requests: { cpu, memory }, limits: { memory } };
}

/** A shell line runs under `sh -c` as it does on the laptop; a list runs as it is. */
export function argvOf(command: string | readonly string[] | undefined): string[] | undefined {
  if (command === undefined) return undefined;
  return typeof command === "string" ? ["sh", "-c", command] : [...command];
}

export function containerOf(name: string, input: ContainerInput): Container {
  const command = argvOf(input.command);
  return {
    name,
    image: input.image,
    ...(command ? { command } : {}),
    ...(input.env.length > 0 ? { env: input.env } : {}),
    resources: resourcesOf(input.resources),
  };
}
