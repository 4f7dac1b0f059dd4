import { isMapping } from "./compose-file.js";
import type { LoadedService } from "./load.js";

/**
 * The names other services reach a service by on a Compose network: its container_name, hostname,
 * network aliases and `links` aliases (dotted names, recognised anywhere), and its service name (recognised only as a host:
 * `name:port`, `scheme://name`, or a whole value, since `redis` is also a word).
 */
export interface HostIndex {
  /** host name → service name */
  names: Map<string, string>;
  /** service names (and other undotted names), matched only where they are clearly a host */
  plain: Set<string>;
}

export function hostIndex(services: Iterable<LoadedService>): HostIndex {
  const names = new Map<string, string>();
  const plain = new Set<string>();
  const add = (name: unknown, service: string) => {
    if (typeof name !== "string" || name === "") return;
    if (!names.has(name)) names.set(name, service);
    if (!name.includes(".")) plain.add(name);
  };
  for (const service of services) {
    const spec = service.spec;
    add(service.name, service.name);
    add(spec.container_name, service.name);
    add(spec.hostname, service.name);
    if (Array.isArray(spec.links))
      for (const link of spec.links) {
        const [target, alias] = String(link).split(":");
        if (target !== undefined) add(alias ?? target, target);
      }
    for (const network of Object.values((spec.networks ?? {}) as Record<string, unknown>))
      if (isMapping(network) && Array.isArray(network.aliases))
        for (const alias of network.aliases) add(alias, service.name);
  }
  return { names, plain };
}

export interface HostUse {
  service: string;
  /** Where in the value: the host, and the port after it if any. */
  start: number;
  end: number;
  port?: string;
}

/** Every place a value names a service's host, longest names first, none overlapping; `hostKey`: the variable holds a host (`DB_HOST`), so a bare service name is one. */
export function findHosts(value: string, index: HostIndex, hostKey: boolean): HostUse[] {
  const uses: HostUse[] = [];
  const names = [...index.names.keys()].sort((a, b) => b.length - a.length);
  const taken = (start: number, end: number) => uses.some((use) => start < use.end && end > use.start);
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const pattern = new RegExp(
      `(?<![A-Za-z0-9_.-])${escaped}(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])(:(\\d+))?`,
      "g",
    );
    for (const match of value.matchAll(pattern)) {
      const start = match.index;
      const end = start + name.length;
      if (taken(start, end)) continue;
      if (index.plain.has(name)) {
        const before = value.slice(0, start);
        const asHost =
          match[2] !== undefined || /:\/\/([^/@\s]*@)?$/.test(before) || (hostKey && value === name);
        if (!asHost) continue;
      }
      uses.push({
        service: index.names.get(name) as string,
        start,
        end: end + (match[1]?.length ?? 0),
        ...(match[2] === undefined ? {} : { port: match[2] }),
      });
    }
  }
  return uses.sort((a, b) => a.start - b.start);
}
