import type { ProviderKind } from "../manifest/index.js";

/** Where a codebase's folder is in its container: `${self.dir}`, `${requires.<alias>.dir}`. */
export const CONTAINER_DIR = "/app";
/** Where `files:` entries are mounted: `${files.<name>}` is `<FILES_DIR>/<codebase>/<name>`. */
export const FILES_DIR = "/berth/files";
/** The container port of a process declared `port: auto`: each container has its own ports. */
export const AUTO_CONTAINER_PORT = 8080;

/** A DNS-1123 label: what Compose service names and Kubernetes object names both accept. */
export function dnsName(...parts: string[]): string {
  return parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 63)
    .replace(/-$/, "");
}

/** A secret's name: upper-case letters, digits and _, usable as an env-file variable and a Secret key. */
export function secretName(...parts: string[]): string {
  return parts.map((part) => part.toUpperCase().replace(/[^A-Z0-9]+/g, "_")).join("__");
}

export interface ProviderImage {
  image: string;
  version: string;
  port: number;
}

/** The default major versions, as Berth runs them natively (MariaDB serves `mysql` claims). */
const IMAGES: Record<ProviderKind, { repository: string; version: string; port: number }> = {
  postgres: { repository: "postgres", version: "15", port: 5432 },
  mysql: { repository: "mariadb", version: "10.11", port: 3306 },
  redis: { repository: "redis", version: "7", port: 6379 },
  memcached: { repository: "memcached", version: "1.6", port: 11211 },
};

/**
 * The official image of a provider at the requirement's version: an exact major ("16", "11.4") is used as
 * the tag; a range (">=14") or none gives the default version.
 */
export function providerImage(kind: ProviderKind, version: string | undefined): ProviderImage {
  const known = IMAGES[kind];
  const exact = version !== undefined && /^\d+(\.\d+)?$/.test(version.trim()) ? version.trim() : undefined;
  // A `mysql` claim of MySQL's own majors (5.7, 8) is served by MariaDB's default here, as natively.
  const tag =
    kind === "mysql" && exact !== undefined && !/^1\d/.test(exact) ? known.version : (exact ?? known.version);
  return { image: `${known.repository}:${tag}`, version: tag, port: known.port };
}
