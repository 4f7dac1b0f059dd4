import { Environment } from "../environment/index.js";
import { type BerthError, BerthErrors } from "../errors/index.js";
import { planUp, type StandardTask, type Step } from "../graph/index.js";
import { type Command, claimOutputNames, durationMs, type Probe, type YamlPath } from "../manifest/index.js";
import type { Codebase, Workspace } from "../workspace/index.js";
import { containerOf } from "./container-check.js";
import { inputsHash } from "./inputs-hash.js";
import type {
  CodebaseClaimModel,
  CodebaseModel,
  DeploymentModel,
  Env,
  ProbeModel,
  SecretModel,
  TaskModel,
  Value,
} from "./model.js";
import { AUTO_CONTAINER_PORT, dnsName, FILES_DIR, secretName } from "./names.js";
import { networkWorkspace } from "./network-fields.js";
import { providerModels } from "./provider-claims.js";
import { ValueTokens, valueText } from "./value-tokens.js";

const STANDARD: readonly string[] = ["install", "migrate", "seed"] satisfies StandardTask[];
const SECRET_NAME = /pass|secret|token|key/i;

/**
 * The asked codebases and everything they require, as another engine sees them: services on one network,
 * env interpolated for it (a provider's host is its service, a process's port its container port),
 * secrets as references, and every wait of `up` kept as an order edge. Reads manifests and task inputs.
 */
export function deploymentModel(source: Workspace, asked: readonly string[] = []): DeploymentModel {
  const plan = planUp(source, asked);
  const planned = new Set(plan.codebases);
  const workspace = networkWorkspace(source);
  const tokens = new ValueTokens();
  const secrets = new Map<string, SecretModel>();
  const secret = (name: string, from: SecretModel["source"] = { from: "generated" }) => {
    if (!secrets.has(name)) secrets.set(name, { name, source: from });
    return tokens.secret(name);
  };
  const split = (text: string) => tokens.split(text);
  const providers = providerModels(workspace, planned, (name) => secret(name), split);
  const providerExports = new Map(
    providers.flatMap((provider) =>
      provider.claims.map((claim) => [`${claim.consumer}#${claim.alias}`, claim]),
    ),
  );
  const hostEnv = new Proxy({} as NodeJS.ProcessEnv, {
    get: (_, variable) =>
      typeof variable === "string"
        ? secret(secretName("env", variable), { from: "host-env", variable })
        : undefined,
  });
  const environment = new Environment(workspace, {
    port: (codebase, process) => containerPort(workspace, codebase, process),
    providerExports: (codebase, alias) => {
      const claim = providerExports.get(`${codebase}#${alias}`);
      return (
        claim && Object.fromEntries(Object.entries(claim.exports).map(([key, value]) => [key, joined(value)]))
      );
    },
    claimOutputs: (consumer, alias) => {
      const target = workspace.dependencies.find(
        (entry) => entry.from === consumer && entry.alias === alias,
      )?.target;
      const providing = target?.kind === "codebase" ? workspace.codebases.get(target.name) : undefined;
      if (!providing) return undefined;
      return Object.fromEntries(
        claimOutputNames(providing.loaded.manifest).map((key) => [key, tokens.claimOutput(alias, key)]),
      );
    },
    filePath: (codebase, name) => `${FILES_DIR}/${codebase}/${name}`,
    secret: (codebase, name) => secret(secretName(codebase, "secret", name)),
    hostEnv,
  });
  /** A Value back as one string of tokens, as the environment renders. */
  const joined = (value: Value): string =>
    valueText(value, (part) =>
      "secret" in part
        ? tokens.secret(part.secret)
        : tokens.claimOutput(part.claimOutput.alias, part.claimOutput.key),
    );
  const envOf = (codebase: Codebase): Env => {
    const decided = environment.decidedEnv(codebase.name, "values");
    const written = codebase.loaded.manifest.env ?? {};
    for (const key of Object.keys(codebase.loaded.envFileValues))
      if (!(key in written))
        decided[key] = secret(secretName(codebase.name, "env_file", key), {
          from: "env_file",
          codebase: codebase.name,
          key,
        });
    decided.BERTH_CODEBASE = codebase.name;
    return Object.fromEntries(
      Object.keys(decided)
        .sort()
        .map((key) => [key, split(decided[key] ?? "")]),
    );
  };
  const command = (codebase: Codebase, path: YamlPath, written: Command): Command => {
    const rendered = environment.command(codebase.name, path, written);
    return typeof rendered === "string" ? rendered : rendered.map(String);
  };
  const steps = new Map(plan.steps.map((step) => [step.id, step]));
  const after = (id: string) => steps.get(id)?.after ?? [];

  const errors: BerthError[] = [];
  const notes: string[] = [];
  const codebases: CodebaseModel[] = [];
  for (const name of plan.codebases) {
    const codebase = workspace.codebases.get(name);
    const local = source.codebases.get(name);
    if (!codebase || !local) continue;
    const container = containerOf(local);
    if (container instanceof Error) {
      errors.push(container);
      continue;
    }
    const manifest = codebase.loaded.manifest;
    const env = envOf(codebase);
    const processes = Object.entries(manifest.processes ?? {}).map(([process, spec]) => {
      const probe = spec.ready
        ? probeModel(codebase, process, spec.ready, (path, c) => command(codebase, path, c))
        : undefined;
      if (probe?.kind === "log")
        notes.push(
          `${name}/${process}: a \`log\` readiness probe has no equivalent on another engine; it is taken as ready once started`,
        );
      const port = containerPort(workspace, name, process);
      const processEnv: Env = { ...env };
      if (port !== undefined && !("PORT" in processEnv)) processEnv.PORT = [String(port)];
      // Natively a process listens on 127.0.0.1; in a container it must listen where its service is reached.
      if (!("HOST" in processEnv)) processEnv.HOST = ["0.0.0.0"];
      const id = `start:${name}/${process}`;
      return {
        name: process,
        service: dnsName(name, process),
        command: manifest.container?.command ?? command(codebase, ["processes", process, "run"], spec.run),
        ...(port !== undefined ? { port } : {}),
        ...(probe ? { probe } : {}),
        restart: spec.restart ?? "on-failure",
        stopTimeoutMs: durationMs(spec.stop_timeout, 10_000),
        env: sorted(processEnv),
        step: id,
        after: after(id),
      };
    });
    const tasks: TaskModel[] = [];
    for (const [task, spec] of Object.entries(manifest.tasks ?? {})) {
      if (task === "claim") continue;
      if (spec.snapshot !== undefined || spec.baseline !== undefined)
        notes.push(
          `${name}/${task}: a snapshot ${spec.snapshot ? "seed" : "baseline"} is not loaded on another engine`,
        );
      if (spec.run === undefined) continue;
      const run = command(codebase, ["tasks", task, "run"], spec.run);
      const standard = STANDARD.includes(task);
      const id = `${task}:${name}`;
      tasks.push({
        name: task,
        kind: standard ? (task as StandardTask) : "custom",
        service: dnsName(name, task),
        command: run,
        env,
        inputsHash: inputsHash(local.dir, spec.inputs ?? [], run, env),
        ...(standard ? { step: id } : {}),
        after: standard ? after(id) : customTaskWaits(plan.steps, name),
      });
    }
    const files = codebase.loaded.files.map((file) => ({
      name: file.name,
      target: `${FILES_DIR}/${name}/${file.name}`,
      content: split(environment.render(name, file.parts)),
    }));
    codebases.push({ name, dir: local.dir, file: codebase.loaded.file, container, processes, tasks, files });
  }
  if (errors.length > 0) throw new BerthErrors(errors);

  const codebaseClaims: CodebaseClaimModel[] = [];
  for (const step of plan.steps) {
    if (step.kind !== "claim" || step.provider_codebase === undefined) continue;
    const providing = workspace.codebases.get(step.provider_codebase);
    const claim = providing?.loaded.manifest.tasks?.claim;
    if (!providing || !claim?.run) continue;
    const outputs = claimOutputNames(providing.loaded.manifest);
    codebaseClaims.push({
      consumer: step.codebase,
      alias: step.alias,
      provider: providing.name,
      service: dnsName(providing.name, "claim", step.codebase),
      command: command(providing, ["tasks", "claim", "run"], claim.run),
      env: sorted({ ...envOf(providing), BERTH_CONSUMER: [step.codebase] }),
      outputs,
      secretOutputs: (claim.outputs ?? []).flatMap((output) =>
        typeof output === "string"
          ? SECRET_NAME.test(output)
            ? [output]
            : []
          : output.secret || SECRET_NAME.test(output.name)
            ? [output.name]
            : [],
      ),
      step: step.id,
      after: step.after,
    });
  }
  for (const { from, alias, target } of workspace.dependencies)
    if (target.kind === "external" && planned.has(from))
      notes.push(`${from}/${alias}: an external is not run by the target; its url is used as written`);

  return {
    workspace: workspace.root.name,
    codebases,
    providers,
    codebaseClaims,
    secrets: [...secrets.values()].sort((a, b) => a.name.localeCompare(b.name)),
    order: plan.steps.map((step) => ({
      id: step.id,
      kind: step.kind,
      ...(step.codebase !== undefined ? { codebase: step.codebase } : {}),
      after: step.after,
    })),
    notes,
  };
}

/** A custom task runs where the codebase's processes would: after its claims, tasks and requirements. */
function customTaskWaits(steps: readonly Step[], codebase: string): string[] {
  const start = steps.find((step) => step.kind === "start" && step.codebase === codebase);
  if (start) return start.after;
  const last = [...STANDARD]
    .reverse()
    .find((task) => steps.some((step) => step.id === `${task}:${codebase}`));
  return last ? [`${last}:${codebase}`] : [];
}

function containerPort(workspace: Workspace, codebase: string, process: string): number | undefined {
  const port = workspace.codebases.get(codebase)?.loaded.manifest.processes?.[process]?.port;
  return port === "auto" ? AUTO_CONTAINER_PORT : port;
}

function probeModel(
  codebase: Codebase,
  process: string,
  probe: Probe,
  command: (path: YamlPath, written: Command) => Command,
): ProbeModel {
  const timing = {
    intervalMs: durationMs(probe.interval, 250),
    timeoutMs: durationMs(probe.timeout, 60_000),
    startPeriodMs: durationMs(probe.start_period, 0),
  };
  if (probe.http !== undefined) return { kind: "http", path: probe.http, ...timing };
  if (probe.exec !== undefined)
    return { kind: "exec", command: command(["processes", process, "ready", "exec"], probe.exec), ...timing };
  if (probe.log !== undefined) return { kind: "log", pattern: probe.log, ...timing };
  if (probe.tcp) return { kind: "tcp", ...timing };
  throw new Error(`bug: ${codebase.name}/${process} has a probe of no kind`);
}

function sorted(env: Env): Env {
  return Object.fromEntries(
    Object.keys(env)
      .sort()
      .map((key) => [key, env[key] ?? []]),
  );
}
