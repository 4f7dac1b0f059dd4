import { readFileSync } from "node:fs";
import { BerthError, type Location } from "../../errors/index.js";
import { parseYaml, type YamlPath, type YamlSource } from "../../manifest/index.js";
import { interpolate, type Variables } from "./interpolate.js";

/** One Compose file, read, interpolated, its services still as written. */
export interface ComposeFile {
  file: string;
  source: YamlSource;
  services: Map<string, Record<string, unknown>>;
  /** Variables used but set nowhere, with where the first use is. */
  unset: Map<string, Location>;
}

const MAX_BYTES = 4 * 1024 * 1024;

/** Reads a Compose file as untrusted data: every problem is a positioned error; nothing in it is run. */
/**
 * `variables`: what `${VAR}` reads now (the `.env` file); `host`: the environment, read now except in
 * `environment:` values, where a plain `${VAR}` of it becomes `${env.VAR}`, read when Berth runs (as
 * Compose reads it when it runs), so a draft does not freeze the importer's PATH or HOME.
 */
export function readComposeFile(
  file: string,
  variables: Variables,
  host: Variables = () => undefined,
): ComposeFile {
  const source = parseYaml(file, readText(file), { merge: true });
  const where = (path: YamlPath) => source.locate(path);
  if (!isMapping(source.data))
    throw invalid(source, [], "a Compose file is a mapping with a `services:` key");
  const unset = new Map<string, Location>();
  let data: Record<string, unknown>;
  try {
    data = interpolateAll(source.data, [], (text, path) => {
      const inEnvironment = path[0] === "services" && path[2] === "environment";
      const either: Variables = (name) => variables(name) ?? host(name);
      const fromHost = (name: string) => variables(name) === undefined && host(name) !== undefined;
      const result = interpolate(text, either, where(path), inEnvironment ? fromHost : undefined);
      for (const name of result.unset) if (!unset.has(name)) unset.set(name, where(path));
      return result.value;
    }) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof UnsafeKey)
      throw invalid(source, error.path, "`__proto__` is not a key a Compose file can have");
    throw error;
  }
  const services = new Map<string, Record<string, unknown>>();
  const raw = data.services ?? {};
  if (!isMapping(raw)) throw invalid(source, ["services"], "`services:` must be a mapping of service names");
  for (const [name, service] of Object.entries(raw)) {
    if (service !== null && !isMapping(service))
      throw invalid(source, ["services", name], `the service \`${name}\` must be a mapping of its keys`);
    services.set(name, (service ?? {}) as Record<string, unknown>);
  }
  return { file, source, services, unset };
}

export function invalid(source: YamlSource, path: YamlPath, message: string, hint?: string): BerthError {
  return new BerthError("BERTH_IMPORT_INVALID", message, {
    location: source.locate(path),
    hint:
      hint ?? "fix the Compose file (`docker compose config` shows how Compose reads it), then import again",
  });
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BerthError(
      "BERTH_IMPORT_INVALID",
      code === "EISDIR"
        ? `${file} is a folder, not a Compose file`
        : `cannot read ${file} (${code ?? "error"})`,
      { hint: "pass the path of a Compose file or Procfile: berth import docker-compose.yml", cause: error },
    );
  }
  if (bytes.length > MAX_BYTES)
    throw new BerthError("BERTH_IMPORT_INVALID", `${file} is larger than 4 MiB; it is not a Compose file`, {
      hint: "pass the path of a Compose file or Procfile",
    });
  return bytes.toString("utf8").replace(/^\uFEFF/, "");
}

function interpolateAll(
  value: unknown,
  path: YamlPath,
  each: (text: string, path: YamlPath) => string,
): unknown {
  if (typeof value === "string") return each(value, path);
  if (Array.isArray(value)) return value.map((item, index) => interpolateAll(item, [...path, index], each));
  if (isMapping(value)) {
    if (Object.hasOwn(value, "__proto__")) throw new UnsafeKey([...path, "__proto__"]);
    // fromEntries defines own properties, so a key such as `__proto__` in the file stays a plain key
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateAll(item, [...path, key], each)]),
    );
  }
  return value;
}

class UnsafeKey extends Error {
  constructor(readonly path: YamlPath) {
    super("unsafe key");
  }
}
