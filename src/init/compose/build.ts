import { existsSync } from "node:fs";
import { BerthError } from "../../errors/index.js";
import { PROVIDER_EXPORTS } from "../../manifest/index.js";
import type { EnvFile, Port } from "./canonical.js";
import { classify, type Role } from "./classify.js";
import { CodebaseGraph } from "./codebase-graph.js";
import { droppedKeys } from "./dropped.js";
import { rewriteEnvironment, type ServiceTarget } from "./environment.js";
import { externalRequirement, externalUrl } from "./external-draft.js";
import { groupServices, identifierOf, unique } from "./group.js";
import { hostIndex } from "./hosts.js";
import type { LoadedCompose, LoadedService } from "./load.js";
import type { CodebaseDraft, DraftProcess, ServiceReport } from "./model.js";
import { choosePort, placeProcess, portText } from "./process-draft.js";
import { splitEnvironment } from "./split-environment.js";

export interface Built {
  drafts: CodebaseDraft[];
  services: ServiceReport[];
  hostsRewritten: number;
}

/** Turns a loaded Compose project into one draft per codebase and a report of every service. */
export function buildDrafts(compose: LoadedCompose): Built {
  const services = [...compose.services.values()];
  const roles = new Map<string, Role>();
  for (const service of services) {
    const image = typeof service.spec.image === "string" ? service.spec.image : undefined;
    roles.set(service.name, service.spec.build === undefined ? classify(image) : { kind: "native" });
  }
  const groups = groupServices(services.filter((service) => roles.get(service.name)?.kind === "native"));
  const reports = new Map<string, ServiceReport>();
  for (const service of services)
    reports.set(service.name, newReport(service, roles.get(service.name) as Role));
  checkDependsOn(services);

  // where each native service runs: its codebase and process, and the port it listens on
  const drafts: CodebaseDraft[] = [];
  const placeOf = new Map<string, { draft: CodebaseDraft; process: DraftProcess }>();
  const usedPorts = new Set<number>();
  const portOf = new Map<string, number | "auto">();
  for (const service of services)
    if (roles.get(service.name)?.kind === "native")
      choosePort(service, reports.get(service.name) as ServiceReport, usedPorts, portOf);
  for (const group of groups) {
    const draft: CodebaseDraft = {
      name: group.name,
      ...(group.source === undefined ? {} : { source: group.source }),
      comments: [],
      requires: new Map(),
      env: new Map(),
      processes: [],
      exports: new Map([["host", "127.0.0.1"]]),
    };
    const names = new Set<string>();
    for (const service of group.services) {
      const report = reports.get(service.name) as ServiceReport;
      const process: DraftProcess = {
        name: unique(identifierOf(service.name), names),
        service: service.name,
        comments: [],
      };
      placeProcess(service, process, report, portOf.get(service.name));
      keepEnvFile(service, draft, report);
      draft.processes.push(process);
      placeOf.set(service.name, { draft, process });
      Object.assign(report, { codebase: draft.name, process: process.name });
    }
    const ported = draft.processes.filter((process) => process.port !== undefined);
    for (const [index, process] of ported.entries()) {
      if (index === 0) {
        draft.exports.set("port", `\${processes.${process.name}.port}`);
        draft.exports.set("url", `http://127.0.0.1:\${processes.${process.name}.port}`);
      }
      if (ported.length > 1) draft.exports.set(`${process.name}_port`, `\${processes.${process.name}.port}`);
    }
    drafts.push(draft);
  }

  const graph = new CodebaseGraph();
  const requireService = (draft: CodebaseDraft, target: string): ServiceTarget | undefined => {
    const role = roles.get(target) as Role;
    const service = compose.services.get(target) as LoadedService;
    if (role.kind === "native") {
      const place = placeOf.get(target) as { draft: CodebaseDraft; process: DraftProcess };
      const port = place.process.port === undefined ? undefined : `\${processes.${place.process.name}.port}`;
      if (place.draft === draft) return { alias: undefined, host: "127.0.0.1", ...(port ? { port } : {}) };
      const alias = place.draft.name;
      if (!draft.requires.has(alias)) {
        if (!graph.add(draft.name, place.draft.name)) return undefined;
        draft.requires.set(alias, { kind: "path", path: `../${place.draft.name}` });
      }
      const exported = [...place.draft.exports.keys()];
      const portKey = place.draft.exports.get("port") === port ? "port" : `${place.process.name}_port`;
      return {
        alias,
        host: `\${requires.${alias}.host}`,
        ...(port && exported.includes(portKey) ? { port: `\${requires.${alias}.${portKey}}` } : {}),
      };
    }
    const alias = identifierOf(target);
    if (!draft.requires.has(alias)) {
      if (role.kind === "provider") {
        // Two servers of one kind (mysql 5.7 and 8.0) are one server natively: each keeps a database of its own.
        const twin = [...draft.requires.values()].some(
          (other) => other.kind === "provider" && other.provider === role.provider,
        );
        draft.requires.set(alias, {
          kind: "provider",
          provider: role.provider,
          ...(role.version === undefined ? {} : { version: role.version }),
          ...(twin && PROVIDER_EXPORTS[role.provider].includes("database")
            ? { database: `${draft.name}_${alias}`.toLowerCase().replace(/[^a-z0-9_]/g, "_") }
            : {}),
        });
      } else
        draft.requires.set(alias, externalRequirement(service, role, reports.get(target) as ServiceReport));
    }
    return {
      alias,
      host: `\${requires.${alias}.host}`,
      port: `\${requires.${alias}.port}`,
      provider: role.kind === "provider",
    };
  };

  // depends_on: a requirement across codebases, a start order within one, a note between servers Berth does not run
  for (const service of services) {
    const report = reports.get(service.name) as ServiceReport;
    const place = placeOf.get(service.name);
    for (const [on, options] of Object.entries(
      (service.spec.depends_on ?? {}) as Record<string, { condition?: string }>,
    )) {
      const condition = String(options.condition ?? "service_started");
      const edge = { on, condition };
      if (!place) {
        report.dependsOn.push({
          ...edge,
          kept: "note",
          detail: `${service.name} is not run by Berth; the order is kept in this report`,
        });
        continue;
      }
      const target = placeOf.get(on);
      if (target?.draft === place.draft) {
        place.process.comments.push(
          `TODO(berth import): in Compose, ${service.name} starts after ${on} (${condition}); Berth has no start order between processes of one codebase, so ${service.name} may start first`,
        );
        report.dependsOn.push({
          ...edge,
          kept: "order",
          detail: `a comment in ${place.draft.name}/berth.yaml (same codebase)`,
        });
        continue;
      }
      const reference = requireService(place.draft, on);
      if (reference === undefined) {
        place.process.comments.push(
          `TODO(berth import): in Compose, ${service.name} depends on ${on}; requiring codebase ${target?.draft.name} here would make a cycle`,
        );
        report.dependsOn.push({
          ...edge,
          kept: "note",
          detail: "a comment: a requirement would make a cycle of codebases",
        });
        continue;
      }
      const requirement = place.draft.requires.get(reference.alias as string);
      if (requirement && condition !== "service_started")
        requirement.comment = `Compose waited for ${condition}${requirement.comment ? `; ${requirement.comment}` : ""}`;
      report.dependsOn.push({
        ...edge,
        kept: "requirement",
        detail: `requires.${reference.alias} of ${place.draft.name}`,
      });
      if (condition === "service_completed_successfully")
        report.notes.push(
          `${on} ran to completion before ${service.name} started in Compose: it may belong in a task (migrate, seed) rather than a process`,
        );
    }
  }

  // environment: kept, with other services' hosts rewritten to references; what differs between processes of one codebase goes on their command line
  const index = hostIndex(services);
  let hostsRewritten = 0;
  for (const draft of drafts) {
    const perProcess = new Map<DraftProcess, Map<string, string>>();
    for (const process of draft.processes) {
      const service = compose.services.get(process.service) as LoadedService;
      const report = reports.get(service.name) as ServiceReport;
      const before = new Set(draft.requires.keys());
      const result = rewriteEnvironment(
        (service.spec.environment ?? {}) as Record<string, string | null>,
        index,
        (target) => requireService(draft, target),
        draft,
      );
      hostsRewritten += result.rewritten;
      for (const [alias, requirement] of draft.requires) {
        if (before.has(alias)) continue;
        requirement.comment = `not a depends_on of ${service.name} in Compose: its environment names it${requirement.comment ? `; ${requirement.comment}` : ""}`;
        report.notes.push(`requires ${alias}: not in its depends_on, but its environment names it`);
      }
      report.rewrites.push(...result.rewrites);
      report.dropped.push(...result.dropped);
      report.notes.push(...result.notes);
      perProcess.set(process, result.env);
    }
    splitEnvironment(draft, perProcess);
  }

  for (const draft of drafts) {
    for (const process of draft.processes) {
      const report = reports.get(process.service) as ServiceReport;
      const service = compose.services.get(process.service) as LoadedService;
      report.dropped.push(...droppedKeys(service.spec, "native"));
    }
  }
  for (const service of services) {
    const role = roles.get(service.name) as Role;
    if (role.kind !== "native")
      (reports.get(service.name) as ServiceReport).dropped.push(...droppedKeys(service.spec, role.kind));
  }
  return { drafts, services: [...reports.values()], hostsRewritten };
}

function newReport(service: LoadedService, role: Role): ServiceReport {
  const image = typeof service.spec.image === "string" ? service.spec.image : undefined;
  const report: ServiceReport = {
    service: service.name,
    became: role.kind === "native" ? "process" : role.kind,
    ...(image === undefined ? {} : { image }),
    dependsOn: [],
    dropped: [],
    notes: [],
    rewrites: [],
  };
  if (role.kind === "provider") {
    report.provider = role.provider;
    if (role.version !== undefined) report.version = role.version;
    else
      report.notes.push(
        `the image ${role.image} names no version; the requirement takes the provider's default`,
      );
  }
  if (role.kind === "provider" && role.version !== undefined)
    report.notes.push(
      `\`berth up\` needs a ${role.provider} ${role.version} server on this machine (\`berth doctor\` shows what is installed); loosen \`version\` if another serves`,
    );
  if (role.kind === "external") {
    const { url, port } = externalUrl(service, role);
    report.url = url;
    for (const other of (service.spec.ports ?? []) as Port[])
      if (other !== port) report.dropped.push(`ports: ${portText(other)} (the url names one port)`);
  }
  if (service.extended.length > 0) report.notes.push(`extends ${service.extended.join(" → ")}`);
  return report;
}

/** Compose refuses a depends_on naming no service; so does the import, at the place it is written. */
function checkDependsOn(services: LoadedService[]): void {
  const names = new Set(services.map((service) => service.name));
  for (const service of services)
    for (const on of Object.keys((service.spec.depends_on ?? {}) as object))
      if (!names.has(on)) {
        throw new BerthError(
          "BERTH_IMPORT_INVALID",
          `${service.name} depends on \`${on}\`, which is no service of these Compose files`,
          {
            location: service.locate(["depends_on"]),
            hint: "fix the name, or pass the overlay that defines it with -f",
          },
        );
      }
}

/** A codebase has one env_file, read when Berth runs (its values masked); Compose's first existing one is kept. */
function keepEnvFile(service: LoadedService, draft: CodebaseDraft, report: ServiceReport): void {
  for (const file of (service.spec.env_file ?? []) as EnvFile[]) {
    if (draft.envFile === file.path) continue;
    if (!existsSync(file.path)) {
      report.notes.push(`${file.required ? "TODO: " : ""}env_file ${file.path} does not exist; not kept`);
      continue;
    }
    if (draft.envFile === undefined) {
      draft.envFile = file.path;
      report.notes.push(
        `env_file ${file.path} is the codebase's env_file; host names in it are not rewritten`,
      );
    } else
      report.dropped.push(`env_file: ${file.path} (a codebase has one env_file; ${draft.envFile} is kept)`);
  }
}
