import { basename } from "node:path";
import { codebaseName } from "../draft.js";
import type { Volume } from "./canonical.js";
import type { LoadedService } from "./load.js";

/** A codebase made of native services: one process each. */
export interface Group {
  name: string;
  /** The shared build context or bind-mounted source folder, if any. */
  source?: string;
  services: LoadedService[];
}

/**
 * Services that share a build context or a bind-mounted source folder are one codebase. A service's source
 * folder is its build context, else the bind mount it works in: mounted at its `working_dir` (or a parent
 * of it) or named by its command. Shared mounts that are neither (`/edx/src`, a config file) do not join
 * codebases.
 */
export function groupServices(services: LoadedService[]): Group[] {
  const bySource = new Map<string, LoadedService[]>();
  const alone: LoadedService[] = [];
  for (const service of services) {
    const source = sourceFolder(service);
    if (source === undefined) alone.push(service);
    else bySource.set(source, [...(bySource.get(source) ?? []), service]);
  }
  const groups: Group[] = [];
  for (const [source, members] of bySource) {
    const name = members.length === 1 ? (members[0] as LoadedService).name : basename(source);
    groups.push({ name, source, services: members });
  }
  for (const service of alone) groups.push({ name: service.name, services: [service] });
  const taken = new Set<string>();
  for (const group of groups) group.name = unique(codebaseName(group.name), taken);
  return groups.sort((a, b) => a.name.localeCompare(b.name));
}

export function sourceFolder(service: LoadedService): string | undefined {
  const build = service.spec.build as { context?: string } | undefined;
  if (build?.context) return build.context;
  const workingDir = trimSlash(typeof service.spec.working_dir === "string" ? service.spec.working_dir : "");
  const commandText = [service.spec.entrypoint, service.spec.command].flat().filter(Boolean).join(" ");
  const binds = ((service.spec.volumes ?? []) as Volume[]).filter((volume) => volume.type === "bind");
  const found = binds.find((volume) => {
    const target = trimSlash(volume.target);
    if (target === "" || target === "/") return false;
    return (
      (workingDir !== "" && (workingDir === target || workingDir.startsWith(`${target}/`))) ||
      commandText.includes(target)
    );
  });
  return found?.source === undefined ? undefined : trimSlash(found.source);
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

export function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}-${n}`;
  taken.add(candidate);
  return candidate;
}

/** A valid process or requirement alias name from a service name: `edx.notes` → `edx_notes`. */
export function identifierOf(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `s_${cleaned}`;
}
