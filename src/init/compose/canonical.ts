import { isAbsolute, resolve } from "node:path";
import type { YamlPath } from "../../manifest/index.js";
import { isMapping } from "./compose-file.js";

/**
 * A service in one shape whatever the file wrote: `environment`, `labels` and `depends_on` as mappings,
 * `networks` as a mapping, `volumes` in the long syntax with bind sources made absolute, `ports` in the long
 * syntax. Overlays and `extends` merge in this shape, as Compose merges them.
 */
export type CanonicalService = Record<string, unknown>;

export interface Port {
  target: number;
  published?: number;
  host_ip?: string;
  protocol: string;
}

export interface Volume {
  type: "bind" | "volume" | "tmpfs";
  source?: string;
  target: string;
  read_only?: boolean;
}

export type Problem = (path: YamlPath, message: string) => Error;

export function canonicalService(
  raw: Record<string, unknown>,
  dir: string,
  problem: Problem,
): CanonicalService {
  const service: CanonicalService = { ...raw };
  for (const key of ["environment", "labels"] as const)
    if (key in raw) service[key] = keyValues(raw[key], [key], problem);
  if ("depends_on" in raw) service.depends_on = dependsOn(raw.depends_on, problem);
  if ("networks" in raw) service.networks = networks(raw.networks, problem);
  if ("volumes" in raw)
    service.volumes = list(raw.volumes, ["volumes"], problem).map((item, index) =>
      volume(item, dir, ["volumes", index], problem),
    );
  if ("ports" in raw)
    service.ports = list(raw.ports, ["ports"], problem).map((item, index) =>
      port(item, ["ports", index], problem),
    );
  if (typeof raw.build === "string") service.build = { context: absolute(raw.build, dir) };
  else if (isMapping(raw.build)) {
    const build: Record<string, unknown> = {
      ...raw.build,
      context: absolute(String(raw.build.context ?? "."), dir),
    };
    if ("args" in raw.build) build.args = keyValues(raw.build.args, ["build", "args"], problem);
    service.build = build;
  }
  if (typeof raw.extends === "string") service.extends = { service: raw.extends };
  if ("env_file" in raw) service.env_file = envFiles(raw.env_file, dir, problem);
  return service;
}

function absolute(path: string, dir: string): string {
  return isAbsolute(path) ? path : resolve(dir, path);
}

function list(value: unknown, path: YamlPath, problem: Problem): unknown[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw problem(path, `\`${path.join(".")}\` must be a list`);
  return value;
}

/** `[A=1, B]` or `{ A: 1, B: null }` → `{ A: "1", B: null }` (null: taken from the environment, if set). */
function keyValues(value: unknown, path: YamlPath, problem: Problem): Record<string, string | null> {
  const entries: [string, string | null][] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = String(item);
      const equals = text.indexOf("=");
      entries.push(equals === -1 ? [text, null] : [text.slice(0, equals), text.slice(equals + 1)]);
    }
  } else if (isMapping(value)) {
    for (const [key, item] of Object.entries(value))
      entries.push([key, item === null || item === undefined ? null : String(item)]);
  } else if (value !== null && value !== undefined) {
    throw problem(path, `\`${path.join(".")}\` must be a list of KEY=value or a mapping`);
  }
  return Object.fromEntries(entries);
}

/** `[db]` or `{ db: { condition: service_healthy } }` → `{ db: { condition } }`. */
function dependsOn(value: unknown, problem: Problem): Record<string, Record<string, unknown>> {
  if (Array.isArray(value))
    return Object.fromEntries(value.map((name) => [String(name), { condition: "service_started" }]));
  if (isMapping(value))
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [
        name,
        { condition: "service_started", ...(isMapping(item) ? item : {}) },
      ]),
    );
  if (value === null || value === undefined) return {};
  throw problem(
    ["depends_on"],
    "`depends_on` must be a list of services or a mapping of service: { condition }",
  );
}

function networks(value: unknown, problem: Problem): Record<string, Record<string, unknown>> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [String(name), {}]));
  if (isMapping(value))
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, isMapping(item) ? item : {}]),
    );
  if (value === null || value === undefined) return {};
  throw problem(["networks"], "`networks` must be a list or a mapping of network names");
}

function volume(value: unknown, dir: string, path: YamlPath, problem: Problem): Volume {
  if (isMapping(value)) {
    const type = value.type === "bind" || value.type === "tmpfs" ? value.type : "volume";
    if (typeof value.target !== "string") throw problem(path, "a volume in the long syntax needs a `target`");
    const source = typeof value.source === "string" ? value.source : undefined;
    return {
      type,
      target: value.target,
      ...(source === undefined ? {} : { source: type === "bind" ? absolute(source, dir) : source }),
      ...(value.read_only === true ? { read_only: true } : {}),
    };
  }
  if (typeof value !== "string" || value === "")
    throw problem(path, "a volume is `source:target[:mode]` or a mapping");
  const parts = value.split(":");
  if (parts.length === 1) return { type: "volume", target: value };
  const [source = "", target = ""] = parts;
  const bind = /^[./~]/.test(source) || isAbsolute(source);
  const home = source.startsWith("~") ? (process.env.HOME ?? "~") + source.slice(1) : source;
  return {
    type: bind ? "bind" : "volume",
    source: bind ? absolute(home, dir) : source,
    target,
    ...(parts[2]?.split(",").includes("ro") ? { read_only: true } : {}),
  };
}

function port(value: unknown, path: YamlPath, problem: Problem): Port {
  if (isMapping(value)) {
    const target = Number(value.target);
    if (!Number.isInteger(target)) throw problem(path, "a port in the long syntax needs a numeric `target`");
    const published =
      value.published === undefined ? undefined : Number.parseInt(String(value.published), 10);
    return {
      target,
      protocol: typeof value.protocol === "string" ? value.protocol : "tcp",
      ...(published !== undefined && Number.isInteger(published) ? { published } : {}),
      ...(typeof value.host_ip === "string" ? { host_ip: value.host_ip } : {}),
    };
  }
  const text = String(value);
  const match = /^(?:(?:\[?([0-9a-fA-F.:]+?)\]?:)?(\d+)(?:-\d+)?:)?(\d+)(?:-\d+)?(?:\/(tcp|udp|sctp))?$/.exec(
    text,
  );
  if (!match)
    throw problem(path, `\`${text}\` is not a port: write "8000", "18000:8000" or "127.0.0.1:18000:8000"`);
  const [, hostIp, published, target, protocol] = match;
  return {
    target: Number(target),
    protocol: protocol ?? "tcp",
    ...(published ? { published: Number(published) } : {}),
    ...(hostIp ? { host_ip: hostIp } : {}),
  };
}

export interface EnvFile {
  path: string;
  required: boolean;
}

/** `env_file: a.env`, `[a.env, b.env]` or `[{ path: a.env, required: false }]` → absolute paths. */
function envFiles(value: unknown, dir: string, problem: Problem): EnvFile[] {
  const items = typeof value === "string" ? [value] : list(value, ["env_file"], problem);
  return items.map((item, index) => {
    if (typeof item === "string") return { path: absolute(item, dir), required: true };
    if (isMapping(item) && typeof item.path === "string")
      return { path: absolute(item.path, dir), required: item.required !== false };
    throw problem(["env_file", index], "an env_file is a path, or `{ path, required }`");
  });
}
