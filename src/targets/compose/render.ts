import { relative } from "node:path";
import { Document } from "yaml";
import type { Command } from "../../manifest/index.js";
import type { CodebaseModel, DeploymentModel, ProcessModel } from "../model.js";
import { CLAIMS_DIR, claimOutputFile, claimWrapper, containerEnv } from "./env.js";
import { healthcheck } from "./healthcheck.js";
import { providerServices } from "./providers.js";

/** A file written beside the Compose file: env files and secrets 0600, rendered `files:` as they need. */
export interface SideFile {
  /** Relative to the Compose file's folder. */
  path: string;
  content: string;
  mode: number;
}

export interface RenderedCompose {
  yaml: string;
  files: SideFile[];
  /** What did not map (a `log` probe, a snapshot seed), to tell the user. */
  notes: string[];
}

export interface ComposeOptions {
  /** The folder the Compose file is written in: build contexts are relative to it. */
  outDir: string;
  /** The folder for env files, secrets and configs, relative to `outDir`. */
  sideDir: string;
  secretValue(name: string): string;
}

type Service = Record<string, unknown>;
type Waits = Map<string, { service: string; condition: string }>;

/** The model as one Compose file (Compose Specification, as `docker compose` and docker-compose 1.29 read). */
export function renderCompose(model: DeploymentModel, options: ComposeOptions): RenderedCompose {
  const services: Record<string, Service> = {};
  const files: SideFile[] = [];
  const secrets = new Set<string>();
  const configs: Record<string, { file: string }> = {};
  const volumes: Record<string, Record<string, never>> = {};
  const waits: Waits = new Map();
  const comments = new Map<string, string>();
  const label = (codebase?: string, extra: Record<string, string> = {}) => ({
    "berth.workspace": model.workspace,
    ...(codebase ? { "berth.codebase": codebase } : {}),
    ...extra,
  });

  for (const provider of model.providers) {
    const rendered = providerServices(provider, label(undefined, { "berth.provider": provider.kind }));
    Object.assign(services, rendered.services);
    for (const secret of rendered.secrets) secrets.add(secret);
    volumes[`${provider.service}-data`] = {};
    waits.set(provider.step, { service: provider.service, condition: "service_healthy" });
    for (const claim of provider.claims) waits.set(claim.step, rendered.claimDone);
  }
  for (const codebase of model.codebases) {
    for (const task of codebase.tasks)
      if (task.step)
        waits.set(task.step, { service: task.service, condition: "service_completed_successfully" });
    for (const process of codebase.processes) {
      const healthy = process.probe && process.probe.kind !== "log";
      waits.set(process.step, { service: process.service, condition: "service_started" });
      waits.set(`ready:${codebase.name}/${process.name}`, {
        service: process.service,
        condition: healthy ? "service_healthy" : "service_started",
      });
    }
  }
  for (const claim of model.codebaseClaims)
    waits.set(claim.step, { service: claim.service, condition: "service_completed_successfully" });

  const hostPorts = new Set<number>();
  const hostPort = (port: number) => {
    let chosen = port;
    while (hostPorts.has(chosen)) chosen++;
    hostPorts.add(chosen);
    return chosen;
  };
  const side = (path: string) => `./${options.sideDir}/${path}`;

  for (const codebase of model.codebases) {
    const consumesClaims = model.codebaseClaims.some((claim) => claim.consumer === codebase.name);
    const base = (env: DeploymentModel["codebases"][number]["processes"][number]["env"], envName: string) => {
      const split = containerEnv(env, codebase.name, options.secretValue);
      const service: Service = { ...containerImage(codebase, options.outDir) };
      if (Object.keys(split.environment).length > 0) service.environment = split.environment;
      if (Object.keys(split.envFile).length > 0) {
        files.push({
          path: `${options.sideDir}/${envName}.env`,
          content: envFile(split.envFile),
          mode: 0o600,
        });
        service.env_file = [side(`${envName}.env`)];
      }
      if (split.exports.length > 0) service.entrypoint = claimWrapper(split.exports);
      if (consumesClaims) service.volumes = [`claims-${codebase.name}:${CLAIMS_DIR}/${codebase.name}:ro`];
      if (codebase.files.length > 0)
        service.configs = codebase.files.map((file) => ({
          source: `${codebase.name}-${file.name}`,
          target: file.target,
        }));
      return service;
    };
    for (const file of codebase.files) {
      const holdsSecret = file.content.some((part) => typeof part !== "string");
      const content = file.content
        .map((part) =>
          typeof part === "string" ? part : "secret" in part ? options.secretValue(part.secret) : "",
        )
        .join("");
      const path = `${options.sideDir}/files/${codebase.name}/${file.name}`;
      files.push({ path, content, mode: holdsSecret ? 0o600 : 0o644 });
      configs[`${codebase.name}-${file.name}`] = { file: `./${path}` };
    }
    for (const task of codebase.tasks) {
      services[task.service] = {
        ...base(task.env, `${codebase.name}`),
        command: shellCommand(task.command),
        labels: label(codebase.name, { "berth.task": task.name }),
        restart: "no",
        ...(task.kind === "custom" ? { profiles: ["tasks"] } : {}),
        ...dependsOn(task.after, waits),
      };
    }
    for (const process of codebase.processes) {
      const service: Service = {
        ...base(process.env, codebase.name),
        command: shellCommand(process.command),
        labels: label(codebase.name, { "berth.process": process.name }),
        restart: restartPolicy(process),
        stop_grace_period: `${Math.ceil(process.stopTimeoutMs / 1000)}s`,
        ...dependsOn(process.after, waits),
      };
      if (process.port !== undefined) service.ports = [`127.0.0.1:${hostPort(process.port)}:${process.port}`];
      const check = process.probe && healthcheck(process.probe, process.port);
      if (check) service.healthcheck = check;
      if (process.probe?.kind === "log")
        comments.set(
          process.service,
          ` ready: { log: ${JSON.stringify(process.probe.pattern)} } has no Compose healthcheck equivalent:\n consumers wait only for this service to start.`,
        );
      services[process.service] = service;
    }
  }
  for (const claim of model.codebaseClaims) {
    const providing = model.codebases.find((codebase) => codebase.name === claim.provider);
    if (!providing) continue;
    const split = containerEnv(claim.env, claim.provider, options.secretValue);
    const output = claimOutputFile(claim.consumer, claim.alias);
    const service: Service = {
      ...containerImage(providing, options.outDir),
      environment: { ...split.environment, BERTH_OUTPUT: output },
      // The claim task writes its outputs (`key=value` lines) to $BERTH_OUTPUT, in a volume only this
      // consumer mounts.
      entrypoint: [
        "/bin/sh",
        "-c",
        `mkdir -p ${CLAIMS_DIR}/${claim.consumer} && : > ${output} && exec "$@"`,
        "berth-claim",
      ],
      command: shellCommand(claim.command),
      labels: label(claim.provider, { "berth.claim-for": claim.consumer }),
      volumes: [`claims-${claim.consumer}:${CLAIMS_DIR}/${claim.consumer}`],
      restart: "no",
      ...dependsOn(claim.after, waits),
    };
    if (Object.keys(split.envFile).length > 0) {
      files.push({
        path: `${options.sideDir}/${claim.service}.env`,
        content: envFile(split.envFile),
        mode: 0o600,
      });
      service.env_file = [side(`${claim.service}.env`)];
    }
    services[claim.service] = service;
    volumes[`claims-${claim.consumer}`] = {};
  }
  for (const name of secrets)
    files.push({
      path: `${options.sideDir}/secrets/${name}`,
      content: options.secretValue(name),
      mode: 0o600,
    });

  const compose: Record<string, unknown> = { services: sortedKeys(services) };
  if (Object.keys(volumes).length > 0) compose.volumes = sortedKeys(volumes);
  if (secrets.size > 0)
    compose.secrets = Object.fromEntries(
      [...secrets].sort().map((name) => [name, { file: side(`secrets/${name}`) }]),
    );
  if (Object.keys(configs).length > 0) compose.configs = sortedKeys(configs);

  // YAML 1.1, as docker-compose 1.x reads it: `restart: "no"` stays a string there, not false.
  const document = new Document(escapeDollars(compose), { version: "1.1" });
  document.commentBefore = [
    ` Rendered by \`berth export compose\` from the manifests of ${model.workspace}: edit those, not this file.`,
    ` Passwords, secrets and env_file values are in ${options.sideDir}/ (mode 0600), never here.`,
  ].join("\n");
  for (const [service, comment] of comments) {
    const node = document.getIn(["services", service], true) as { commentBefore?: string } | undefined;
    if (node) node.commentBefore = comment;
  }
  return { yaml: document.toString({ lineWidth: 0 }), files, notes: model.notes };
}

function containerImage(codebase: CodebaseModel, outDir: string): Service {
  if (codebase.container.image) return { image: codebase.container.image };
  const context = relative(outDir, codebase.container.build ?? codebase.dir) || ".";
  return { build: { context: context.startsWith(".") ? context : `./${context}` } };
}

/** A manifest's string command runs as `sh -c` would run it natively; a list runs as it is. */
function shellCommand(command: Command): string[] {
  return typeof command === "string" ? ["/bin/sh", "-c", command] : [...command];
}

function restartPolicy(process: ProcessModel): string {
  return process.restart === "no" ? "no" : process.restart === "always" ? "always" : "on-failure";
}

function dependsOn(after: readonly string[], waits: Waits): Service {
  const entries = after.flatMap((step) => {
    const wait = waits.get(step);
    return wait ? [[wait.service, { condition: wait.condition }] as const] : [];
  });
  if (entries.length === 0) return {};
  const merged = new Map<string, { condition: string }>();
  for (const [service, wait] of entries) {
    const known = merged.get(service);
    // Healthy or completed implies started: keep the stronger wait.
    if (!known || known.condition === "service_started") merged.set(service, wait);
  }
  return { depends_on: Object.fromEntries([...merged].sort(([a], [b]) => a.localeCompare(b))) };
}

function envFile(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${value}\n`)
    .join("");
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** Compose interpolates `$` everywhere in its file; nothing here is meant for it, so every `$` is `$$`. */
function escapeDollars(value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll("$", "$$$$");
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, escapeDollars(item)]));
  return value;
}
